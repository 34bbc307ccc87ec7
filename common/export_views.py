"""An export job's progress page and its download (common.export_jobs). Both answer 404 for a job
the viewer may not fetch, exactly as for one that does not exist."""

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from common.export_jobs import (
    CONTENT_TYPES,
    export_chunks,
    export_filename,
    export_job_for,
    record_download,
)
from common.models import ExportJob

log = logging.getLogger(__name__)

REFRESH_SECONDS = 2


@require_GET
@login_required
def status(request: HttpRequest, pk: int) -> HttpResponse:
    job = export_job_for(viewer=request.user, pk=pk)
    response = render(
        request, "exports/status.html", {"job": job, "refresh_seconds": REFRESH_SECONDS}
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    job = export_job_for(viewer=request.user, pk=pk)
    if job.status != ExportJob.Status.DONE:
        # Not ready, failed or expired: the progress page says which.
        return status(request, pk)
    record_download(job)
    log.info(
        "export job %s downloaded by user %s (full ID numbers: %s)",
        job.pk,
        request.user.pk,
        job.holds_full_ids,
    )
    response = StreamingHttpResponse(
        export_chunks(job), content_type=CONTENT_TYPES[job.file_format]
    )
    response["Content-Length"] = str(job.size)
    response["Content-Disposition"] = content_disposition_header(True, export_filename(job))
    response["Cache-Control"] = "no-store"
    return response
