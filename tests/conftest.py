"""Shared fixtures: a small union tree (city → two districts → townships → grassroots) and staff
users at each level. Tests run against PostgreSQL only (make test sets DATABASE_URL); under
pytest-xdist each worker has its own test database (pytest-django's _gw<n> suffix) and its own
Redis database (see `_redis_per_worker`)."""

import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from members.models import StaffProfile, Union
from tests.factories import UnionFactory, make_staff
from tests.portal.browser import chromium  # noqa: F401  (one Chromium per browser-test module)


def pytest_configure(config):
    # Row locks, partial unique indexes and real concurrent connections are what many tests prove;
    # on SQLite seven concurrency tests fail and others pass for the wrong reason.
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        raise pytest.UsageError(
            f"The test suite runs on PostgreSQL only, not {engine}. Set DATABASE_URL, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/huzhou_union (make test does). "
            "The embedded SQLite default is covered by tests/test_demo_smoke.py, which runs "
            "the demo on SQLite in a subprocess."
        )


def xdist_worker_index(config) -> int:
    """0 outside xdist, n for xdist worker gw<n>."""
    worker = getattr(config, "workerinput", {}).get("workerid", "gw0")
    return int(worker.removeprefix("gw"))


@pytest.fixture(scope="session", autouse=True)
def _redis_per_worker(request):
    """Each xdist worker on its own Redis database: the base number in REDIS_URL plus the
    worker's index (mod 16), so a real Celery worker started by one xdist worker can never take
    another's messages or results. The Celery app reads its broker from these settings lazily,
    and nothing has connected before the first test."""
    if not settings.REDIS_URL:
        return
    index = xdist_worker_index(request.config)
    match = re.fullmatch(r"(?P<base>.*?)(?:/(?P<db>\d+))?", settings.REDIS_URL)
    url = f"{match['base']}/{(int(match['db'] or 0) + index) % 16}"
    settings.REDIS_URL = settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = url
    # The cache too (dashboard/caching.py), emptied: keys name snapshot ids, which a fresh test
    # database hands out again, so a previous run's entries must not answer this run's tests.
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": url},
    }
    from django.core.cache import cache
    from django.test.signals import setting_changed

    setting_changed.send(sender=None, setting="CACHES", value=settings.CACHES, enter=True)
    cache.clear()
    from huzhou_union.celery import app

    app.conf.broker_url = app.conf.result_backend = url


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness buys nothing in tests and costs seconds per staff user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    # Fixtures sign staff in with force_login/force_authenticate, which no authenticator can
    # verify; the two-factor tests (tests/members/test_signin_two_factor.py) turn it back on.
    settings.OTP_REQUIRED = False


@dataclass
class Tree:
    city: Union
    wuxing: Union
    nanxun: Union
    zhili: Union  # township in 吴兴
    balidian: Union  # township in 吴兴
    shuanglin: Union  # township in 南浔
    zhili_factory: Union  # grassroots under 织里
    zhili_joint: Union  # joint union under 织里
    balidian_factory: Union
    shuanglin_factory: Union


@pytest.fixture
def tree(db) -> Tree:
    L = Union.Level
    city = UnionFactory(code="330500", name="湖州市总工会", level=L.CITY)
    wuxing = UnionFactory(code="330502", name="吴兴区总工会", level=L.DISTRICT, parent=city)
    nanxun = UnionFactory(code="330503", name="南浔区总工会", level=L.DISTRICT, parent=city)
    zhili = UnionFactory(code="330502001", name="织里镇总工会", level=L.TOWNSHIP, parent=wuxing)
    balidian = UnionFactory(
        code="330502002", name="八里店镇总工会", level=L.TOWNSHIP, parent=wuxing
    )
    shuanglin = UnionFactory(code="330503002", name="双林镇总工会", level=L.TOWNSHIP, parent=nanxun)
    return Tree(
        city=city,
        wuxing=wuxing,
        nanxun=nanxun,
        zhili=zhili,
        balidian=balidian,
        shuanglin=shuanglin,
        zhili_factory=UnionFactory(code="330502001G0001", name="织里童装厂工会", parent=zhili),
        zhili_joint=UnionFactory(
            code="330502001L01", name="织里镇新就业形态联合工会", parent=zhili, is_joint=True
        ),
        balidian_factory=UnionFactory(
            code="330502002G0001", name="八里店电机厂工会", parent=balidian
        ),
        shuanglin_factory=UnionFactory(
            code="330503002G0001", name="双林纺织厂工会", parent=shuanglin
        ),
    )


@pytest.fixture
def staff(tree):
    """One user per role, each at a typical place in the tree."""
    R = StaffProfile.Role
    return {
        "city_admin": make_staff(tree.city, R.CITY_ADMIN, "city"),
        "district_admin": make_staff(tree.wuxing, R.DISTRICT_ADMIN, "wuxing"),
        "township_admin": make_staff(tree.zhili, R.TOWNSHIP_ADMIN, "zhili"),
        "grassroots_admin": make_staff(tree.zhili_factory, R.GRASSROOTS_ADMIN, "factory"),
        "leadership": make_staff(tree.city, R.LEADERSHIP, "leader"),
        "nanxun_admin": make_staff(tree.nanxun, R.DISTRICT_ADMIN, "nanxun"),
    }


@pytest.fixture
def api():
    def client_for(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_for
