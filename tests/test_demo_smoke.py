"""`make demo`'s path on the embedded default: SQLite, no Redis (Celery eager), in a subprocess so
the suite's own PostgreSQL settings play no part. Migrate, seed, roll up, then a few pages as the
demo's leader account would see them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

ROOT = Path(settings.BASE_DIR)

PAGES = """
import json

import django

django.setup()
from django.conf import settings
from django.test import Client

from members.management.commands.seed_demo import DEMO_PASSWORD

assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
assert settings.CELERY_TASK_ALWAYS_EAGER and not settings.REDIS_URL
client = Client()
login = client.get("/admin/login/")
assert login.status_code == 200, login.status_code
# Through the sign-in page, as a person would (django-axes needs the request).
signed_in = client.post("/admin/login/", {"username": "leader", "password": DEMO_PASSWORD})
assert signed_in.status_code == 302, signed_in.status_code
dashboard = client.get("/dashboard/?year=2024")
assert dashboard.status_code == 200, dashboard.status_code
indicators = client.get("/api/v1/dashboard/indicators/")
assert indicators.status_code == 200, indicators.status_code
unions = client.get("/api/v1/unions/")
assert unions.status_code == 200, unions.status_code
print(json.dumps({
    "dashboard": dashboard.content.decode(),
    "indicators": indicators.json(),
    "unions": unions.json(),
}))
"""


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_the_demo_runs_on_the_embedded_sqlite_default(tmp_path):
    # given: the environment of a fresh checkout, except for where the files go
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER", "DJANGO_ENV"}
    }
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "huzhou_union.settings",
    }

    # when: the steps of `make demo`, then the pages
    run(["manage.py", "migrate", "--noinput"], env)
    run(["manage.py", "seed_demo", "--scale", "0.002", "--seed", "2024", "--accounts"], env)
    run(["manage.py", "rollup", "--year", "2024"], env)
    out = run(["-c", PAGES], env)

    # then: the leader sees the 2024 figures the roll-up made
    pages = json.loads(out.strip().splitlines()[-1])
    assert "湖州市总工会" in pages["dashboard"]
    assert pages["indicators"]
    assert pages["unions"]["count"] > 0
