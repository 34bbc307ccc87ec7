"""Who changed what (issue 10.7): every change to an audited record keeps a history row in
PostgreSQL (who, when, each field before → after), shown as the record's history in the admin.

We use django-simple-history rather than django-pghistory: pghistory records through PostgreSQL
triggers, and `make demo` runs on SQLite by default; simple-history writes its rows from
Django's save signals on both.

Who acted:
- in a request (admin, API), `simple_history.middleware.HistoryRequestMiddleware` records
  `request.user`;
- a service names its actor explicitly with `@attributed` (reads its `by=` argument) or
  `with acting_as(by):`. A staff user becomes the history user; a member (`MemberActor`) and the
  system (`SystemActor`) have no user row, so they are written as the change reason
  ("会员本人（会员ID 12）", "系统：seed_demo").

What is never copied: the ID number's ciphertext and its hash (`AUDITED_MEMBER_EXCLUDED`), so key
rotation and retention have no second table to chase. Bulk writes (the roster import) bypass
`save()` and keep one `common.ImportBatch` row instead of a row per member.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import AbstractBaseUser
from simple_history.models import HistoricalRecords

from members.actors import Actor, MemberActor, SystemActor

# The Member columns history must never copy (the masked number may stay: it is what staff see).
AUDITED_MEMBER_EXCLUDED = ["id_number_encrypted", "id_number_hash"]

_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("history_actor", default=None)


def actor_reason(actor: Actor | None) -> str:
    """The change reason that names an actor who is not a staff user ("" for a user)."""
    if isinstance(actor, SystemActor):
        return f"系统：{actor.reason}"
    if isinstance(actor, MemberActor):
        return f"会员本人（会员ID {actor.member.pk}）"
    return ""


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    """Every history row written inside is attributed to `actor` (nested: the innermost wins)."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def attributed(func):
    """Decorate a service whose keyword `by` is the actor: its writes are attributed to it."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        by = kwargs.get("by")
        if by is None:  # the service itself refuses a missing actor; say nothing here
            return func(*args, **kwargs)
        with acting_as(by):
            return func(*args, **kwargs)

    return wrapper


def current_actor() -> Actor | None:
    return _actor.get()


def _history_user(request=None, **kwargs):
    actor = _actor.get()
    if isinstance(actor, AbstractBaseUser):
        return actor
    if isinstance(actor, MemberActor | SystemActor):
        return None  # named in the change reason instead
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class AuditedHistory(HistoricalRecords):
    """`HistoricalRecords` that knows our actors (see the module docstring)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("get_user", _history_user)
        super().__init__(**kwargs)

    def get_change_reason_for_object(self, instance, history_type, using):
        return super().get_change_reason_for_object(instance, history_type, using) or (
            actor_reason(_actor.get()) or None
        )
