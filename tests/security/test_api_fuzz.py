"""schemathesis over every API operation, as a city admin and as a grassroots admin:
no input may produce a server error, and every answer must match the published schema.

Derandomized and capped (MAX_EXAMPLES an operation) so the run is deterministic and short.
Operations that still fail because of an app bug are listed in KNOWN_FAILURES with the
finding; the coordinator removes entries as the fixes land."""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

MAX_EXAMPLES = 25

# NOT YET IN THE DEFAULT RUN: measured ~9 s per operation and role on this 2-core machine
# (166 operations x 2 roles ≈ 50 min), and the first operations still fail (ST108 on
# GET /api/v1/unions/). Run with SECURITY_FUZZ=1 until it is made fast and green.
pytestmark = pytest.mark.skipif(
    not os.environ.get("SECURITY_FUZZ"), reason="schemathesis run: set SECURITY_FUZZ=1"
)

# The schema the API publishes (the same document /api/schema/ serves), loaded without a request.
_document = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))
schema = schemathesis.openapi.from_dict(_document)
schema.app = get_wsgi_application()

# "<METHOD> <path>": the finding. Checked per role below.
KNOWN_FAILURES: dict[str, str] = {}


@pytest.fixture
def wsgi_keeps_test_connection():
    """The WSGI handler closes the database connection after each request; the test
    transaction must survive it (Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["city_admin", "grassroots_admin"])
def auth_header(request, staff, wsgi_keeps_test_connection):
    token = Token.objects.create(user=staff[request.param])
    return {"Authorization": f"Token {token.key}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
    suppress_health_check=list(HealthCheck),
)
def test_api_operation_answers_within_its_schema(case, auth_header):
    key = f"{case.method.upper()} {case.operation.path}"
    if key in KNOWN_FAILURES:
        pytest.xfail(KNOWN_FAILURES[key])
    case.call_and_validate(
        headers=auth_header,
        checks=[not_a_server_error, response_schema_conformance, status_code_conformance],
    )
