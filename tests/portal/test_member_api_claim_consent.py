"""Applying for mutual aid through the member API asks for the separate consent to medical
receipts (PIPL art. 29) explicitly: a person who has not consented is answered a Chinese 400
(`consent_required`, with the notice and its version) and nothing is written, unless the request
says `consent: true`; then the consent is recorded as the portal's page records it (the notice,
its version, the person, the time) together with the claim. A person who consented before is not
asked again; one who withdrew is."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from members.actors import MemberActor
from members.tokens import token_issue
from portal import services as portal_services
from portal.models import Consent, SmsCode
from portal.views_services import MEDICAL_NOTICE_VERSION, medical_consent_record
from tests.factories import MemberFactory
from tests.portal.helpers import last_code
from tests.welfare.factories import EnrolmentFactory, LineFactory, PlanFactory
from welfare import services as welfare_services
from welfare.models import Claim

pytestmark = pytest.mark.django_db

PHONE = "13912340088"
CLAIMS = "/api/v1/me/claims/"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


@pytest.fixture
def me(tree):
    line = LineFactory(plan=PlanFactory(union=tree.city, year=timezone.localdate().year))
    member = MemberFactory(union=tree.zhili_factory, phone=PHONE, name="钱师傅")
    EnrolmentFactory(member=member, union=member.union, line=line)
    welfare_services.bank_card_set(
        by=MemberActor(member), bank_name="工商银行", card_number="6222021202001234567"
    )
    return member


@pytest.fixture
def app(me) -> APIClient:
    """The app on the member's phone, signed in with a member token."""
    _token, key = token_issue(member_id_hash=me.id_number_hash)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _claim(member, app, **extra) -> dict:
    """A complete claim with a fresh step-up code: only the consent is left to decide."""
    app.post("/api/v1/me/step-up/code/")
    year = timezone.localdate().year
    return {
        "line": member.enrolments.get().line.pk,
        "category": "inpatient",
        "hospital": "湖州市中心医院",
        "admitted_on": f"{year}-01-03",
        "discharged_on": f"{year}-01-08",
        "total_expenses": "8000",
        "eligible_expenses": "6000",
        "receipts": [SimpleUploadedFile("IMG_1.jpg", JPEG, content_type="image/jpeg")],
        "code": last_code(PHONE),
        **extra,
    }


@pytest.mark.parametrize(
    "consent",
    [
        {},
        {"consent": "false"},
        # the notice's version alone used to count as consent: it no longer does
        {"consent_version": MEDICAL_NOTICE_VERSION},
    ],
    ids=["silent", "false", "version-only"],
)
def test_a_claim_without_explicit_consent_is_a_chinese_400_and_nothing_is_written(me, app, consent):
    # when
    response = app.post(CLAIMS, _claim(me, app, **consent), format="multipart")
    # then: refused, the notice shown to read, no consent, no claim, the code not spent
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "consent_required"
    assert body["consent"] == ["请先阅读医疗健康信息处理告知书，同意后再提交（需单独同意）。"]
    assert body["notice_version"] == MEDICAL_NOTICE_VERSION and "敏感个人信息" in body["notice"]
    assert not Consent.objects.exists() and not Claim.objects.exists()
    assert SmsCode.objects.get(purpose="step_up").used_at is None


def test_consent_true_records_the_consent_as_the_web_page_does_with_the_claim(me, app):
    # when
    response = app.post(CLAIMS, _claim(me, app, consent="true"), format="multipart")
    # then
    assert response.status_code == 201, response.json()
    claim = Claim.objects.get()
    assert claim.member == me
    consent = Consent.objects.get()
    assert (consent.notice, consent.version, consent.person_hash, consent.phone) == (
        Consent.Notice.MEDICAL_RECEIPTS,
        MEDICAL_NOTICE_VERSION,
        me.id_number_hash,
        PHONE,
    )
    assert consent.withdrawn_at is None and consent.consented_at <= claim.submitted_at


def test_consent_true_to_an_outdated_notice_is_refused_and_nothing_is_written(me, app):
    body = _claim(me, app, consent="true", consent_version="2020-01-01")
    response = app.post(CLAIMS, body, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"] == "consent_outdated"
    assert response.json()["consent_version"] == ["告知书已更新，请重新阅读后再同意。"]
    assert not Consent.objects.exists() and not Claim.objects.exists()


def test_a_person_who_consented_before_is_not_asked_again(me, app):
    # given: consent given on the portal's claim page
    medical_consent_record(me)
    # when: a claim from the app that says nothing about consent
    response = app.post(CLAIMS, _claim(me, app), format="multipart")
    # then: accepted, and no second consent recorded
    assert response.status_code == 201, response.json()
    assert Claim.objects.count() == 1 and Consent.objects.count() == 1


def test_a_person_who_withdrew_consent_is_asked_again(me, app):
    medical_consent_record(me)
    portal_services.consent_withdraw(by=MemberActor(me), notice=Consent.Notice.MEDICAL_RECEIPTS)
    response = app.post(CLAIMS, _claim(me, app), format="multipart")
    assert response.status_code == 400 and response.json()["error"] == "consent_required"
    assert not Claim.objects.exists()
    assert Consent.objects.filter(withdrawn_at__isnull=True).count() == 0


def test_a_claim_refused_by_the_service_takes_the_new_consent_back(me, app):
    fake = SimpleUploadedFile("r.jpg", b"MZ\x90 not a photo", content_type="image/jpeg")
    body = _claim(me, app, consent="true", receipts=[fake])
    response = app.post(CLAIMS, body, format="multipart")
    assert response.status_code == 400
    assert not Claim.objects.exists() and not Consent.objects.exists()
