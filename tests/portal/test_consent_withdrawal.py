"""Withdrawing consent (撤回同意, PIPL art. 15) on 我的个人信息: the member sees the consents they
gave, withdraws the medical-receipt one; the withdrawal's time is recorded, the next claim asks
for consent again before anything is collected, and a claim already submitted stays."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from members.actors import MemberActor
from portal import services
from portal.models import Consent
from portal.views_services import MEDICAL_NOTICE_VERSION
from tests.factories import MemberFactory
from tests.portal.helpers import fresh_code, signed_in
from tests.welfare.factories import EnrolmentFactory, LineFactory, PlanFactory
from welfare.models import Claim, ClaimReceipt

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
CARD = "6222021202001234567"
CLAIM_URL = "/portal/services/claims/new/"
DATA_URL = "/portal/me/data/"
WITHDRAW = {"action": "withdraw_consent", "notice": Consent.Notice.MEDICAL_RECEIPTS}


@pytest.fixture
def enrolled(tree):
    line = LineFactory(plan=PlanFactory(union=tree.city, year=timezone.localdate().year))
    member = MemberFactory(union=tree.zhili_factory, phone="13900000301")
    EnrolmentFactory(member=member, union=member.union, line=line)
    return member


def _consent(client, member):
    signed_in(client, member)
    fresh_code(client, member)
    client.post(CLAIM_URL, {"action": "consent", "agree": "on"})


def _claim(client, member):
    year = timezone.localdate().year
    return client.post(
        CLAIM_URL,
        {
            "action": "apply",
            "line": member.enrolments.get().line.pk,
            "category": "inpatient",
            "hospital": "湖州市中心医院",
            "admitted_on": f"{year}-01-03",
            "discharged_on": f"{year}-01-08",
            "total_expenses": "8000",
            "eligible_expenses": "6000",
            "receipts": [SimpleUploadedFile("IMG_0001.jpg", JPEG, content_type="image/jpeg")],
            "bank_name": "工商银行",
            "card_number": CARD,
        },
    )


def test_my_data_page_lists_the_consents_given_with_version_and_date(client, enrolled):
    _consent(client, enrolled)
    page = client.get(DATA_URL).content.decode()
    consented = Consent.objects.get().consented_at
    assert "互助申请：收集医疗票据等健康信息" in page
    assert MEDICAL_NOTICE_VERSION in page
    assert timezone.localtime(consented).strftime("%Y-%m-%d %H:%M") in page
    assert "撤回这项同意" in page


def test_withdrawing_records_the_time_and_keeps_the_record(client, enrolled):
    _consent(client, enrolled)
    before = timezone.now()
    response = client.post(DATA_URL, WITHDRAW, follow=True)
    record = Consent.objects.get()
    assert record.withdrawn_at is not None and record.withdrawn_at >= before
    page = response.content.decode()
    assert "已撤回您对收集医疗票据的同意" in page
    assert "不会删除" in page
    assert "已于" in page and "撤回" in page


def test_after_withdrawal_the_claim_form_asks_for_consent_again_and_collects_nothing(
    client, enrolled
):
    _consent(client, enrolled)
    client.post(DATA_URL, WITHDRAW)
    # when: the member tries to apply without consenting again
    page = client.get(CLAIM_URL).content.decode()
    _claim(client, enrolled)
    # then: the notice again, nothing collected
    assert "医疗健康信息处理告知" in page
    assert not Claim.objects.exists()
    assert not ClaimReceipt.objects.exists()
    # and a fresh consent is a new record next to the withdrawn one
    client.post(CLAIM_URL, {"action": "consent", "agree": "on"})
    assert Consent.objects.filter(withdrawn_at__isnull=True).count() == 1
    assert Consent.objects.filter(withdrawn_at__isnull=False).count() == 1


def test_withdrawal_does_not_delete_a_claim_already_submitted(client, enrolled):
    _consent(client, enrolled)
    assert _claim(client, enrolled).status_code == 302
    claim = Claim.objects.get()
    client.post(DATA_URL, WITHDRAW)
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert ClaimReceipt.objects.filter(claim=claim).count() == 1


def test_withdrawing_with_no_consent_given_is_refused_in_chinese(client, enrolled):
    signed_in(client, enrolled)
    response = client.post(DATA_URL, WITHDRAW)
    assert response.status_code == 200
    assert "您目前没有这项同意，无需撤回。" in response.content.decode()
    assert not Consent.objects.exists()


def test_withdrawing_twice_is_refused_and_keeps_the_first_time(client, enrolled):
    _consent(client, enrolled)
    client.post(DATA_URL, WITHDRAW)
    first = Consent.objects.get().withdrawn_at
    response = client.post(DATA_URL, WITHDRAW)
    assert "您目前没有这项同意，无需撤回。" in response.content.decode()
    assert Consent.objects.get().withdrawn_at == first


@pytest.mark.parametrize("notice", [Consent.Notice.JOIN_ID_NUMBER, "anything", ""])
def test_a_notice_that_cannot_be_withdrawn_here_is_refused_and_nothing_written(
    client, enrolled, notice
):
    services.consent_record(
        notice=Consent.Notice.JOIN_ID_NUMBER,
        version="1",
        phone=enrolled.phone,
        person_hash=enrolled.id_number_hash,
    )
    _consent(client, enrolled)
    response = client.post(DATA_URL, {"action": "withdraw_consent", "notice": notice})
    assert "这项同意不能在这里撤回，请联系您所在的工会。" in response.content.decode()
    assert not Consent.objects.filter(withdrawn_at__isnull=False).exists()


def test_a_member_withdraws_only_their_own_consent(client, tree, enrolled):
    other = MemberFactory(union=tree.zhili_factory, phone="13900000302")
    services.consent_record(
        notice=Consent.Notice.MEDICAL_RECEIPTS,
        version=MEDICAL_NOTICE_VERSION,
        phone=other.phone,
        person_hash=other.id_number_hash,
    )
    _consent(client, enrolled)
    client.post(DATA_URL, WITHDRAW)
    assert Consent.objects.get(person_hash=other.id_number_hash).withdrawn_at is None
    assert Consent.objects.get(person_hash=enrolled.id_number_hash).withdrawn_at is not None


def test_the_service_refuses_and_writes_nothing_when_there_is_nothing_to_withdraw(enrolled):
    with pytest.raises(ValidationError) as exc:
        services.consent_withdraw(by=MemberActor(enrolled), notice=Consent.Notice.MEDICAL_RECEIPTS)
    assert exc.value.messages == ["您目前没有这项同意，无需撤回。"]
