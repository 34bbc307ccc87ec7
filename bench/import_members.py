#!/usr/bin/env python
"""Benchmark the roster import against raw PostgreSQL COPY, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huzhou_union python bench/import_members.py --rows 100000

It makes a fresh scratch database (<name>_bench), migrates it, builds the synthetic union tree,
writes an N-row roster CSV, then:
  1. imports it with `manage.py import_members` (a child process: wall time and peak RSS);
  2. COPYs the same rows, as the import stored them, into a scratch copy of members_member
     (CREATE TABLE ... (LIKE members_member INCLUDING ALL): same columns, indexes, checks), and
     again into such a copy that also has the table's two foreign keys (LIKE leaves them out);
  3. COPYs the raw roster CSV into an 8-column text table (the floor: parsing only).
and prints rows/s, peak memory and the ratios.
"""

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def scratch_url(url: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path=parts.path.rstrip("/") + "_bench"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the figures")
    args = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/huzhou_union")
    if not base.startswith("postgres"):
        sys.exit("bench/import_members.py needs DATABASE_URL pointing at PostgreSQL")
    url = scratch_url(base)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "huzhou_union.settings"}
    os.environ.update(env)

    import psycopg2

    admin = psycopg2.connect(urlunparse(urlparse(url)._replace(path="/postgres")))
    admin.autocommit = True
    dbname = urlparse(url).path.lstrip("/")
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        cur.execute(f'CREATE DATABASE "{dbname}"')
    admin.close()
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)

    import django

    django.setup()
    import random

    from django.db import connection

    from members.demo import REGISTERED_2024, build_tree, roster
    from members.importing import ROSTER_HEADERS

    scale = args.rows / REGISTERED_2024
    rng = random.Random(args.seed)
    grassroots = build_tree(scale=scale, rng=rng)
    workdir = Path(tempfile.mkdtemp(prefix="hz-bench-"))
    roster_path = workdir / "roster.csv"
    with roster_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(ROSTER_HEADERS)
        n = 0
        for _number, row in roster(scale=scale, rng=rng, grassroots=grassroots):
            writer.writerow([row[h] for h in ROSTER_HEADERS])
            n += 1
            if n == args.rows:
                break
    connection.close()
    print(f"roster: {n} rows, {roster_path.stat().st_size / 1e6:.1f} MB ({roster_path})")

    # 1. our import, in a child process so its peak memory is its own
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "import_members", str(roster_path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    ours = time.perf_counter() - started
    out = proc.stdout.read().decode()
    err = proc.stderr.read().decode()
    if status != 0:
        sys.exit(f"import failed:\n{out}\n{err[-2000:]}")
    peak_mb = usage.ru_maxrss / 1024
    print(f"import_members: {out.strip()}")
    from common.models import ImportBatch

    # The audit (issue 10.7) was on: the import is kept as one recorded batch.
    audit = ImportBatch.objects.order_by("-pk").values("kind", "total", "created", "sha256").first()
    print(f"audit batch: {audit}")

    # 2. COPY the same rows as stored into a scratch copy of the table
    with connection.cursor() as cur:
        buffer = io.BytesIO()
        raw = cur.connection
        with raw.cursor() as c:
            c.copy_expert("COPY members_member TO STDOUT", buffer)
        buffer.seek(0)
        c = raw.cursor()
        c.execute("DROP TABLE IF EXISTS bench_member_copy")
        c.execute("CREATE TABLE bench_member_copy (LIKE members_member INCLUDING ALL)")
        raw.commit()
        started = time.perf_counter()
        c.copy_expert("COPY bench_member_copy FROM STDIN", buffer)
        raw.commit()
        copy_table = time.perf_counter() - started
        # 2b. the same, with the table's two foreign keys (which the real import also checks)
        c.execute("DROP TABLE IF EXISTS bench_member_copy_fk")
        c.execute("CREATE TABLE bench_member_copy_fk (LIKE members_member INCLUDING ALL)")
        c.execute(
            "ALTER TABLE bench_member_copy_fk"
            " ADD FOREIGN KEY (union_id) REFERENCES members_union (id) DEFERRABLE INITIALLY DEFERRED,"
            " ADD FOREIGN KEY (enterprise_id) REFERENCES members_enterprise (id)"
            " DEFERRABLE INITIALLY DEFERRED"
        )
        raw.commit()
        buffer.seek(0)
        started = time.perf_counter()
        c.copy_expert("COPY bench_member_copy_fk FROM STDIN", buffer)
        raw.commit()
        copy_table_fk = time.perf_counter() - started
        c.execute("DROP TABLE bench_member_copy_fk")
        raw.commit()
        # 3. COPY the raw roster into a plain text table
        c.execute("DROP TABLE IF EXISTS bench_roster_copy")
        c.execute(
            "CREATE TABLE bench_roster_copy (" + ", ".join(f"c{i} text" for i in range(8)) + ")"
        )
        raw.commit()
        started = time.perf_counter()
        with roster_path.open("rb") as fh:
            c.copy_expert("COPY bench_roster_copy FROM STDIN WITH (FORMAT csv, HEADER true)", fh)
        raw.commit()
        copy_raw = time.perf_counter() - started
        c.execute("DROP TABLE bench_member_copy")
        c.execute("DROP TABLE bench_roster_copy")
        raw.commit()

    print()
    print(f"{'path':<44}{'seconds':>10}{'rows/s':>12}")
    print(f"{'import_members (validate, encrypt, write)':<44}{ours:>10.2f}{n / ours:>12,.0f}")
    print(f"{'COPY into a copy of members_member':<44}{copy_table:>10.2f}{n / copy_table:>12,.0f}")
    print(
        f"{'  the same, with its two foreign keys':<44}{copy_table_fk:>10.2f}{n / copy_table_fk:>12,.0f}"
    )
    print(
        f"{'COPY of the raw roster CSV (text columns)':<44}{copy_raw:>10.2f}{n / copy_raw:>12,.0f}"
    )
    print()
    print(f"peak memory of import_members: {peak_mb:.0f} MB")
    print(f"ratio import / COPY into members_member copy: {ours / copy_table:.2f}x")
    print(f"ratio import / COPY into the copy with foreign keys: {ours / copy_table_fk:.2f}x")
    print(f"ratio import / COPY of raw CSV: {ours / copy_raw:.2f}x")
    print(f"projected for 681,000 rows at this rate: {681_000 / (n / ours):.0f} s")
    if args.json:
        figures = {
            "rows": n,
            "import_s": ours,
            "copy_s": copy_table,
            "copy_fk_s": copy_table_fk,
            "copy_raw_s": copy_raw,
            "peak_mb": peak_mb,
            "audit_batch": bool(audit and audit["total"] == n),
            "import_output": out.strip(),
        }
        print("JSON " + json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
