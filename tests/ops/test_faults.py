"""Faults survived, on real services (issue 16): processes killed with SIGKILL, PostgreSQL restarted,
connections dropped. Every test here runs against its own disposable PostgreSQL (initdb + pg_ctl in
a temporary directory, on a free port), migrated once per session into a template database that
each test copies; the machine's shared PostgreSQL and Redis are never touched. The portal runs in
subprocesses pointed at the disposable server, as production processes would be."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.ops.helpers import ROOT, app_env, disposable_postgres, manage, python

# One worker takes them all (make test runs -n 2 --dist loadgroup): one disposable server, migrated once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("ops_faults")]


@pytest.fixture(scope="module")
def pg():
    with disposable_postgres() as server:
        server.server.admin('CREATE DATABASE "template"')
        manage(app_env(server.server.url("template")), "migrate", "--noinput", "-v", "0")
        yield server


@pytest.fixture
def db_url(pg):
    """A fresh copy of the migrated template on the disposable server."""
    name = f"t_{uuid.uuid4().hex[:10]}"
    pg.server.admin(f'CREATE DATABASE "{name}" TEMPLATE "template"')
    yield pg.server.url(name)
    pg.server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def count(url: str, sql: str) -> int:
    import psycopg2

    conn = psycopg2.connect(url.replace("postgres://", "postgresql://"), connect_timeout=5)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]
    finally:
        conn.close()


# --- (a) a roster import killed half-way -------------------------------------------------------

ROSTER = """
import csv, random, sys
import django
django.setup()
from members.demo import REGISTERED_2024, build_tree, roster
from members.importing import ROSTER_HEADERS

rows = int(sys.argv[1])
rng = random.Random(2024)
grassroots = build_tree(scale=rows / REGISTERED_2024, rng=rng)
with open(sys.argv[2], "w", newline="", encoding="utf-8") as fh:
    writer = csv.writer(fh)
    writer.writerow(ROSTER_HEADERS)
    n = 0
    for _number, row in roster(scale=rows / REGISTERED_2024, rng=rng, grassroots=grassroots):
        writer.writerow([row[h] for h in ROSTER_HEADERS])
        n += 1
        if n == rows:
            break
print(n)
"""


def test_a_roster_import_killed_half_way_writes_nothing_and_the_same_file_imports_after(
    db_url, tmp_path
):
    # given: a roster of 20,000 members for the union tree of the database
    env = app_env(db_url)
    path = tmp_path / "roster.csv"
    rows = int(
        subprocess.run(
            [sys.executable, "-c", ROSTER, "20000", str(path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert rows == 20000

    # when: the import is killed (SIGKILL: no handler, no finally) while it is writing members
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "import_members", str(path), "--batch-size", "500"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # The import writes members with COPY, batch by batch, in one transaction; the statement a
    # backend ran last stays in pg_stat_activity while the transaction is open.
    writing = """SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND state <> 'idle'
                   AND (query ILIKE 'COPY members_member %' OR query ILIKE 'INSERT INTO "members_member"%')"""
    deadline = time.monotonic() + 300
    seen = 0
    while seen < 2 and proc.poll() is None and time.monotonic() < deadline:
        seen += count(db_url, writing)  # several batches seen written: it is half-way
        time.sleep(0.05)
    assert proc.poll() is None, "the import finished before it could be killed"
    assert seen >= 2
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    # then: nothing of it is in the database
    assert count(db_url, "SELECT count(*) FROM members_member") == 0
    assert count(db_url, "SELECT count(*) FROM common_importbatch") == 0
    # and the same file imports cleanly afterwards
    out = manage(env, "import_members", str(path))
    assert count(db_url, "SELECT count(*) FROM members_member") == 20000, out
    assert count(db_url, "SELECT count(*) FROM common_importbatch") == 1


# --- (d) PostgreSQL restarted under a check-in burst --------------------------------------------

BURST_SETUP = """
import json, sys
import django
django.setup()
from activities import services
from tests.activities.factories import ActivityFactory
from tests.factories import MemberFactory, UnionFactory

union = UnionFactory()
activity = ActivityFactory(union=union)
members = [MemberFactory(union=union).pk for _ in range(int(sys.argv[1]))]
print(json.dumps({"activity": activity.pk, "token": services.check_in_token(activity=activity),
                  "members": members}))
"""

BURST = """
import json, sys, threading, time
import django
django.setup()
from django.core.exceptions import ValidationError
from django.db import DatabaseError, close_old_connections, connection
from activities import services
from activities.models import Activity
from members.actors import MemberActor
from members.models import Member

plan = json.loads(sys.argv[1])
starts_at = Activity.objects.get(pk=plan["activity"]).starts_at
connection.close()
outcomes = {}

def scan(pks):
    for pk in pks:
        try:
            member = Member.objects.get(pk=pk)
            result = services.attendance_check_in(
                token=plan["token"], member=member, now=starts_at, by=MemberActor(member))
            outcomes[pk] = ["recorded" if result.created else "already", result.message]
        except (DatabaseError, ValidationError) as exc:
            # What the member is told: the check-in page answers a database error with a retry
            # message; here the class is enough to classify it.
            outcomes[pk] = ["refused", type(exc).__name__]
            connection.close()  # a broken connection is dropped; the next scan reconnects
        time.sleep(0.01)
    connection.close()

members = plan["members"]
threads = [threading.Thread(target=scan, args=(members[i::8],)) for i in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps(outcomes))
"""


def test_postgresql_restarted_under_a_check_in_burst_records_each_once_or_refuses(pg, db_url):
    # given: 400 members of one activity
    env = app_env(db_url, CONN_MAX_AGE="0")
    plan = json.loads(python(env, BURST_SETUP, "400"))

    # when: they all scan at once, and PostgreSQL restarts in the middle of the burst
    proc = subprocess.Popen(
        [sys.executable, "-c", BURST, json.dumps(plan)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        recorded = count(db_url, "SELECT count(*) FROM activities_attendance")
        if recorded >= 40:
            break
        time.sleep(0.05)
    pg.stop("fast")  # every open connection is cut, in-flight transactions roll back
    time.sleep(1)
    pg.start()
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    outcomes = {int(k): v for k, v in json.loads(out).items()}

    # then: every scan was answered: recorded, or refused with a reason
    assert set(outcomes) == set(plan["members"])
    refused = {pk for pk, (what, _msg) in outcomes.items() if what == "refused"}
    recorded = {pk for pk, (what, _msg) in outcomes.items() if what == "recorded"}
    assert refused, "the restart hit no scan: the test proved nothing"
    assert recorded, "no scan succeeded around the restart"
    rows = count(db_url, "SELECT count(*) FROM activities_attendance")
    people = count(db_url, "SELECT count(DISTINCT member_id) FROM activities_attendance")
    assert rows == people  # never twice
    # every member told "recorded" is recorded; a refused one may or may not be (the commit may
    # have gone through before the connection was cut), never half: a scan again tells which
    assert rows >= len(recorded)
    retry = subprocess.run(
        [sys.executable, "-c", BURST, json.dumps(plan | {"members": sorted(refused)})],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert retry.returncode == 0, retry.stderr
    second = {int(k): v for k, v in json.loads(retry.stdout).items()}
    assert {what for what, _msg in second.values()} <= {"recorded", "already"}
    assert count(db_url, "SELECT count(*) FROM activities_attendance") == 400
    assert count(db_url, "SELECT count(DISTINCT member_id) FROM activities_attendance") == 400


# --- (e) a payout retried after a connection drop -----------------------------------------------

PAYOUT = """
import json
import django
django.setup()
from decimal import Decimal
import psycopg2
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from members.actors import system
from tests.factories import MemberFactory, UnionFactory
from tests.welfare.factories import ClaimFactory, EnrolmentFactory, LineFactory, PlanFactory
from welfare.models import Claim, ClaimEvent, Payout
from welfare.services import claim_pay

by = system("payout drill")
city = UnionFactory()
line = LineFactory(plan=PlanFactory(union=city, year=2026))


def approved():
    enrolment = EnrolmentFactory(member=MemberFactory(union=city), line=line)
    return ClaimFactory(enrolment=enrolment, state=Claim.State.APPROVED,
                        allowed_amount=Decimal("2500.00"))


def drop_my_connection():
    db = settings.DATABASES["default"]
    pid = connection.connection.info.backend_pid
    killer = psycopg2.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"])
    killer.autocommit = True
    killer.cursor().execute("SELECT pg_terminate_backend(%s)", [pid])
    killer.close()


out = {}
# 1. the connection drops before the payment commits: the request fails, the retry pays
first = approved()
try:
    with transaction.atomic():
        claim_pay(claim=first, idempotency_key="pay-first", by=by)
        drop_my_connection()
    out["dropped_before_commit"] = "answered"
except DatabaseError as exc:
    out["dropped_before_commit"] = type(exc).__name__
connection.close()
out["paid_after_drop"] = Payout.objects.filter(claim=first).count()
payout, created = claim_pay(claim=Claim.objects.get(pk=first.pk), idempotency_key="pay-first", by=by)
out["retry_created"] = created

# 2. the payment commits, the connection drops before the answer reaches the caller: the retry
# (same key) and a doubled request (another key) get the first payout back
second = approved()
payout, created = claim_pay(claim=second, idempotency_key="pay-second", by=by)
drop_my_connection()
connection.close()
again, again_created = claim_pay(claim=Claim.objects.get(pk=second.pk), idempotency_key="pay-second", by=by)
doubled, doubled_created = claim_pay(claim=Claim.objects.get(pk=second.pk), idempotency_key="pay-second-b", by=by)
out.update(
    second_created=created, again_created=again_created, again_same=again.pk == payout.pk,
    doubled_created=doubled_created, doubled_same=doubled.pk == payout.pk,
)
for name, claim in (("first", first), ("second", second)):
    out[name] = {
        "payouts": Payout.objects.filter(claim=claim).count(),
        "state": Claim.objects.get(pk=claim.pk).state,
        "paid_events": ClaimEvent.objects.filter(claim=claim, to_state="paid").count(),
    }
print(json.dumps(out))
"""


def test_a_payout_retried_after_a_connection_drop_pays_once(db_url):
    out = json.loads(python(app_env(db_url, CONN_MAX_AGE="0"), PAYOUT))

    # the attempt whose connection dropped before commit failed loudly and paid nothing
    assert out["dropped_before_commit"] in {"OperationalError", "InterfaceError"}
    assert out["paid_after_drop"] == 0
    assert out["retry_created"] is True
    # the retry after a committed payment whose answer was lost pays nothing more
    assert out["second_created"] is True
    assert out["again_created"] is False and out["again_same"] is True
    assert out["doubled_created"] is False and out["doubled_same"] is True
    for name in ("first", "second"):
        assert out[name] == {"payouts": 1, "state": "paid", "paid_events": 1}


# --- (b) a roll-up whose worker is killed -------------------------------------------------------

TREE = """
import random
import django
django.setup()
from members.demo import build_tree

build_tree(scale=0.01, rng=random.Random(2024))
"""

RUNS = "SELECT {} FROM dashboard_rolluprun ORDER BY id"


def rows(url: str, sql: str) -> list[tuple]:
    import psycopg2

    conn = psycopg2.connect(url.replace("postgres://", "postgresql://"), connect_timeout=5)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    finally:
        conn.close()


def test_a_rollup_whose_worker_is_killed_leaves_the_last_snapshot_and_the_next_run_takes_over(
    db_url,
):
    # given: a union tree and a good roll-up of 2024
    env = app_env(db_url)
    python(env, TREE)
    manage(env, "rollup", "--year", "2024")
    current = "SELECT id FROM dashboard_snapshot WHERE year = 2024 AND is_current"
    good = rows(db_url, current)
    values = (
        "SELECT indicator_id, union_id, value FROM dashboard_snapshotvalue WHERE snapshot_id = {}"
    )
    good_values = sorted(rows(db_url, values.format(good[0][0])))
    assert len(good) == 1 and good_values

    # when: the next roll-up's process is killed (SIGKILL) while it computes
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "rollup", "--year", "2024"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if rows(db_url, RUNS.format("status") + " DESC LIMIT 1") == [("running",)]:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the roll-up finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    # then: the last good snapshot is still the current one, the dead run still holds the year
    assert rows(db_url, current) == good
    killed = rows(db_url, RUNS.format("id, status"))[-1]
    assert killed[1] == "running"
    assert rows(db_url, "SELECT run_id FROM dashboard_rolluplock WHERE year = 2024") == [
        (killed[0],)
    ]
    # and a run while the dead one's heartbeat is fresh is refused, not run twice at once
    busy = subprocess.run(
        [sys.executable, "manage.py", "rollup", "--year", "2024"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert busy.returncode != 0 and "正在进行" in busy.stderr
    assert rows(db_url, current) == good

    # when: the next run comes after the stale interval (here: zero minutes)
    manage(app_env(db_url, DASHBOARD_ROLLUP_STALE_MINUTES="0"), "rollup", "--year", "2024")

    # then: it took over: the dead run is marked failed, a new snapshot with the same figures
    statuses = dict(rows(db_url, RUNS.format("id, status")))
    assert statuses[killed[0]] == "failed"
    assert list(statuses.values()).count("succeeded") == 2
    message = rows(db_url, f"SELECT message FROM dashboard_rolluprun WHERE id = {killed[0]}")
    assert "接替" in message[0][0]
    now_current = rows(db_url, current)
    assert now_current != good
    assert sorted(rows(db_url, values.format(now_current[0][0]))) == good_values
    assert rows(db_url, "SELECT run_id FROM dashboard_rolluplock WHERE year = 2024") == [(None,)]


# --- (c) Redis stopped and started while the site serves ----------------------------------------

SITE = """
import json, random, sys
import django
django.setup()
from django.contrib.auth.models import User
from django.test import Client
from dashboard.models import RollupRun
from members.models import StaffProfile, Union

if sys.argv[1] == "setup":
    from members.demo import build_tree
    from tests.factories import make_staff

    build_tree(scale=0.001, rng=random.Random(2024))
    make_staff(Union.objects.get(level=Union.Level.CITY), StaffProfile.Role.CITY_ADMIN, "city")
    sys.exit(0)

client = Client()
client.force_login(User.objects.get(username="city"))
pages = {p: client.get(p).status_code for p in ("/admin/", "/api/v1/unions/", "/dashboard/?year=2024")}
pages["/health/ (anonymous)"] = Client().get("/health/").status_code
queued = client.post("/dashboard/rollup/", {"year": "2024"})
print(json.dumps({
    "pages": pages,
    "rollup_request": queued.status_code,
    "runs": list(RollupRun.objects.order_by("id").values_list("id", "status", "message")),
}))
"""


def test_redis_stopped_and_started_pages_answer_and_a_queued_job_runs_once(db_url):
    from tests.ops.helpers import disposable_redis

    with disposable_redis() as redis:
        env = app_env(
            db_url,
            REDIS_URL=redis.url,
            CELERY_TASK_ALWAYS_EAGER="False",
            HEALTH_TIMEOUT_SECONDS="1",
            OTP_REQUIRED="False",
        )
        python(env, SITE, "setup")

        # when: Redis is down while staff use the site and ask for a roll-up
        redis.stop()
        down = json.loads(python(env, SITE, "serve"))

        # then: every page answers; the health check says Redis is down
        assert down["pages"] == {
            "/admin/": 200,
            "/api/v1/unions/": 200,
            "/dashboard/?year=2024": 200,
            "/health/ (anonymous)": 503,
        }
        assert down["rollup_request"] == 302
        [(outage_run, _status, _message)] = down["runs"]

        # when: Redis is back, with a worker, and the roll-up is asked for again
        redis.start()
        worker = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                "huzhou_union",
                "worker",
                "-P",
                "solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            up = json.loads(python(env, SITE, "serve"))
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                statuses = [s for _id, s, _m in rows(db_url, RUNS.format("id, status, message"))]
                if statuses[-1] in {"succeeded", "failed"}:
                    break
                time.sleep(0.5)
        finally:
            worker.terminate()
            worker.wait(timeout=30)

        # then: the pages answered throughout, the new request ran exactly once, nothing twice
        assert set(up["pages"].values()) <= {200, 503}
        final = dict(rows(db_url, RUNS.format("id, status")))
        assert len(final) == 2
        assert [s for pk, s in final.items() if pk != outage_run] == ["succeeded"]
        assert rows(db_url, "SELECT count(*) FROM dashboard_snapshot") == [(1,)]
        # and the roll-up asked for during the outage says clearly that it failed
        outage = rows(
            db_url, f"SELECT status, message FROM dashboard_rolluprun WHERE id = {outage_run}"
        )
        assert outage[0][0] == "failed" and outage[0][1]
