"""The member API (/api/v1/me/): SMS sign-in answers a member token; a member reads only their own
records whatever id is sent; member tokens never reach staff endpoints and staff tokens never
reach /me/; wrong answers count toward the sign-in lockout."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.utils import timezone
from rest_framework.test import APIClient

from activities import services as activity_services
from activities.models import Attendance
from members import crypto
from members.models import AccessToken
from members.tokens import token_issue
from portal.models import SmsCode
from skills.models import CompetitionEntry
from tests.activities.factories import ActivityFactory
from tests.factories import MemberFactory, make_id_number
from tests.portal.helpers import last_code
from tests.skills.factories import CompetitionFactory
from tests.welfare.factories import ClaimFactory, EnrolmentFactory
from welfare.models import Concern

pytestmark = pytest.mark.django_db
PHONE = "13912340001"


def member_client(member) -> APIClient:
    _token, key = token_issue(member_id_hash=member.id_number_hash)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def me(tree):
    number = make_id_number()
    return MemberFactory(union=tree.zhili_factory, phone=PHONE, name="李快递", id_number=number)


def test_a_member_signs_in_with_code_then_name_and_last6_and_gets_a_member_token(me):
    # given
    client = APIClient()
    assert client.post("/api/v1/me/sign-in/code/", {"phone": PHONE}).status_code == 204
    last6 = crypto.decrypt_id_number(me.id_number_encrypted)[-6:]

    # when: a new device without name and last 6
    first = client.post("/api/v1/me/sign-in/", {"phone": PHONE, "code": last_code(PHONE)})
    assert first.status_code == 400 and "id_last6" in first.json()

    # when: with them (a fresh code: the first was used)
    AccessAttempt.objects.all().delete()
    SmsCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
    client.post("/api/v1/me/sign-in/code/", {"phone": PHONE})
    response = client.post(
        "/api/v1/me/sign-in/",
        {"phone": PHONE, "code": last_code(PHONE), "name": "李快递", "id_last6": last6},
    )

    # then
    assert response.status_code == 200, response.json()
    token = AccessToken.objects.get(kind=AccessToken.Kind.MEMBER)
    assert token.member_id_hash == me.id_number_hash
    assert token.user is None
    body = response.json()
    card = APIClient()
    card.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    data = card.get("/api/v1/me/").json()
    assert data["name"] == "李快递"
    assert data["id_number_masked"] == me.id_number_masked
    assert data["phone_masked"] == "139****0001"


def test_a_bound_device_key_signs_in_with_the_code_only(me):
    client = APIClient()
    client.post("/api/v1/me/sign-in/code/", {"phone": PHONE})
    last6 = crypto.decrypt_id_number(me.id_number_encrypted)[-6:]
    first = client.post(
        "/api/v1/me/sign-in/",
        {"phone": PHONE, "code": last_code(PHONE), "name": "李快递", "id_last6": last6},
    ).json()
    SmsCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
    client.post("/api/v1/me/sign-in/code/", {"phone": PHONE})
    again = client.post(
        "/api/v1/me/sign-in/",
        {"phone": PHONE, "code": last_code(PHONE), "device_key": first["device_key"]},
    )
    assert again.status_code == 200
    assert AccessToken.objects.filter(kind="member").count() == 2


def test_wrong_codes_count_toward_the_lockout_and_a_locked_number_gets_429(me, settings):
    client = APIClient()
    client.post("/api/v1/me/sign-in/code/", {"phone": PHONE})
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/v1/me/sign-in/", {"phone": PHONE, "code": "000000"})
    assert AccessAttempt.objects.filter(username=f"portal:{PHONE}").exists()

    locked = client.post("/api/v1/me/sign-in/", {"phone": PHONE, "code": last_code(PHONE)})

    assert locked.status_code == 429
    assert not AccessToken.objects.exists()


def test_a_member_token_cannot_reach_staff_endpoints(me):
    client = member_client(me)
    for url in ["/api/v1/members/", "/api/v1/welfare/concerns/", "/api/v1/unions/"]:
        assert client.get(url).status_code in (401, 403), url


def test_a_staff_token_or_session_cannot_use_me(staff, me):
    _token, key = token_issue(user=staff["city_admin"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").status_code == 403
    session = APIClient()
    session.force_login(staff["city_admin"])
    assert session.get("/api/v1/me/").status_code in (401, 403)
    assert APIClient().get("/api/v1/me/").status_code == 401


def test_a_member_reads_only_their_own_claims_and_concerns(tree, me):
    other = MemberFactory(union=tree.zhili_factory)
    mine = ClaimFactory(enrolment=EnrolmentFactory(member=me, union=me.union))
    ClaimFactory(enrolment=EnrolmentFactory(member=other, union=other.union))
    member_client(other).post("/api/v1/me/concerns/", {"subject": "加班费", "body": "未发。"})

    client = member_client(me)
    claims = client.get("/api/v1/me/claims/", {"member": other.pk}).json()
    assert [c["id"] for c in claims] == [mine.pk]
    assert client.get("/api/v1/me/concerns/").json() == []


def test_a_member_raises_a_concern_as_themselves(me):
    response = member_client(me).post(
        "/api/v1/me/concerns/", {"subject": "食堂", "body": "饭菜太贵。", "member": 999}
    )
    assert response.status_code == 201
    concern = Concern.objects.get()
    assert (concern.member, concern.union, concern.channel) == (me, me.union, "portal")


def test_a_member_enters_an_open_competition_and_not_one_outside_their_tree(tree, me):
    today = timezone.localdate()
    open_to_me = CompetitionFactory(
        union=tree.wuxing, start_date=today, end_date=today + dt.timedelta(days=5)
    )
    elsewhere = CompetitionFactory(
        union=tree.nanxun, start_date=today, end_date=today + dt.timedelta(days=5)
    )
    client = member_client(me)
    listed = client.get("/api/v1/me/competitions/").json()
    assert [c["id"] for c in listed["open"]] == [open_to_me.pk]

    refused = client.post("/api/v1/me/competitions/enter/", {"competition": elsewhere.pk})
    entered = client.post("/api/v1/me/competitions/enter/", {"competition": open_to_me.pk})

    assert refused.status_code == 404
    assert entered.status_code == 201
    assert list(CompetitionEntry.objects.values_list("competition", "member")) == [
        (open_to_me.pk, me.pk)
    ]


def test_a_member_checks_in_with_a_poster_token_once(tree, me):
    starts = timezone.now() - dt.timedelta(minutes=2)
    activity = ActivityFactory(
        union=tree.zhili_factory, starts_at=starts, ends_at=starts + dt.timedelta(minutes=10)
    )
    token = activity_services.check_in_token(activity=activity)
    client = member_client(me)

    first = client.post("/api/v1/me/check-in/", {"token": token})
    second = client.post("/api/v1/me/check-in/", {"token": token})

    assert first.json()["created"] is True and second.json()["created"] is False
    assert Attendance.objects.filter(member=me, activity=activity).count() == 1
    assert len(client.get("/api/v1/me/attendance/").json()) == 1


def test_the_member_api_is_in_the_openapi_schema(client, settings):
    settings.API_DOCS_PUBLIC = True
    schema = client.get("/api/schema/").content.decode()
    for path in ["/api/v1/me/sign-in/", "/api/v1/me/claims/", "/api/v1/me/check-in/"]:
        assert path in schema
