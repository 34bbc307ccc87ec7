"""Staff sessions in PostgreSQL (django.contrib.sessions' database store), saved without waiting
for the write-ahead log to reach the disk, and not re-saved within a minute of the last save.

SESSION_SAVE_EVERY_REQUEST restarts the idle clock on every request, so every signed-in request
ended with an UPDATE of its session row in a transaction of its own, and that COMMIT waited for an
fsync: on a loaded machine the slowest part of a cached dashboard read (bench/city.py). Two things
make it cheap:
- A session whose data did not change and whose stored expiry is less than TOUCH_GRAIN behind the
  one a save would write is not written at all: a burst of requests (a dashboard page and its API
  calls, a clerk paging through a list) costs one write a minute instead of one per request. The
  idle timeout can then end a session up to TOUCH_GRAIN early, never late.
- A save that is its own transaction does not wait for the fsync. What it carries is the new
  expiry; if PostgreSQL crashed within the moment before the log reached the disk, the session
  would keep the previous expiry, i.e. end up to one request earlier. Never a save inside a
  larger transaction (a sign-in, which writes other rows with it)."""

import datetime as dt

from django.contrib.sessions.backends import db
from django.db import connections, router, transaction

TOUCH_GRAIN = dt.timedelta(seconds=60)


class SessionStore(db.SessionStore):
    _stored_expiry: dt.datetime | None = None

    def _get_session_from_db(self):
        stored = super()._get_session_from_db()
        self._stored_expiry = stored.expire_date if stored is not None else None
        return stored

    def save(self, must_create: bool = False) -> None:
        if not must_create and not self.modified and self._touched_recently():
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

    def _touched_recently(self) -> bool:
        if self._stored_expiry is None or self.session_key is None:
            return False
        return self.get_expiry_date() - self._stored_expiry < TOUCH_GRAIN
