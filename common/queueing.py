"""Handing work to Celery once the request's transaction commits, and saying so on the record when
the queue (Redis) cannot take it: a job must never sit "queued" for ever because its message was
never sent. Used by the roll-up and the exports."""

import logging
from collections.abc import Callable

from django.db import transaction

log = logging.getLogger(__name__)


def send_after_commit(
    send: Callable[[], object], *, on_unavailable: Callable[[], None], what: str
) -> None:
    """Call `send` (a task's .delay) after the current transaction commits. If the broker is down
    or refuses the message, log it and call `on_unavailable`, which marks the record failed with
    a message the person who asked will read; the request itself still succeeds."""

    def enqueue() -> None:
        try:
            send()
        except Exception:  # the broker (Redis) is down or refused the job
            log.exception("%s could not be queued", what)
            on_unavailable()

    transaction.on_commit(enqueue, robust=True)
