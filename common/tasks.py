"""Thin Celery tasks: call the service."""

from celery import shared_task

from common.uploads import sweep_import_uploads


@shared_task
def sweep_import_uploads_task() -> int:
    """Beat, every 15 minutes: delete admin import uploads never confirmed (older than an hour)."""
    return sweep_import_uploads()


@shared_task
def deidentify_expired_task() -> str:
    """Beat, nightly: de-identify what the retention table says has passed its time."""
    from common.retention import deidentify_expired

    return deidentify_expired().summary()
