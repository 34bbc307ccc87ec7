"""Thin Celery tasks: take ids, call the service."""

from celery import shared_task
from django.utils import timezone

from dashboard import services
from dashboard.models import RollupRun


@shared_task(
    autoretry_for=(services.RollupBusy,),
    retry_backoff=30,
    retry_kwargs={"max_retries": 5},
)
def rollup_year_task(year: int | None = None, run_id: int | None = None) -> int:
    """Roll up `year` (default: the current year, for the nightly beat entry). A run that finds
    another roll-up of the year in progress waits by retrying with backoff. Returns the run id."""
    year = year or timezone.localdate().year
    run = RollupRun.objects.get(pk=run_id) if run_id else None
    return services.rollup_year(year=year, run=run).pk
