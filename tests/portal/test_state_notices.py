"""Told when things move (issue 12): a claim approved (with the amount), refused (with the
reason) or paid, and a transfer approved out, refused or accepted, each send the member one SMS
through the outbox with a link to the portal page, after commit, and no ID number in it. The
services state the change through common.notices; welfare and members never import the portal."""

import ast
import pathlib
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common import notices
from members import crypto
from members.actors import MemberActor
from members.models import Member
from members.services import (
    transfer_accept_in,
    transfer_approve_out,
    transfer_refuse,
    transfer_request,
)
from portal.models import MemberNotice, SmsMessage
from tests.factories import MemberFactory
from tests.welfare.factories import ClaimFactory, EnrolmentFactory, LineFactory, PlanFactory
from welfare import services as welfare_services
from welfare.models import Claim, HardshipCase

pytestmark = pytest.mark.django_db
PHONE = "13912340077"
CARD = "6222021202001234567"
ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture
def member(tree):
    return MemberFactory(union=tree.zhili_factory, phone=PHONE)


def _claim(member, state=Claim.State.UNDER_REVIEW, amount="2500.00"):
    city = member.union.parent.parent.parent  # factory → 织里 → 吴兴 → the city
    line = LineFactory(plan=PlanFactory(union=city, year=timezone.localdate().year))
    enrolment = EnrolmentFactory(member=member, union=member.union, line=line)
    return ClaimFactory(enrolment=enrolment, state=state, allowed_amount=Decimal(amount))


def _only_sms() -> str:
    sms = SmsMessage.objects.get(phone=PHONE)
    notice = MemberNotice.objects.get(phone=PHONE)
    assert notice.delivered
    # Never an ID number in an SMS: not the full one, nor its masked or hashed form.
    member_number = crypto.decrypt_id_number(Member.objects.get(phone=PHONE).id_number_encrypted)
    assert member_number not in sms.body and member_number[-6:] not in sms.body
    return sms.body


def test_an_approved_claim_tells_the_member_the_amount_and_links_to_the_claim(
    member, staff, django_capture_on_commit_callbacks
):
    claim = _claim(member)
    with django_capture_on_commit_callbacks(execute=True):
        claim = welfare_services.claim_approve(claim=claim, by=staff["township_admin"])
    body = _only_sms()
    # (6000 − 1000) × 50 % = 2500
    assert "已核准" in body and "2500.00元" in body
    assert f"/portal/me/claims/{claim.pk}/" in body


def test_a_refused_claim_tells_the_member_the_reason(
    member, staff, django_capture_on_commit_callbacks
):
    claim = _claim(member)
    with django_capture_on_commit_callbacks(execute=True):
        welfare_services.claim_reject(
            claim=claim, reason="住院日期不在互助期内", by=staff["township_admin"]
        )
    body = _only_sms()
    assert "不予补助" in body and "住院日期不在互助期内" in body


def test_a_paid_claim_tells_the_member_once_even_when_the_payment_is_retried(
    member, staff, django_capture_on_commit_callbacks
):
    claim = _claim(member, state=Claim.State.APPROVED, amount="800.50")
    key = uuid.uuid4().hex
    with django_capture_on_commit_callbacks(execute=True):
        welfare_services.claim_pay(claim=claim, idempotency_key=key, by=staff["township_admin"])
        welfare_services.claim_pay(claim=claim, idempotency_key=key, by=staff["township_admin"])
    body = _only_sms()
    assert "已发放" in body and "800.50元" in body


def test_a_refused_approval_sends_nothing(member, staff, django_capture_on_commit_callbacks):
    claim = _claim(member, state=Claim.State.SUBMITTED)  # not under review: cannot be approved
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception, match="不能"):
        welfare_services.claim_approve(claim=claim, by=staff["township_admin"])
    assert not SmsMessage.objects.exists() and not MemberNotice.objects.exists()


def test_a_transfer_tells_the_member_at_each_decision(
    tree, staff, member, django_capture_on_commit_callbacks
):
    transfer = transfer_request(
        member=member, to_union=tree.shuanglin_factory, by=staff["township_admin"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        transfer = transfer_approve_out(transfer=transfer, by=staff["township_admin"])
    out = SmsMessage.objects.get(phone=PHONE).body
    assert (
        "已同意您的会员关系转出" in out
        and "双林纺织厂工会" in out
        and "/portal/services/transfer/" in out
    )
    with django_capture_on_commit_callbacks(execute=True):
        transfer_accept_in(transfer=transfer, by=staff["nanxun_admin"])
    assert "转接完成" in SmsMessage.objects.filter(phone=PHONE).order_by("-id").first().body
    assert MemberNotice.objects.filter(phone=PHONE).count() == 2


def test_a_refused_transfer_tells_the_member_who_refused_and_why(
    tree, staff, member, django_capture_on_commit_callbacks
):
    transfer = transfer_request(
        member=member, to_union=tree.shuanglin_factory, by=staff["township_admin"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        transfer_refuse(
            transfer=transfer, reason="还有未结清的互助申请", by=staff["township_admin"]
        )
    body = _only_sms()
    assert "未获织里童装厂工会同意" in body and "还有未结清的互助申请" in body


def test_a_notice_of_a_change_that_rolls_back_is_neither_kept_nor_sent(member):
    with pytest.raises(RuntimeError), transaction.atomic():
        notices.tell(member, "测试", about="claim", record_id=1)
        assert MemberNotice.objects.count() == 1
        raise RuntimeError
    assert not SmsMessage.objects.exists() and not MemberNotice.objects.exists()


def test_an_unknown_kind_of_notice_is_a_programming_error(member):
    with pytest.raises(ValueError):
        notices.tell(member, "测试", about="lottery")


def test_welfare_and_members_never_import_the_portal():
    offenders = []
    for app in ("welfare", "members", "activities", "skills", "common", "dashboard"):
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                if any(n == "portal" or n.startswith("portal.") for n in names):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_a_hardship_application_decided_tells_the_member(
    member, staff, django_capture_on_commit_callbacks
):
    actor = MemberActor(member)
    card = welfare_services.bank_card_set(by=actor, bank_name="工商银行", card_number=CARD)
    case = welfare_services.hardship_case_apply(
        by=actor,
        category=HardshipCase.Category.ILLNESS,
        application="爱人住院三个月，家里只有我一人有收入。",
        bank_card=card,
    )
    with django_capture_on_commit_callbacks(execute=True):
        welfare_services.hardship_case_refuse(
            case=case, reason="家庭收入高于认定标准", by=staff["township_admin"]
        )
    body = _only_sms()
    assert "未予认定" in body and "家庭收入高于认定标准" in body
    assert "/portal/services/hardship/" in body


def test_a_claim_going_under_review_tells_the_member_with_a_link(
    member, staff, django_capture_on_commit_callbacks
):
    claim = _claim(member, state=Claim.State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        welfare_services.claim_start_review(claim=claim, by=staff["township_admin"])
    body = _only_sms()
    assert "已进入审核" in body
    assert f"/portal/me/claims/{claim.pk}/" in body


def test_a_claim_that_cannot_go_under_review_tells_nobody(
    member, staff, django_capture_on_commit_callbacks
):
    claim = _claim(member, state=Claim.State.UNDER_REVIEW)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        welfare_services.claim_start_review(claim=claim, by=staff["township_admin"])
    assert not SmsMessage.objects.filter(phone=PHONE).exists()
    assert not MemberNotice.objects.filter(phone=PHONE).exists()
