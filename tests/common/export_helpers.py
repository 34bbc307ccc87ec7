"""Following an export from its button to its file, as a clerk's browser does: the redirect to the
job's page, the job run by its task's body (what the worker runs), then the download."""

import io

import openpyxl

from common.export_jobs import export_run
from common.models import ExportJob


def job_from_redirect(response) -> ExportJob:
    assert response.status_code == 302, response.content[:500]
    path = response["Location"]
    assert path.startswith("/exports/"), path
    return ExportJob.objects.get(pk=int(path.strip("/").split("/")[-1]))


def finish_export(client, response) -> tuple[ExportJob, bytes]:
    job = job_from_redirect(response)
    assert export_run(job.pk) is True
    download = client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200, download.content[:500]
    job.refresh_from_db()
    return job, b"".join(download.streaming_content)


def sheet_rows(content: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return list(book.worksheets[0].iter_rows(values_only=True))
