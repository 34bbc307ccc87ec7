"""Exports as Celery jobs (issue 13; issue 10.4 for the file at rest).

- `export_request` (a service) records an `ExportJob` and hands it to a worker after commit; with
  the queue down the job is marked failed with a message at once (`common.queueing`). With
  REDIS_URL unset Celery runs eagerly, so the job runs in-process and the page finds it done.
- `export_run` (the task's body) claims the job with a conditional UPDATE (queued → running), so
  a re-delivered message finds nothing to claim and writes nothing; it asks the job's source for
  its rows, streams them into an .xlsx or .csv (common.xlsx_stream) whose bytes go, a mebibyte at
  a time, sealed with the ID key ring, into `ExportChunk` rows; progress every PROGRESS_EVERY rows.
- `export_job_for` (a selector) is the one way a page reaches a job: the requester, or staff whose
  tree holds the job's union when the file carries no full ID number (a file with full numbers
  was recorded against the requester's name: only they fetch it). Anything else is a 404.
- `sweep_export_jobs` (beat) deletes the files of expired jobs and fails jobs whose worker died.

Sources are per kind, in the app that owns the records: a function `(job) -> ExportSource`.
"""

import datetime as dt
import io
import itertools
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from common.models import ExportChunk, ExportJob
from common.queueing import send_after_commit
from common.uploads import CHUNK, seal, unseal
from common.xlsx_stream import CsvStream, XlsxStream
from members.models import Union
from members.scoping import NOT_IN_SCOPE, Viewer, has_scope, in_scope

log = logging.getLogger(__name__)

SOURCES = {
    ExportJob.Kind.FIGURE: "dashboard.exports.figure_export_source",
    ExportJob.Kind.MEMBERS: "members.exports.member_export_source",
    **{
        kind: "common.admin_exports.admin_export_source"
        for kind in (
            ExportJob.Kind.ACTIVITIES,
            ExportJob.Kind.ATTENDANCE,
            ExportJob.Kind.ENROLMENTS,
            ExportJob.Kind.CLAIMS,
            ExportJob.Kind.PAYOUTS,
            ExportJob.Kind.CONCERNS,
            ExportJob.Kind.ENTRIES,
            ExportJob.Kind.HONOURS,
        )
    },
}
FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
PROGRESS_EVERY = 10_000
# A running job whose worker has not reported for this long was killed: the sweep fails it.
STALE_AFTER = dt.timedelta(minutes=10)
# A job still queued after this long will not run (its message was lost): the sweep fails it.
QUEUED_FOR_TOO_LONG = dt.timedelta(hours=6)


# Up to this many rows an export is written inside the request (at about 50,000 rows a second on
# this machine, quiet, well under a second, and under the 5 s budget with a loaded machine);
# more go to a job with a progress page.
INLINE_MAX_ROWS = 20_000


def inline_max_rows() -> int:
    return getattr(settings, "EXPORT_INLINE_MAX_ROWS", INLINE_MAX_ROWS)


# An admin list's export goes through django-import-export's resource, field by field with the
# choices' labels: about 2,400 rows a second measured under load (a drill-down's values_list ~20x
# that), so its inline limit is lower to keep a request under the 5 s budget.
ADMIN_INLINE_MAX_ROWS = 5_000


def admin_inline_max_rows() -> int:
    return min(
        inline_max_rows(), getattr(settings, "ADMIN_EXPORT_INLINE_MAX_ROWS", ADMIN_INLINE_MAX_ROWS)
    )


def time_to_live() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "EXPORT_TTL_HOURS", 24))


@dataclass
class ExportSource:
    """What a job writes: an optional title row, the headers, the rows (an iterator read once,
    a chunk of rows at a time), their number (for the progress bar), footer rows (合计), and
    whether any cell is a full ID number. `before_write` runs first (recording who exported
    whose full ID numbers)."""

    headers: list[str]
    rows: Iterable[Sequence]
    total: int
    sheet_title: str = "Sheet1"
    title_row: list | None = None
    footer_rows: list[list] = field(default_factory=list)
    holds_full_ids: bool = False
    before_write: Callable[[], None] | None = None


class ExportSuperseded(Exception):
    """The job is no longer running (the sweep took it for dead): stop writing."""


# --- the service ------------------------------------------------------------------------------


@transaction.atomic
def export_request(
    *,
    kind: str,
    params: dict,
    union: Union,
    title: str,
    by: User,
    file_format: str = "xlsx",
) -> ExportJob:
    """Record an export of `kind` for `by` and queue it after commit. The caller has already
    checked `by` may read what `params` name (the job's source checks again when it runs)."""
    if kind not in SOURCES:
        raise ValueError(f"unknown export kind {kind!r}")
    if file_format not in FORMATS:
        raise ValueError(f"unknown export format {file_format!r}")
    if not in_scope(by, union):
        raise Http404(str(NOT_IN_SCOPE))
    job = ExportJob.objects.create(
        kind=kind,
        params=params,
        union=union,
        title=title[:200],
        file_format=file_format,
        requested_by=by,
    )

    def unavailable() -> None:
        ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.QUEUED).update(
            status=ExportJob.Status.FAILED,
            finished_at=timezone.now(),
            message=str(_("任务队列暂时不可用，导出未能开始，请稍后重试。")),
        )

    from common.tasks import export_run_task

    send_after_commit(
        lambda: export_run_task.delay(job_id=job.pk),
        on_unavailable=unavailable,
        what=f"export job {job.pk}",
    )
    return job


# --- the work ---------------------------------------------------------------------------------


class SealedSink(io.RawIOBase):
    """A forward-only binary sink: every CHUNK bytes are sealed with the ID key ring and stored
    as the job's next ExportChunk. Holds at most one chunk in memory."""

    def __init__(self, job_id: int):
        super().__init__()
        self.job_id = job_id
        self.seq = 0
        self.size = 0
        self._buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self._buffer += data
        self.size += len(data)
        while len(self._buffer) >= CHUNK:
            self._store(bytes(self._buffer[:CHUNK]))
            del self._buffer[:CHUNK]
        return len(data)

    def _store(self, data: bytes) -> None:
        ExportChunk.objects.create(job_id=self.job_id, seq=self.seq, sealed=seal(data))
        self.seq += 1

    def finish(self) -> None:
        if self._buffer or not self.seq:
            self._store(bytes(self._buffer))
            self._buffer.clear()


def _claim(job_id: int) -> bool:
    now = timezone.now()
    return (
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
            status=ExportJob.Status.RUNNING, started_at=now, heartbeat_at=now
        )
        == 1
    )


def _progress(job_id: int, done: int) -> None:
    if not ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(
        rows_done=done, heartbeat_at=timezone.now()
    ):
        raise ExportSuperseded(_("导出任务已被判定为中断，本次结果不予保存。"))


def _batches(rows: Iterable[Sequence], size: int) -> Iterator[list[Sequence]]:
    it = iter(rows)
    while batch := list(itertools.islice(it, size)):
        yield batch


def export_run(job_id: int) -> bool:
    """Build job `job_id`'s file. Returns False, doing nothing, if the job is not queued (a
    re-delivered message, a job already done or failed)."""
    if not _claim(job_id):
        log.info("export job %s is not queued: nothing to do", job_id)
        return False
    job = ExportJob.objects.select_related("requested_by", "union").get(pk=job_id)
    try:
        source: ExportSource = import_string(SOURCES[job.kind])(job)
        ExportJob.objects.filter(pk=job.pk).update(
            rows_total=source.total, holds_full_ids=source.holds_full_ids
        )
        if source.before_write is not None:
            source.before_write()
        sink = SealedSink(job.pk)
        stream_class = XlsxStream if job.file_format == "xlsx" else CsvStream
        done = 0
        with stream_class(
            sink, sheet_title=source.sheet_title, tz=timezone.get_default_timezone()
        ) as out:
            if source.title_row:
                out.write_row(source.title_row)
            out.write_row(source.headers)
            for batch in _batches(source.rows, PROGRESS_EVERY):
                out.write_rows(batch)
                done += len(batch)
                _progress(job.pk, done)
            for row in source.footer_rows:
                out.write_row(row)
        sink.finish()
        now = timezone.now()
        finished = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
            status=ExportJob.Status.DONE,
            rows_done=done,
            rows_total=done,
            size=sink.size,
            finished_at=now,
            heartbeat_at=now,
            expires_at=now + time_to_live(),
            message=_("共 %(n)s 行。") % {"n": f"{done:,}"},
        )
        if not finished:
            raise ExportSuperseded(_("导出任务已被判定为中断，本次结果不予保存。"))
        return True
    except Exception as exc:
        log.exception("export job %s failed", job.pk)
        ExportChunk.objects.filter(job_id=job.pk).delete()
        ExportJob.objects.filter(pk=job.pk).exclude(status=ExportJob.Status.DONE).update(
            status=ExportJob.Status.FAILED,
            finished_at=timezone.now(),
            message=(_("导出失败：%(error)s") % {"error": exc})[:2000],
        )
        if isinstance(exc, ExportSuperseded):
            return False
        raise


# --- reads --------------------------------------------------------------------------------------


def visible_jobs_q(viewer: Viewer) -> Q:
    """The jobs a viewer may see and fetch: their own, and (staff with a part of the tree) those
    of their subtree whose file holds no full ID number."""
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return Q(pk__in=[])
    own = Q(requested_by=viewer)
    if not has_scope(viewer):
        return own
    from members.scoping import scope_q

    return own | (scope_q(viewer, "union") & Q(holds_full_ids=False))


def export_job_for(*, viewer: Viewer, pk: int) -> ExportJob:
    """Job `pk` if the viewer may see it; Http404 otherwise (an existing job of another district
    answers exactly as a missing one)."""
    job = ExportJob.objects.filter(visible_jobs_q(viewer), pk=pk).first()
    if job is None:
        raise Http404(str(NOT_IN_SCOPE))
    return job


def export_chunks(job: ExportJob) -> Iterator[bytes]:
    """The job's file, unsealed a chunk at a time (one chunk in memory)."""
    ids = list(ExportChunk.objects.filter(job=job).order_by("seq").values_list("pk", flat=True))
    for pk in ids:
        sealed = ExportChunk.objects.filter(pk=pk).values_list("sealed", flat=True).first()
        if sealed is None:  # swept while being read
            return
        yield unseal(sealed)


def record_download(job: ExportJob) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        downloads=F("downloads") + 1, last_downloaded_at=timezone.now()
    )


def export_filename(job: ExportJob) -> str:
    return f"{job.title}.{job.file_format}"


def recent_jobs(*, viewer: Viewer, limit: int = 10) -> QuerySet[ExportJob]:
    if not isinstance(viewer, User):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(requested_by=viewer).order_by("-created_at")[:limit]


# --- the sweep ----------------------------------------------------------------------------------


def sweep_export_jobs(*, now: dt.datetime | None = None) -> int:
    """Delete the files of jobs past their expiry, and fail jobs whose worker died (no progress
    for STALE_AFTER) or whose message never arrived. Returns how many jobs it changed."""
    now = now or timezone.now()
    changed = 0
    expired = list(
        ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lt=now).values_list(
            "pk", flat=True
        )
    )
    if expired:
        ExportChunk.objects.filter(job_id__in=expired).delete()
        changed += ExportJob.objects.filter(pk__in=expired).update(
            status=ExportJob.Status.EXPIRED,
            message=_("文件已过下载期限，已删除。"),
        )
    dead = list(
        ExportJob.objects.filter(
            Q(status=ExportJob.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
            | Q(status=ExportJob.Status.QUEUED, created_at__lt=now - QUEUED_FOR_TOO_LONG)
        ).values_list("pk", flat=True)
    )
    if dead:
        ExportChunk.objects.filter(job_id__in=dead).delete()
        changed += ExportJob.objects.filter(
            pk__in=dead, status__in=[ExportJob.Status.RUNNING, ExportJob.Status.QUEUED]
        ).update(
            status=ExportJob.Status.FAILED,
            finished_at=now,
            message=_("导出任务中断或未能开始，请重新导出。"),
        )
    return changed
