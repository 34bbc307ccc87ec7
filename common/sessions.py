"""Staff sessions in PostgreSQL (django.contrib.sessions' database store), saved without waiting
for the write-ahead log to reach the disk, and not rewritten by every request.

SESSION_SAVE_EVERY_REQUEST restarts the idle clock on every request, so every signed-in request
would end with an UPDATE of its session row in a transaction of its own (six statements with the
savepoint Django's store opens), and that COMMIT waited for an fsync: on a loaded machine the
slowest part of a cached dashboard read (bench/city.py). Two things cut it:
- A request that changed nothing in the session rewrites the row only when the stored expiry is
  more than REFRESH_AFTER behind the one it would write. A clerk paging through a list writes
  the row about once a minute instead of once a page; the price is that an idle session may end
  up to REFRESH_AFTER before its full idle time, never after it.
- A save that is its own transaction does not wait for the disk. What it carries is the new
  expiry; if PostgreSQL crashed within the moment before the log reached the disk, the session
  would keep the previous expiry, i.e. end up to one request earlier. Nothing else is weakened:
  never a save inside a larger transaction (a sign-in, which writes other rows with it), and
  never one that changes the session's data."""

import copy
from datetime import datetime, timedelta

from django.contrib.sessions.backends import db
from django.db import connections, router, transaction

REFRESH_AFTER = timedelta(seconds=60)


class SessionStore(db.SessionStore):
    _stored_expiry: datetime | None = None

    def _get_session_from_db(self):
        stored = super()._get_session_from_db()
        self._stored_expiry = stored.expire_date if stored is not None else None
        return stored

    def load(self) -> dict:
        data = super().load()
        # What was read, to compare at save: a value changed inside a stored dict or list does
        # not set `modified`, and SESSION_SAVE_EVERY_REQUEST used to write it anyway.
        self._loaded = copy.deepcopy(data)
        return data

    def _data_unchanged(self) -> bool:
        return getattr(self, "_loaded", None) == self._get_session()

    def _expiry_is_fresh(self) -> bool:
        """Whether the row read by this request already expires within REFRESH_AFTER of the
        expiry a save would write now (either way: a shorter idle time set by the operator is
        written at once)."""
        self._get_session()  # the row (and its expiry) is read before anything is decided
        if self._stored_expiry is None:
            return False
        return abs(self.get_expiry_date() - self._stored_expiry) < REFRESH_AFTER

    def save(self, must_create: bool = False) -> None:
        if (
            not must_create
            and not self.modified
            and self._expiry_is_fresh()
            and self._data_unchanged()
        ):
            return
        using = router.db_for_write(self.model)
        connection = connections[using]
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            super().save(must_create)
        else:
            with transaction.atomic(using=using):
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
                super().save(must_create)
        self._stored_expiry = self.get_expiry_date()
