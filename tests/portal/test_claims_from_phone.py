"""Applying for mutual aid from the phone: a separate consent to medical receipts comes first
(version and time recorded), then one form with receipt photos (checked by their bytes) and the
bank card the aid goes to; a refusal writes nothing, and the member follows the claim after."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from members.actors import MemberActor
from portal.models import Consent
from portal.views_services import MEDICAL_NOTICE_VERSION
from tests.factories import MemberFactory
from tests.portal.helpers import fresh_code, signed_in
from tests.welfare.factories import EnrolmentFactory, LineFactory, PlanFactory
from welfare import services
from welfare.models import BankCard, Claim, ClaimReceipt

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
CARD = "6222021202001234567"
URL = "/portal/services/claims/new/"


@pytest.fixture
def enrolled(tree):
    year = timezone.localdate().year
    line = LineFactory(plan=PlanFactory(union=tree.city, year=year))
    member = MemberFactory(union=tree.zhili_factory, phone="13900000201")
    EnrolmentFactory(member=member, union=member.union, line=line)
    return member


def claim_data(member, **extra):
    year = timezone.localdate().year
    line = member.enrolments.get().line
    return {
        "action": "apply",
        "line": line.pk,
        "category": "inpatient",
        "hospital": "湖州市中心医院",
        "admitted_on": f"{year}-01-03",
        "discharged_on": f"{year}-01-08",
        "total_expenses": "8000",
        "eligible_expenses": "6000",
        "receipts": [SimpleUploadedFile("IMG_0001.jpg", JPEG, content_type="image/jpeg")],
        **extra,
    }


def consent(client):
    return client.post(URL, {"action": "consent", "agree": "on"})


def test_the_form_waits_for_a_separate_consent_to_medical_receipts(client, enrolled):
    signed_in(client, enrolled)
    fresh_code(client, enrolled)  # step-up: a fresh SMS code
    # when: the member applies before consenting
    page = client.get(URL).content.decode()
    client.post(URL, claim_data(enrolled, bank_name="工商银行", card_number=CARD))
    # then: the notice is shown, nothing is collected
    assert "医疗健康信息处理告知" in page
    assert not Claim.objects.exists()
    assert not ClaimReceipt.objects.exists()
    assert not BankCard.objects.exists()


def test_consent_records_the_version_and_the_time(client, enrolled):
    signed_in(client, enrolled)
    fresh_code(client, enrolled)  # step-up: a fresh SMS code
    before = timezone.now()
    response = consent(client)
    assert response.status_code == 302
    record = Consent.objects.get(notice=Consent.Notice.MEDICAL_RECEIPTS)
    assert record.version == MEDICAL_NOTICE_VERSION
    assert record.phone == enrolled.phone
    assert record.person_hash == enrolled.id_number_hash
    assert record.consented_at >= before


def test_a_claim_with_a_receipt_photo_and_a_new_card_is_filed_as_the_member(client, enrolled):
    signed_in(client, enrolled)
    fresh_code(client, enrolled)  # step-up: a fresh SMS code
    consent(client)
    # when
    response = client.post(
        URL, claim_data(enrolled, bank_name="中国工商银行湖州分行", card_number=CARD)
    )
    # then: the claim, its receipt, the card on it; to the claim's page
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:my-claim", args=[claim.pk])
    assert claim.member == enrolled
    assert claim.state == Claim.State.SUBMITTED
    assert claim.receipts.get().content_type == "image/jpeg"
    assert claim.bank_card.holder_name == enrolled.name
    assert claim.bank_card.card_number_masked == "6222 **** **** 4567"
    assert claim.events.get().by_member is True
    # and the member follows it
    page = client.get(response["Location"]).content.decode()
    assert "已提交" in page


def test_an_existing_card_must_be_confirmed(client, enrolled):
    card = services.bank_card_set(by=MemberActor(enrolled), bank_name="湖州银行", card_number=CARD)
    signed_in(client, enrolled)
    fresh_code(client, enrolled)  # step-up: a fresh SMS code
    consent(client)
    # when: not confirmed
    refused = client.post(URL, claim_data(enrolled))
    # then
    assert "请确认收款银行卡" in refused.content.decode()
    assert not Claim.objects.exists()
    # when: confirmed
    client.post(URL, claim_data(enrolled, confirm_card="1"))
    assert Claim.objects.get().bank_card == card


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_written(client, enrolled):
    signed_in(client, enrolled)
    fresh_code(client, enrolled)  # step-up: a fresh SMS code
    consent(client)
    fake = SimpleUploadedFile("receipt.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    response = client.post(
        URL, claim_data(enrolled, receipts=[fake], bank_name="工商银行", card_number=CARD)
    )
    assert response.status_code == 200
    assert "只能上传PDF、JPG或PNG格式的票据" in response.content.decode()
    assert not Claim.objects.exists()
    assert not BankCard.objects.exists()  # the card went with the refused claim


def test_a_claim_without_a_receipt_is_refused(client, enrolled):
    signed_in(client, enrolled)
    fresh_code(client, enrolled)  # step-up: a fresh SMS code
    consent(client)
    response = client.post(
        URL, claim_data(enrolled, receipts=[], bank_name="工商银行", card_number=CARD)
    )
    assert "请拍照或选择医疗费用票据" in response.content.decode()
    assert not Claim.objects.exists()


def test_a_member_without_cover_is_told_so(client, tree):
    member = MemberFactory(union=tree.zhili_factory, phone="13900000202")
    signed_in(client, member)
    fresh_code(client, member)  # step-up: a fresh SMS code
    response = client.get(URL)
    assert "您目前没有可以申请的互助项目" in response.content.decode()


def test_another_persons_card_cannot_be_named_on_a_claim(tree, enrolled):
    other = MemberFactory(union=tree.zhili_factory)
    theirs = services.bank_card_set(by=MemberActor(other), bank_name="湖州银行", card_number=CARD)
    line = enrolled.enrolments.get().line
    year = timezone.localdate().year
    with pytest.raises(Exception, match="请确认您本人正在使用的收款银行卡"):
        services.claim_apply(
            by=MemberActor(enrolled),
            line=line,
            admitted_on=timezone.datetime(year, 1, 3).date(),
            discharged_on=timezone.datetime(year, 1, 8).date(),
            hospital="湖州市中心医院",
            category="inpatient",
            total_expenses=8000,
            eligible_expenses=6000,
            receipts=[("a.jpg", JPEG)],
            bank_card=theirs,
        )
    assert not Claim.objects.exists()


def test_the_camera_input_is_on_the_form(client, enrolled):
    signed_in(client, enrolled)
    fresh_code(client, enrolled)  # step-up: a fresh SMS code
    consent(client)
    body = client.get(URL).content.decode()
    assert 'accept="image/*" capture="environment" multiple' in body
    assert "<script>" not in body
