"""schemathesis over every API operation, as a city admin and as a grassroots admin (issue 10
point 5): no input may produce a server error, and every answer must match the published schema.

How it stays deterministic and inside `make test`'s time:
- The schema is generated once per process, at import, by drf-spectacular (the document
  /api/schema/ serves), and the app is called in-process through WSGI on the test's own database
  connection: no server, no network.
- Hypothesis is derandomized, keeps no example database (nothing written under .hypothesis/) and
  does not shrink; MAX_EXAMPLES cases an operation. schemathesis' coverage phase is off: it adds
  about 80 boundary cases an operation as explicit examples that `max_examples` does not cap
  (17,500 for the 214 operations, built at collection time in every xdist worker).
- The records the operations act on (a union tree, the two accounts, a row of every scoped
  model) are built once per module per xdist worker in an outer transaction that is rolled back
  at the end; each test runs in pytest-django's savepoint and each example in its own savepoint,
  so no example sees another's writes and nothing outlives the module. Uploaded files go to a
  temporary MEDIA_ROOT of the worker.
- Half of the generated integer ids in a path are mapped onto the real row of the operation's
  model, so detail routes and their actions answer with real records (and real nulls), not only
  404s.

A failure names the operation, the role and the request that reproduces it."""

import functools
import json

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.urls import Resolver404, resolve
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from members.models import StaffProfile, Union
from members.tokens import token_issue
from tests.factories import UnionFactory, make_staff
from tests.security.routes import Route
from tests.security.test_leak_matrix import _build_district
from tests.security.test_permission_matrix import API_VIEWSETS, api_basename

# About 25 an operation was asked for. Writes get 25: their bodies are where bad input hides.
# Reads get 10: their only input is a few filters and a path id, and at 25 for every operation
# the run took 402 CPU-seconds (about 3.4 minutes on two cores, over the 3 the suite allows).
MAX_EXAMPLES = 25
MAX_EXAMPLES_READ = 10
ROLES = ("city_admin", "grassroots_admin")

# The schema the API publishes, loaded without a request.
_document = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))
schema = schemathesis.openapi.from_dict(
    _document,
    config=schemathesis.Config.from_dict(
        {
            "phases": {"coverage": {"enabled": False}},
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
            "operations": [
                {"include-method": "GET", "generation": {"max-examples": MAX_EXAMPLES_READ}}
            ],
        }
    ),
)
schema.app = get_wsgi_application()

# "<METHOD> <path>": the finding. Empty: every operation passes for both roles.
KNOWN_FAILURES: dict[str, str] = {}


class World:
    """What the fuzz acts on, built once per module (per xdist worker)."""

    def __init__(self, headers: dict[str, dict[str, str]], rows: dict, union_code: str):
        self.headers = headers
        self.rows = rows  # model label → row in the grassroots admin's union
        self.union_code = union_code


def _build_world() -> World:
    level = Union.Level
    city = UnionFactory(code="330500", name="湖州市总工会", level=level.CITY)
    wuxing = UnionFactory(code="330502", name="吴兴区总工会", level=level.DISTRICT, parent=city)
    zhili = UnionFactory(code="330502001", name="织里镇总工会", level=level.TOWNSHIP, parent=wuxing)
    factory = UnionFactory(code="330502001G0001", name="织里童装厂工会", parent=zhili)
    role = StaffProfile.Role
    users = {
        "city_admin": make_staff(city, role.CITY_ADMIN, "city"),
        "grassroots_admin": make_staff(factory, role.GRASSROOTS_ADMIN, "factory"),
    }
    headers = {}
    for name, user in users.items():
        _, key = token_issue(user=user)
        headers[name] = {"Authorization": f"Token {key}"}
    place = _build_district(factory, "F")
    return World(headers=headers, rows=place.rows, union_code=factory.code)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The records, in a transaction rolled back when the module ends. The WSGI handler closes
    the database connection around each request; the test transaction must survive it (Django's
    test client disconnects the same signals)."""
    media = tmp_path_factory.mktemp("fuzz-media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=str(media),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
            cache.clear()  # the dashboard caches figures in this process's cache


@pytest.fixture(params=ROLES)
def role(request) -> str:
    return request.param


@functools.cache
def _model_label(path: str) -> str | None:
    """The model of the viewset serving `path` (an API path with its parameters filled)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    basename = api_basename(Route(path, match.url_name, match.func))
    return API_VIEWSETS[basename][0] if basename else None


def _aim_at_real_rows(case, world: World) -> None:
    """Even generated ids become the id of the real row of the operation's model."""
    params = case.path_parameters or {}
    if "code" in params:
        params["code"] = world.union_code
    value = params.get("id")
    if isinstance(value, int) and not isinstance(value, bool) and value % 2 == 0:
        label = _model_label(case.operation.path.replace("{id}", "1"))
        row = world.rows.get(label) if label else None
        if row is not None:
            params["id"] = row.pk


@pytest.mark.django_db
@schema.parametrize()
@settings(
    # max_examples comes from the config above (per method); a value here would override it.
    derandomize=True,
    deadline=None,  # a request's time depends on the machine's load, not on the input
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
    suppress_health_check=[
        # The only function-scoped fixtures are the role name and pytest-django's savepoint;
        # each example runs in its own savepoint below, so examples cannot leak into each other.
        HealthCheck.function_scoped_fixture,
        # Request bodies of the big serializers are large and slow to generate; that is the
        # point of the run, not a flaw of the strategy.
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
def test_api_operation_answers_within_its_schema(case, role, world):
    key = f"{case.method.upper()} {case.operation.path}"
    if key in KNOWN_FAILURES:
        pytest.xfail(KNOWN_FAILURES[key])
    _aim_at_real_rows(case, world)
    headers = world.headers[role]
    with transaction.atomic():
        response = case.call(headers=headers)
        transaction.set_rollback(True)
    try:
        case.validate_response(
            response,
            checks=[not_a_server_error, response_schema_conformance, status_code_conformance],
            headers=headers,
        )
    except (FailureGroup, AssertionError) as failure:
        # schemathesis' report already holds the request as a curl command (token filtered).
        failure.add_note(f"Operation {key}, as {role} (the token of the `world` fixture's account)")
        raise
