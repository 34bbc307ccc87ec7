"""Thin Celery tasks: call the service."""

from celery import shared_task

from common.export_jobs import export_run, sweep_export_jobs
from common.uploads import sweep_import_uploads


@shared_task
def sweep_import_uploads_task() -> int:
    """Beat, every 15 minutes: delete admin import uploads never confirmed (older than an hour)."""
    return sweep_import_uploads()


@shared_task
def export_run_task(job_id: int) -> bool:
    """Build one export's file. A message delivered twice runs once: the job is claimed by a
    conditional UPDATE, and the second delivery finds it no longer queued."""
    return export_run(job_id)


@shared_task
def sweep_export_jobs_task() -> int:
    """Beat, every 15 minutes: delete expired export files; fail jobs whose worker died."""
    return sweep_export_jobs()


@shared_task
def deidentify_expired_task() -> str:
    """Beat, nightly: de-identify what the retention table says has passed its time."""
    from common.retention import deidentify_expired

    return deidentify_expired().summary()
