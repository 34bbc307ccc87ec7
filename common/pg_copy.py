"""COPY ... FROM STDIN run in a thread on the current transaction's connection, so that
PostgreSQL's half of a bulk write (parsing the rows, index and constraint maintenance) runs on
another core while the importer checks its next batch in Python, instead of after it.

The connection is one socket: nothing else may talk on it while a COPY is in flight. Inside
`with BackgroundCopy(connection) as copy:` every query Django runs on that connection first waits
for the COPY (an execute wrapper), and leaving the block waits too, so the transaction around it
never commits or rolls back under a COPY. A failed COPY raises in the caller's thread, at the next
query, `wait()` or the end of the block, as the `django.db` error it would have been inline.
"""

import io
import threading
from contextlib import AbstractContextManager
from types import TracebackType

from django.db.backends.base.base import BaseDatabaseWrapper


class BackgroundCopy:
    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._wrapper: AbstractContextManager[None] | None = None

    def __enter__(self) -> "BackgroundCopy":
        self._wrapper = self.connection.execute_wrapper(self._before_query)
        self._wrapper.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._join()
        finally:
            if self._wrapper is not None:
                self._wrapper.__exit__(exc_type, exc, tb)
                self._wrapper = None
        if exc is None:
            self._raise_error()  # with an error already on its way out, that one is the story

    def start(self, sql: str, data: bytes) -> None:
        """COPY `data` with `sql` (`COPY table (...) FROM STDIN ...`) in the background, after
        the previous one has finished."""
        self.wait()
        self.connection.ensure_connection()
        cursor = self.connection.connection.cursor()

        def run() -> None:
            try:
                # The whole batch in one read: each read takes the GIL back from the checking
                # thread, which can cost a switch interval (5 ms) each time.
                cursor.copy_expert(sql, io.BytesIO(data), size=len(data) + 1)
            except BaseException as error:  # raised in the caller's thread by wait()
                self._error = error
            finally:
                cursor.close()

        self._thread = threading.Thread(target=run, name="background-copy", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        """Wait for the COPY in flight, if any; raise its error, if it failed."""
        self._join()
        self._raise_error()

    def _join(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _raise_error(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            with self.connection.wrap_database_errors:
                raise error

    def _before_query(self, execute, sql, params, many, context):
        self.wait()
        return execute(sql, params, many, context)
