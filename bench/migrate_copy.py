#!/usr/bin/env python
"""The migrations on a copy of a scale-1.0 database (issue 16): time and locks of each.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hz_bench_city python bench/migrate_copy.py \\
        [--back app:migration] [--redo app:migration] [--keep] [--reuse]

It copies the database (`CREATE DATABASE <name>_mig TEMPLATE <name>`: nothing may be connected to
the source meanwhile), migrates the copy back to each --back target (default: members
0004_enterprise_year_and_form_at_joining, which undoes the members merges after it), unapplies each
--redo migration alone and applies it again (default: the two members migrations that index or
rewrite the whole members table, which --back cannot reach: undoing them would unapply welfare
0003_wage_contract_scope, whose reverse fails on the data, regional contracts having no
enterprise), then applies the rest forward one at a time, as a deploy would. For each it prints:
- its wall time (one transaction on PostgreSQL: every lock it takes is held until its end);
- the tables it locked and the strongest mode, sampled from pg_locks every 50 ms;
- how long a reader (`SELECT ... WHERE id = ?` on members_member) and a writer (`UPDATE` of one
  member, rolled back) were kept waiting meanwhile: the outage a clerk would see.
"""

import argparse
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huzhou_union.settings")

# pg_locks modes, weakest to strongest.
MODES = [
    "AccessShareLock",
    "RowShareLock",
    "RowExclusiveLock",
    "ShareUpdateExclusiveLock",
    "ShareLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
]
BLOCKS = {
    "ShareLock": "blocks writes",
    "ShareRowExclusiveLock": "blocks writes",
    "ExclusiveLock": "blocks writes",
    "AccessExclusiveLock": "blocks reads and writes",
}


@dataclass
class Window:
    locks: dict[str, str] = field(default_factory=dict)  # table → strongest mode
    read_wait: float = 0.0
    write_wait: float = 0.0


class Watch:
    """While a migration runs: sample its locks and probe members_member from two other sessions."""

    def __init__(self, url: str, pid: int, member_id: int):
        import psycopg2

        self.pid = pid
        self.member_id = member_id
        self.sampler = psycopg2.connect(url)
        self.sampler.autocommit = True
        self.reader = psycopg2.connect(url)
        self.reader.autocommit = True
        self.writer = psycopg2.connect(url)
        self.window = Window()
        self.running = False
        self.threads: list[threading.Thread] = []

    def __enter__(self):
        self.window = Window()
        self.running = True
        self.threads = [
            threading.Thread(target=self._sample, daemon=True),
            threading.Thread(target=self._probe, args=(self.reader, False), daemon=True),
            threading.Thread(target=self._probe, args=(self.writer, True), daemon=True),
        ]
        for t in self.threads:
            t.start()
        return self.window

    def __exit__(self, *exc):
        self.running = False
        for t in self.threads:
            t.join()

    def _sample(self) -> None:
        with self.sampler.cursor() as cur:
            while self.running:
                cur.execute(
                    "SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                    " WHERE l.pid = %s AND l.granted AND c.relkind IN ('r', 'p')"
                    " AND c.relnamespace = 'public'::regnamespace",
                    [self.pid],
                )
                for table, mode in cur.fetchall():
                    known = self.window.locks.get(table)
                    if known is None or MODES.index(mode) > MODES.index(known):
                        self.window.locks[table] = mode
                time.sleep(0.05)

    def _probe(self, conn, write: bool) -> None:
        with conn.cursor() as cur:
            while self.running:
                start = time.perf_counter()
                if write:
                    cur.execute(
                        "UPDATE members_member SET updated_at = updated_at WHERE id = %s",
                        [self.member_id],
                    )
                    conn.rollback()
                else:
                    cur.execute("SELECT id FROM members_member WHERE id = %s", [self.member_id])
                    cur.fetchall()
                waited = time.perf_counter() - start
                if write:
                    self.window.write_wait = max(self.window.write_wait, waited)
                else:
                    self.window.read_wait = max(self.window.read_wait, waited)
                time.sleep(0.05)

    def close(self) -> None:
        for conn in (self.sampler, self.reader, self.writer):
            conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--back",
        action="append",
        help="app:migration to migrate the copy back to first (repeatable)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the copy afterwards")
    parser.add_argument(
        "--redo",
        action="append",
        help="app:migration to unapply alone and apply again, timed (repeatable): for a migration"
        " that --back cannot reach because a later one of another app refuses to go back",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="use the copy a previous --keep run left"
    )
    args = parser.parse_args()
    targets = [
        tuple(t.split(":", 1))
        for t in (args.back or ["members:0004_enterprise_year_and_form_at_joining"])
    ]

    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("bench/migrate_copy.py needs DATABASE_URL pointing at PostgreSQL")
    parts = urlparse(base)
    source = parts.path.lstrip("/")
    copy = f"{source}_mig"
    url = urlunparse(parts._replace(path=f"/{copy}"))

    import psycopg2

    admin = psycopg2.connect(urlunparse(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cur:
        if not args.reuse:
            cur.execute(f'DROP DATABASE IF EXISTS "{copy}"')
            start = time.perf_counter()
            cur.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
            print(f"copied in {time.perf_counter() - start:.1f} s")
        cur.execute("SELECT pg_size_pretty(pg_database_size(%s))", [copy])
        size = cur.fetchone()[0]
    print(f"copy: {copy} ({size})")

    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "False"
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    with connection.cursor() as cur:
        cur.execute("SELECT count(*), min(id) FROM members_member")
        members, member_id = cur.fetchone()
    print(f"members_member: {members:,} rows")
    pid = connection.connection.info.backend_pid
    watch = Watch(url, pid, member_id)
    results = []

    for app, name in targets:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan([(app, name)])
        with watch as window:
            start = time.perf_counter()
            executor.migrate([(app, name)])
            took = time.perf_counter() - start
        undone = ", ".join(f"{m.app_label}.{m.name}" for m, _b in plan)
        results.append((f"back to {app}.{name} (undoes {len(plan)}: {undone})", took, window))

    from django.db.migrations.loader import MigrationLoader

    # The two members migrations that index or rewrite the whole table: --back cannot reach them.
    redo = args.redo or [
        "members:0004_search_indexes",
        "members:0004_enterprise_year_and_form_at_joining",
    ]
    for app, name in (tuple(t.split(":", 1)) for t in redo):
        loader = MigrationLoader(connection)
        migration = loader.get_migration(app, name)
        with connection.schema_editor(atomic=migration.atomic) as editor:
            migration.unapply(loader.project_state((app, name), at_end=True), editor)
        with watch as window:
            start = time.perf_counter()
            with connection.schema_editor(atomic=migration.atomic) as editor:
                migration.apply(loader.project_state((app, name), at_end=False), editor)
            took = time.perf_counter() - start
        results.append((f"{app}.{name} (unapplied alone, then applied again)", took, window))

    executor = MigrationExecutor(connection)
    forward = [m for m, backwards in executor.migration_plan(executor.loader.graph.leaf_nodes())]
    total = 0.0
    for migration in forward:
        executor = MigrationExecutor(connection)
        with watch as window:
            start = time.perf_counter()
            executor.migrate([(migration.app_label, migration.name)])
            took = time.perf_counter() - start
        total += took
        results.append((f"{migration.app_label}.{migration.name}", took, window))
    watch.close()
    connection.close()
    if not args.keep:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{copy}"')
    admin.close()

    print(f"\nforward: {len(forward)} migrations in {total:.1f} s on {members:,} members\n")
    print("| migration | time | tables locked (strongest mode) | reader waited | writer waited |")
    print("|---|---|---|---|---|")
    for label, took, window in results:
        member_lock = window.locks.get("members_member")
        locks = ", ".join(
            f"{t} {m.removesuffix('Lock')}" + (f" ({BLOCKS[m]})" if m in BLOCKS else "")
            for t, m in sorted(window.locks.items())
            if m != "AccessShareLock"
        )
        flag = " **rewrites/locks members_member**" if member_lock in BLOCKS else ""
        print(
            f"| {label}{flag} | {took:.2f} s | {locks or '-'} | {window.read_wait:.2f} s"
            f" | {window.write_wait:.2f} s |"
        )


if __name__ == "__main__":
    main()
