"""Forced interleavings for the concurrency tests: real threads, each on its own PostgreSQL
connection, in an order the test decides rather than one the scheduler happens to pick.

`race(leader, *followers)` runs the leader until it is about to execute its first statement
matching `at` (by default its first write) and holds it there, inside its transaction and holding
whatever it has locked. Only then do the followers start; the leader goes on once every follower
has either reached its own `at` statement (it read everything it will read: with no lock, it has
read what the leader is about to change) or is blocked in PostgreSQL waiting for a lock. So a
follower always arrives while the leader holds its locks: with the lock in place it waits, and
with the lock removed it provably reads the state from before the leader's write, every run.

The pause hooks `connection.execute_wrapper`, so it follows SQL, not the service's module layout.
"""

import re
import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connection

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
TIMEOUT = 20.0


def _blocked(raw_connection, pid: int) -> bool:
    """Whether backend `pid` is waiting for a lock another session holds."""
    with raw_connection.cursor() as cursor:
        cursor.execute("SELECT cardinality(pg_blocking_pids(%s)) > 0", [pid])
        return bool(cursor.fetchone()[0])


def race(
    leader: Callable[[], Any], *followers: Callable[[], Any], at: re.Pattern = WRITE
) -> list[Any]:
    """Run `leader` and `followers` as described above; return what each returned or raised,
    leader first. Fails (AssertionError in the results) if the leader never reaches `at` or a
    follower neither arrives nor blocks within TIMEOUT seconds."""
    results: list[Any] = [None] * (1 + len(followers))
    leader_paused = threading.Event()
    leader_done = threading.Event()
    pids: list[int | None] = [None] * len(followers)
    arrived = [threading.Event() for _ in followers]

    def hold(execute, sql, params, many, context):
        if not leader_paused.is_set() and at.search(sql):
            leader_paused.set()
            raw = context["connection"].connection
            deadline = time.monotonic() + TIMEOUT
            while not all(
                arrived[i].is_set() or (pids[i] is not None and _blocked(raw, pids[i]))
                for i in range(len(followers))
            ):
                if time.monotonic() > deadline:
                    raise AssertionError("a follower neither arrived nor blocked in time")
                time.sleep(0.005)
        return execute(sql, params, many, context)

    def run_leader():
        try:
            with connection.execute_wrapper(hold):
                results[0] = leader()
        except BaseException as exc:  # noqa: BLE001 - the test inspects what each thread met
            results[0] = exc
        finally:
            leader_paused.set()  # never reached `at`: let the followers run and the test fail
            leader_done.set()
            connection.close()

    def run_follower(i: int, call: Callable[[], Any]):
        def mark(execute, sql, params, many, context):
            if at.search(sql):
                arrived[i].set()
            return execute(sql, params, many, context)

        try:
            leader_paused.wait(timeout=TIMEOUT)
            connection.ensure_connection()
            pids[i] = connection.connection.get_backend_pid()
            with connection.execute_wrapper(mark):
                results[i + 1] = call()
        except BaseException as exc:  # noqa: BLE001
            results[i + 1] = exc
        finally:
            arrived[i].set()  # finished without reaching `at` (e.g. refused early)
            connection.close()

    threads = [threading.Thread(target=run_leader)] + [
        threading.Thread(target=run_follower, args=(i, call)) for i, call in enumerate(followers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if not leader_done.is_set():
        raise AssertionError("the leader did not finish")
    return results
