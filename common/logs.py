"""Structured logs (issue 16): one JSON line per request and per Celery task, and nothing in any
line that names a person.

- `RequestLogMiddleware` logs method, path (never the query string: a search box or a lookup can
  put an ID number or a phone there), status, duration, request id (the caller's X-Request-ID or a
  new one, echoed in the response) and the signed-in user's id (a number, not a name).
- `connect_task_logging()` logs each Celery task's name, id, state and duration (never its
  arguments or result).
- `MaskPersonalData` (a handler filter) and `JsonFormatter` mask anything shaped like a mainland
  ID number (18 characters) or a mobile number (11 digits) in every line, tracebacks included:
  belt and braces for a message someone writes carelessly later. Names cannot be recognised by a
  pattern, so the rule for names is: never log one (log ids).
"""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# Not preceded or followed by another digit (or letter, for the ID number), so a 20-digit bank
# reference is left alone but an ID number inside text like "身份证110101199003070012号" is caught.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)")
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def mask(text: str) -> str:
    text = ID_NUMBER.sub("[id-number]", text)
    return MOBILE.sub("[mobile]", text)


class MaskPersonalData(logging.Filter):
    """Replace the message of every record passing the handler with its masked form."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the formatter's own error handling
            return True
        masked = mask(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        return True


class RequestIdFilter(logging.Filter):
    """Give every record the id of the request it was logged in (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            # django.request logs a 4xx/5xx after the middleware chain has returned, passing the
            # request along: take its id from there.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", "") or request_id_var.get()
        return True


_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
_PLAIN = (str, int, float, bool, type(None))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and any `extra=` fields.
    The finished line is masked once more, so a traceback cannot carry an ID number out either."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            # Plain values only: an object's repr can carry anything (django.request passes the
            # request, whose repr holds the full URL with its query string).
            if key not in _STANDARD and not key.startswith("_") and isinstance(value, _PLAIN):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return mask(json.dumps(entry, ensure_ascii=False, default=str))


request_log = logging.getLogger("huzhou_union.request")
task_log = logging.getLogger("huzhou_union.task")


class RequestLogMiddleware:
    """First in MIDDLEWARE, so its duration covers every other middleware and the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if SAFE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        clock = time.monotonic()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request_id
            return response
        finally:
            request_log.info(
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "method": request.method,
                    "path": request.path,  # path only: the query string is never logged
                    "status": status,
                    "duration_ms": round((time.monotonic() - clock) * 1000, 1),
                    "request_id": request_id,
                    "user_id": _user_id(request),
                },
            )
            request_id_var.reset(token)


def _user_id(request) -> int | None:
    user = getattr(request, "user", None)
    try:
        return user.pk if user is not None and user.is_authenticated else None
    except Exception:  # the session lookup needs the database, which may be what failed
        return None


_task_started: dict[str, float] = {}


def connect_task_logging() -> None:
    """One line when each task ends: its name, id, state and duration (not its arguments)."""
    from celery import signals

    @signals.task_prerun.connect(weak=False)
    def _started(task_id=None, **kwargs):
        _task_started[task_id] = time.monotonic()

    @signals.task_postrun.connect(weak=False)
    def _finished(task_id=None, task=None, state=None, **kwargs):
        started = _task_started.pop(task_id, None)
        duration = None if started is None else round((time.monotonic() - started) * 1000, 1)
        task_log.info(
            "task %s %s %s",
            getattr(task, "name", "?"),
            task_id,
            state,
            extra={
                "task": getattr(task, "name", "?"),
                "task_id": task_id,
                "state": state,
                "duration_ms": duration,
            },
        )
