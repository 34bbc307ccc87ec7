"""schemathesis over every API operation, as a city admin and as a grassroots admin (issue 10
point 5), and over the member API (/api/v1/me/, issue 12) as a member with a member token: no
input may produce a server error, and every answer must match the published schema.

A staff token only ever gets 401/403 from the member API, so without the member role those
operations' bodies would never be validated. The member is enrolled in a mutual-aid line and
has a claim, a legal question and a golden idea; a recuperation programme, a training course, a
job fair and a competition are open to them. Operations that ask for a fresh SMS code (claims,
hardship aid, bank card, personal data) accept any well-formed code in this run, so the body
behind the code is validated too (the code itself is tested in tests/portal/test_step_up.py);
a request without a code still gets the documented 403.

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

import datetime as dt
import functools
import json
from unittest import mock

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.urls import Resolver404, resolve
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from members.actors import MemberActor
from members.models import StaffProfile, Union
from members.tokens import token_issue
from portal import stepup
from tests.factories import MemberFactory, UnionFactory, make_staff
from tests.security.routes import Route
from tests.security.test_leak_matrix import _build_district
from tests.security.test_permission_matrix import API_VIEWSETS, api_basename
from tests.skills.factories import CompetitionFactory, IdeaFactory
from tests.welfare.factories import ClaimFactory, EnrolmentFactory, LineFactory, PlanFactory
from welfare.models import JobFair, LegalConsultation, RecuperationProgramme, TrainingCourse
from welfare.services import bank_card_set

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
# An exclude, not `include(path_regex=...)`: the per-method entry of the config above is itself
# an include filter matching every operation, and includes are OR-ed.
member_schema = schema.exclude(path_regex="^/api/v1/(?!me/)")

# "<METHOD> <path>": the finding. Empty: every operation passes for both roles.
KNOWN_FAILURES: dict[str, str] = {}


class World:
    """What the fuzz acts on, built once per module (per xdist worker)."""

    def __init__(
        self,
        headers: dict[str, dict[str, str]],
        rows: dict,
        union_code: str,
        member_rows: dict[str, int],
    ):
        self.headers = headers
        self.rows = rows  # model label → row in the grassroots admin's union
        self.union_code = union_code
        self.member_rows = member_rows  # member API path or body field → the member's row id


def _build_member_world(factory: Union, district: Union) -> tuple[dict[str, str], dict[str, int]]:
    """A member of `factory` with a member token, and a record behind each member operation."""
    member = MemberFactory(union=factory, phone="13912340096", name="钱师傅")
    # Where a transfer request can go: another grassroots union of the same township.
    other_factory = UnionFactory(
        code="330502001G0002", name="织里羊毛衫厂工会", parent=factory.parent
    )
    _, key = token_issue(member_id_hash=member.id_number_hash)
    today = timezone.localdate()
    line = LineFactory(plan=PlanFactory(year=today.year, union=district.parent))
    claim = ClaimFactory(enrolment=EnrolmentFactory(member=member, line=line))
    starts = today + dt.timedelta(days=20)
    programme = RecuperationProgramme.objects.create(
        union=district,
        kind=RecuperationProgramme.Kind.INCLUSIVE,
        name="安吉普惠性疗休养",
        destination="安吉",
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=3),
        capacity=5,
    )
    course = TrainingCourse.objects.create(
        union=district, title="电工培训班", starts_on=starts, ends_on=starts + dt.timedelta(days=5)
    )
    JobFair.objects.create(union=district, title="吴兴春风招聘会", held_on=starts)
    competition = CompetitionFactory(
        union=district, start_date=today, end_date=today + dt.timedelta(days=5)
    )
    question = LegalConsultation.objects.create(
        member=member,
        union=factory,
        asked_on=today,
        question="加班工资怎么算？公司不给加班费。",
    )
    idea = IdeaFactory(member=member, title="童装裁床节料法")
    # A registered card, so claims and hardship aid get past "which card" to their own rules.
    bank_card_set(
        by=MemberActor(member), bank_name="中国农业银行湖州分行", card_number="6228480320001234567"
    )
    rows = {
        "/api/v1/me/claims/{id}/": claim.pk,
        "/api/v1/me/legal/{id}/": question.pk,
        "/api/v1/me/ideas/{id}/photo/": idea.pk,
        "line": line.pk,
        "programme": programme.pk,
        "course": course.pk,
        "competition": competition.pk,
        "union": other_factory.pk,
    }
    return {"Authorization": f"Token {key}"}, rows


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
    headers["member"], member_rows = _build_member_world(factory, wuxing)
    return World(headers=headers, rows=place.rows, union_code=factory.code, member_rows=member_rows)


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


def _aim_member_at_real_rows(case, world: World) -> None:
    """Even generated ids in the path, and even ids in the body's reference fields, become the
    member's own rows (the rest stay random: another member's or no row, a 404 or a 400)."""
    params = case.path_parameters or {}
    value = params.get("id")
    row = world.member_rows.get(case.operation.path)
    if (
        row is not None
        and isinstance(value, int)
        and not isinstance(value, bool)
        and value % 2 == 0
    ):
        params["id"] = row
    if isinstance(case.body, dict):
        for field, value in case.body.items():
            row = world.member_rows.get(field)
            is_int = isinstance(value, int) and not isinstance(value, bool)
            if row is not None and is_int and value % 2 == 0:
                case.body[field] = row


def _accept_any_code(*, member, code):
    """The fuzz's step-up: any well-formed code passes, so the body behind it is validated."""


def _call_and_check(case, world: World, role: str) -> None:
    key = f"{case.method.upper()} {case.operation.path}"
    if key in KNOWN_FAILURES:
        pytest.xfail(KNOWN_FAILURES[key])
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


FUZZ_SETTINGS = settings(
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


@pytest.mark.django_db
@schema.parametrize()
@FUZZ_SETTINGS
def test_api_operation_answers_within_its_schema(case, role, world):
    _aim_at_real_rows(case, world)
    _call_and_check(case, world, role)


@pytest.mark.django_db
@member_schema.parametrize()
@FUZZ_SETTINGS
def test_member_api_operation_answers_within_its_schema_for_a_member(case, world):
    _aim_member_at_real_rows(case, world)
    with mock.patch.object(stepup, "step_up_check", _accept_any_code):
        _call_and_check(case, world, "member")
