#!/usr/bin/env python
"""City-scale benchmark (issue 13): every row of the issue's table, each with its baseline measured
in the same run, then a markdown table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hz_bench_city REDIS_URL=redis://127.0.0.1:6379/8 \\
        python bench/city.py --db --time-seed      # reuse the database if it holds members

Without --db (or on an empty database) the database is seeded first with
`seed_demo --scale S --seed 2024 --accounts`, and that is the seed row; with --db, --time-seed seeds
a scratch copy (<name>_seed, dropped after) to time it. Rows and their baselines:
- roll-up (`rollup_year`, grouped) vs the floor: one GROUP BY pass over members_member;
- the pages, over HTTP against a gunicorn this script starts with the repository's
  gunicorn.conf.py: member search (full name, surname, phone) and the member change page as the
  city admin and a district admin, the drill-down `registered_members` (HTML): each request
  alternates with one to the bare page `/admin/login/`, so both see the same machine load;
- `GET /api/v1/dashboard/indicators/` under N concurrent users (locust, headless) vs
  `/admin/login/` under the same load, run back to back: throughput and p95;
- `import_members` of 100,000 rows (bench/import_members.py: the audit batch on, peak RSS) vs COPY
  into a copy of members_member with its foreign keys;
- `seed_demo --scale 1.0`: wall time (goal: 120 s; there is no baseline to divide by).
EXPLAIN (ANALYZE, BUFFERS) of the member list queries the admin ran goes to --explain (a file).
"""

import argparse
import csv
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huzhou_union.settings")
BIN = Path(sys.executable).parent
BARE = "/admin/login/"


@dataclass
class Row:
    work: str
    measured: str
    baseline: str
    ratio: float | None
    goal: str
    met: bool | None

    def line(self) -> str:
        ratio = f"{self.ratio:.2f}x" if self.ratio is not None else "-"
        met = {True: "yes", False: "**no**", None: "-"}[self.met]
        return (
            f"| {self.work} | {self.measured} | {self.baseline} | {ratio} | {self.goal} | {met} |"
        )


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def pct(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


# --- the database ---------------------------------------------------------------------------------
def admin_connection(url: str):
    import psycopg2

    conn = psycopg2.connect(urlunparse(urlparse(url)._replace(path="/postgres")))
    conn.autocommit = True
    return conn


def seed(url: str, scale: float) -> tuple[float, str]:
    """migrate + seed_demo in a child process on `url`; the seed's wall time and its output."""
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "False"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "seed_demo",
            "--scale",
            str(scale),
            "--seed",
            "2024",
            "--accounts",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, proc.stdout


def time_seed_on_scratch(base_url: str, scale: float) -> tuple[float, str]:
    parts = urlparse(base_url)
    name = parts.path.lstrip("/") + "_seed"
    url = urlunparse(parts._replace(path=f"/{name}"))
    conn = admin_connection(base_url)
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        return seed(url, scale)
    finally:
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.close()


# --- staff and sessions ---------------------------------------------------------------------------
def bench_staff(username: str):
    """The demo accounts seed_demo --accounts makes: `city` (city admin) and `wuxing` (district);
    made here the same way if the database was seeded without them."""
    from django.contrib.auth.models import User

    from members.management.commands.seed_demo import Command as SeedDemo

    if not User.objects.filter(username=username).exists():
        SeedDemo()._accounts()
    return User.objects.select_related("staff_profile__union").get(username=username)


def session_cookie(user) -> str:
    """A signed-in session for `user`, with a confirmed TOTP device verified on it, as the
    sign-in page and /admin/2fa/ would leave it: the bench signs in without typing a code."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "members.backends.ScopedModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


# --- gunicorn -------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """The app under the repository's gunicorn.conf.py, as production runs it (DEBUG off)."""

    def __init__(self, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log.open("w")
        env = {**os.environ, "DEBUG": "False"}
        self.proc = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "huzhou_union.wsgi",
                "-c",
                str(ROOT / "gunicorn.conf.py"),
                "-b",
                f"127.0.0.1:{self.port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        import requests

        deadline = time.monotonic() + 300  # five workers importing Django on a loaded machine
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + BARE, timeout=60).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer; see {log}")

    def describe(self) -> str:
        import gunicorn.config

        cfg = gunicorn.config.Config()
        namespace: dict = {}
        exec((ROOT / "gunicorn.conf.py").read_text(), namespace)
        for key, value in namespace.items():
            if key in cfg.settings:
                cfg.set(key, value)
        return (
            f"gunicorn {cfg.worker_class_str} workers={cfg.workers} threads={cfg.threads} "
            f"timeout={cfg.timeout}s"
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        self.log.close()


def paired(session, bare_session, base: str, path: str, n: int, params=None):
    """n requests to `path`, each followed by one to the bare page: (times, bare times, size)."""
    times, bare, size = [], [], 0
    session.get(base + path, params=params)  # warm: the first request of a worker pays imports
    bare_session.get(base + BARE)
    for _ in range(n):
        start = time.perf_counter()
        response = session.get(base + path, params=params)
        times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise RuntimeError(f"{path} {params}: HTTP {response.status_code}")
        size = len(response.content)
        start = time.perf_counter()
        bare_session.get(base + BARE)
        bare.append(time.perf_counter() - start)
    return times, bare, size


def locust_run(base: str, path: str, cookie: str, users: int, seconds: int, out: Path) -> dict:
    prefix = out / f"locust{path.replace('/', '_')}"
    env = {**os.environ, "BENCH_PATH": path, "BENCH_COOKIE": cookie}
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--host",
            base,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        check=False,  # locust exits 1 when any request failed; the failures are counted below
        capture_output=True,
    )
    with open(f"{prefix}_stats.csv", newline="") as fh:
        rows = {r["Name"]: r for r in csv.DictReader(fh)}
    agg = rows["Aggregated"]
    return {
        "rps": float(agg["Requests/s"]),
        "p50": float(agg["50%"]) / 1000,
        "p95": float(agg["95%"]) / 1000,
        "requests": int(agg["Request Count"]),
        "failures": int(agg["Failure Count"]),
    }


# --- EXPLAIN --------------------------------------------------------------------------------------
def explain_searches(users: dict, terms: dict, out: Path) -> None:
    """The member queries the admin changelist runs for each search, EXPLAIN (ANALYZE, BUFFERS)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    settings.OTP_REQUIRED = False
    lines = [f"# EXPLAIN of the member list queries ({time.strftime('%Y-%m-%d %H:%M UTC')})\n"]
    for who, user in users.items():
        client = Client()
        client.force_login(user)
        for label, term in terms.items():
            with CaptureQueriesContext(connection) as ctx:
                client.get("/admin/members/member/", {"q": term})
            for q in ctx.captured_queries:
                sql = q["sql"]
                if 'FROM "members_member"' not in sql or not sql.startswith("SELECT"):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join(r[0] for r in cursor.fetchall())
                lines.append(
                    f"## {who}, {label} ({term!r})\n\n```sql\n{sql}\n```\n\n```\n{plan}\n```\n"
                )
    out.write_text("\n".join(lines))


# --- main -----------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", action="store_true", help="reuse the database if it has members")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--n", type=int, default=30, help="requests per page row")
    parser.add_argument("--users", type=int, default=50, help="concurrent users (locust)")
    parser.add_argument("--seconds", type=int, default=20, help="length of each locust run")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--time-seed", action="store_true", help="with --db: seed a scratch copy")
    parser.add_argument(
        "--skip",
        default="",
        help="comma list of rows to leave out: seed,rollup,pages,load,import",
    )
    parser.add_argument("--explain", type=Path, help="write the EXPLAIN note to this file")
    args = parser.parse_args()
    skip = {s for s in args.skip.split(",") if s}
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("bench/city.py needs DATABASE_URL pointing at PostgreSQL")
    os.environ["DEBUG"] = "False"  # no query log in this process either
    workdir = Path(tempfile.mkdtemp(prefix="hz-city-"))
    rows: list[Row] = []
    print(f"# {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, {load()}", flush=True)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dashboard import services
    from members.models import Member

    call_command("migrate", verbosity=0)
    seed_s = None
    if not Member.objects.exists():
        connection.close()
        seed_s, out = seed(url, args.scale)
        print(out, flush=True)
    elif args.time_seed and "seed" not in skip:
        seed_s, out = time_seed_on_scratch(url, args.scale)
        print(out, flush=True)
    if seed_s is not None:
        rows.append(
            Row(
                f"`seed_demo --scale {args.scale}`",
                f"{seed_s:.0f} s ({load()})",
                "-",
                None,
                "≤ 120 s",
                seed_s <= 120,
            )
        )
    members = Member.objects.count()
    print(f"# members: {members:,} (scale {args.scale})", flush=True)

    if "rollup" not in skip:

        def floor():
            with connection.cursor() as cursor:
                cursor.execute("SELECT union_id, COUNT(*) FROM members_member GROUP BY union_id")
                cursor.fetchall()

        floor_before = min(timed(floor, 3))
        start = time.perf_counter()
        services.rollup_year(year=2024)
        rollup_s = time.perf_counter() - start
        floor_s = min(floor_before, *timed(floor, 3))
        print(f"# roll-up {rollup_s:.1f} s, GROUP BY floor {floor_s:.3f} s, {load()}", flush=True)
        rows.append(
            Row(
                "`rollup --year 2024`",
                f"{rollup_s:.1f} s",
                f"GROUP BY pass {floor_s:.2f} s",
                rollup_s / floor_s,
                "≤ 20x",
                rollup_s / floor_s <= 20,
            )
        )

    city = bench_staff("city")
    district = bench_staff("wuxing")
    viewers = {"city": city, "district": district}
    sample = Member.objects.filter(union__path__startswith=district.staff_profile.union.path)
    sample = sample.order_by("pk")[sample.count() // 2]
    terms = {"full name": sample.name, "surname": sample.name[0], "phone": sample.phone[:7]}
    cookies = {who: session_cookie(user) for who, user in viewers.items()}
    connection.close()

    server = None
    if not {"pages", "load"} <= skip:
        server = Gunicorn(workdir / "gunicorn.log")
        print(f"# {server.describe()} at {server.url}", flush=True)
    try:
        if "pages" not in skip:
            import requests

            bare_session = requests.Session()
            for who in viewers:
                session = requests.Session()
                session.headers["Cookie"] = cookies[who]
                for label, term in terms.items():
                    times, bare, _size = paired(
                        session,
                        bare_session,
                        server.url,
                        "/admin/members/member/",
                        args.n,
                        {"q": term},
                    )
                    ratio = pct(times, 95) / pct(bare, 95)
                    rows.append(
                        Row(
                            f"member search, {label} ({who}) p50 / p95",
                            f"{ms(pct(times, 50))} / {ms(pct(times, 95))}",
                            f"bare p95 {ms(pct(bare, 95))}",
                            ratio,
                            "p95 ≤ 4x",
                            ratio <= 4,
                        )
                    )
                    print(rows[-1].line(), flush=True)
                target = Member.objects.filter(
                    union__path__startswith=viewers[who].staff_profile.union.path
                ).order_by("pk")[members // 3 if who == "city" else 0]
                times, bare, size = paired(
                    session,
                    bare_session,
                    server.url,
                    f"/admin/members/member/{target.pk}/change/",
                    args.n,
                )
                ratio = pct(times, 95) / pct(bare, 95)
                rows.append(
                    Row(
                        f"member change page ({who}) p95, size",
                        f"{ms(pct(times, 95))}, {size / 1024:.0f} KB",
                        f"bare p95 {ms(pct(bare, 95))}",
                        ratio,
                        "p95 ≤ 5x, ≤ 100 KB",
                        ratio <= 5 and size <= 100 * 1024,
                    )
                )
                print(rows[-1].line(), flush=True)
                times, bare, size = paired(
                    session,
                    bare_session,
                    server.url,
                    "/dashboard/figures/registered_members/",
                    args.n,
                    {"year": 2024},
                )
                ratio = pct(times, 95) / pct(bare, 95)
                rows.append(
                    Row(
                        f"drill-down `registered_members` HTML ({who}) p50 / p95",
                        f"{ms(pct(times, 50))} / {ms(pct(times, 95))}",
                        f"bare p95 {ms(pct(bare, 95))}",
                        ratio,
                        "p95 ≤ 5x",
                        ratio <= 5,
                    )
                )
                print(rows[-1].line(), flush=True)
            print(f"# pages done, {load()}", flush=True)

        if "load" not in skip:
            api = "/api/v1/dashboard/indicators/?year=2024"
            bare_run = locust_run(server.url, BARE, "", args.users, args.seconds, workdir)
            api_run = locust_run(
                server.url, api, cookies["city"], args.users, args.seconds, workdir
            )
            share = api_run["rps"] / bare_run["rps"]
            rows.append(
                Row(
                    f"`GET /api/v1/dashboard/indicators/`, {args.users} users: req/s, p95",
                    f"{api_run['rps']:.0f} req/s, p95 {ms(api_run['p95'])}"
                    f" ({api_run['failures']} failed)",
                    f"bare {bare_run['rps']:.0f} req/s, p95 {ms(bare_run['p95'])}"
                    f" ({bare_run['failures']} failed)",
                    share,
                    "≥ 0.5x the bare page's req/s",
                    share >= 0.5 and api_run["failures"] == 0,
                )
            )
            print(rows[-1].line(), f"{load()}", flush=True)
    finally:
        if server is not None:
            server.stop()

    if "import" not in skip:
        proc = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "import_members.py"),
                "--rows",
                str(args.import_rows),
                "--json",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        print(proc.stdout, flush=True)
        figures = json.loads(re.search(r"^JSON (.*)$", proc.stdout, re.M).group(1))
        ratio = figures["import_s"] / figures["copy_fk_s"]
        rows.append(
            Row(
                f"`import_members` {figures['rows']:,} rows (audit batch on), peak RSS",
                f"{figures['import_s']:.1f} s, {figures['peak_mb']:.0f} MB",
                f"COPY into a copy with its FKs {figures['copy_fk_s']:.1f} s",
                ratio,
                "≤ 2.5x, ≤ 512 MB",
                ratio <= 2.5 and figures["peak_mb"] <= 512 and figures["audit_batch"],
            )
        )

    if args.explain:
        explain_searches(viewers, terms, args.explain)
        print(f"# EXPLAIN written to {args.explain}")

    print(f"\n# {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, {load()}")
    print(f"# {members:,} members; search terms: {terms}")
    print("\n| work | measured | baseline (same run) | ratio | goal | met |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(row.line())


if __name__ == "__main__":
    main()
