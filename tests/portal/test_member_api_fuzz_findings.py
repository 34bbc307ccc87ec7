"""What the member role of the API fuzz (tests/security/test_api_fuzz.py) found on /api/v1/me/:
answers with a null the published schema did not allow (a client generated from the schema
rejects them), and a personal-data download that failed with a server error when the member
had a golden idea without a photo. Each answer is checked against the schema the API publishes."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from members.actors import MemberActor
from members.tokens import token_issue
from portal.models_account import CorrectionRequest
from tests.factories import MemberFactory
from tests.portal.helpers import last_code
from tests.skills.factories import CompetitionFactory, IdeaFactory
from tests.welfare.factories import ClaimFactory, EnrolmentFactory
from welfare import services as welfare_services
from welfare.models import Concern, HardshipCase

pytestmark = pytest.mark.django_db

PHONE = "13912340095"
CARD = {"bank_name": "中国农业银行湖州分行", "card_number": "6228 4803 2000 1234 567"}


@pytest.fixture(scope="module")
def document():
    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))


def field_schema(document, path: str, method: str, status: int, field: str) -> dict:
    """The published schema of `field` in the JSON answer of one operation (a list's items)."""
    answer = document["paths"][path][method]["responses"][str(status)]["content"]
    shape = answer["application/json"]["schema"]
    if shape.get("type") == "array":
        shape = shape["items"]
    if "$ref" in shape:
        shape = document["components"]["schemas"][shape["$ref"].rsplit("/", 1)[-1]]
    return shape["properties"][field]


def allows_null(schema: dict) -> bool:
    return schema.get("nullable") is True or "null" in (schema.get("type") or [])


@pytest.fixture
def me(tree):
    return MemberFactory(union=tree.zhili_factory, phone=PHONE, name="钱师傅")


def member_client(member) -> APIClient:
    _token, key = token_issue(member_id_hash=member.id_number_hash)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_entering_a_competition_answers_a_null_score_and_rank_the_schema_allows(tree, me, document):
    today = timezone.localdate()
    competition = CompetitionFactory(
        union=tree.wuxing, start_date=today, end_date=today + dt.timedelta(days=5)
    )
    response = member_client(me).post(
        "/api/v1/me/competitions/enter/", {"competition": competition.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["score"] is None and response.json()["rank"] is None
    for field in ("score", "rank"):
        schema = field_schema(document, "/api/v1/me/competitions/enter/", "post", 201, field)
        assert allows_null(schema), field


def test_a_new_concern_answers_a_null_answered_at_the_schema_allows(me, document):
    response = member_client(me).post(
        "/api/v1/me/concerns/", {"subject": "食堂", "body": "饭菜太贵。"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert Concern.objects.get().answered_at is None
    assert response.json()["answered_at"] is None
    assert allows_null(field_schema(document, "/api/v1/me/concerns/", "post", 201, "answered_at"))
    assert allows_null(field_schema(document, "/api/v1/me/concerns/", "get", 200, "answered_at"))


def test_a_new_correction_request_answers_a_null_resolved_at_the_schema_allows(me, document):
    response = member_client(me).post(
        "/api/v1/me/corrections/", {"item": "手机号码", "body": "号码已换。"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert CorrectionRequest.objects.get().resolved_at is None
    assert response.json()["resolved_at"] is None
    for method, status in (("post", 201), ("get", 200)):
        schema = field_schema(document, "/api/v1/me/corrections/", method, status, "resolved_at")
        assert allows_null(schema), method


def test_an_undecided_claim_answers_a_null_decided_at_the_schema_allows(me, document):
    claim = ClaimFactory(enrolment=EnrolmentFactory(member=me))
    client = member_client(me)
    read = client.get(f"/api/v1/me/claims/{claim.pk}/")
    withdrawn = client.post(f"/api/v1/me/claims/{claim.pk}/", {"confirm": True}, format="json")
    assert read.status_code == 200 and withdrawn.status_code == 200, withdrawn.json()
    assert read.json()["decided_at"] is None and withdrawn.json()["decided_at"] is None
    for method in ("get", "post"):
        schema = field_schema(document, "/api/v1/me/claims/{id}/", method, 200, "decided_at")
        assert allows_null(schema), method


def test_a_new_hardship_application_answers_null_dates_the_schema_allows(me, document):
    welfare_services.bank_card_set(by=MemberActor(me), **CARD)
    response = member_client(me).post(
        "/api/v1/me/hardship/",
        {
            "category": "illness",
            "application": "爱人住院三个月，家里只有我一人有收入。",
            "confirm_card": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert HardshipCase.objects.get().assessed_on is None
    body = response.json()
    for field in ("assessed_on", "aid_paid_on"):
        assert body[field] is None
        assert allows_null(field_schema(document, "/api/v1/me/hardship/", "post", 201, field))
        assert allows_null(field_schema(document, "/api/v1/me/hardship/", "get", 200, field))
    assert allows_null(field_schema(document, "/api/v1/me/hardship/", "get", 200, "applied_on"))


def test_the_personal_data_copy_of_a_member_with_an_idea_without_a_photo_is_served(
    me, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path)
    IdeaFactory(member=me, title="童装裁床节料法")
    IdeaFactory(
        member=me,
        title="拉链机防夹手挡板",
        photo=SimpleUploadedFile("idea.jpg", b"\xff\xd8\xff\xe0 jpeg", content_type="image/jpeg"),
    )
    client = member_client(me)
    assert client.post("/api/v1/me/step-up/code/").status_code == 204

    response = client.post("/api/v1/me/personal-data/", {"code": last_code(PHONE)}, format="json")

    assert response.status_code == 200, response.content[:300]
    ideas = next(rows for label, rows in response.json().items() if "金点子" in label)
    photos = sorted((row.get("照片") or "") for row in ideas)
    assert photos[0] == "" and photos[1].startswith("skills/ideas/")
