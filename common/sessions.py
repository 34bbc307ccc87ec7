"""Staff sessions in PostgreSQL (django.contrib.sessions' database store), saved without waiting
for the write-ahead log to reach the disk.

SESSION_SAVE_EVERY_REQUEST restarts the idle clock on every request, so every signed-in request
ends with an UPDATE of its session row in a transaction of its own, and that COMMIT waited for an
fsync: on a loaded machine the slowest part of a cached dashboard read (bench/city.py). What such
a save carries is the new expiry; if PostgreSQL crashed within the moment before the log reached
the disk, the session would keep the previous expiry, i.e. end up to one request earlier. Nothing
else is weakened: only a save that is its own transaction is made asynchronous, never one inside a
larger transaction (a sign-in, which writes other rows with it)."""

from django.contrib.sessions.backends import db
from django.db import connections, router, transaction


class SessionStore(db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        using = router.db_for_write(self.model)
        connection = connections[using]
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return super().save(must_create)
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            super().save(must_create)
