"""Getting paid: the member's bank card is stored encrypted and shown masked, is always in the
member's own name, and staff pay approved claims as one bank 代发 batch per plan whose xlsx file
alone carries the full number, every download recorded and scoped to the clerk's tree."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from members.actors import MemberActor
from tests.factories import MemberFactory
from tests.portal.helpers import fresh_code, signed_in
from tests.welfare.factories import ClaimFactory, EnrolmentFactory, LineFactory, PlanFactory
from welfare import services
from welfare.models import BankCard, Claim, Payout, PayoutBatch, PayoutBatchExport

pytestmark = pytest.mark.django_db

CARD = "6222021202001234567"


def approved_claim(member, line, card, amount="2500.00"):
    enrolment = EnrolmentFactory(member=member, union=member.union, line=line)
    return ClaimFactory(
        enrolment=enrolment,
        state=Claim.State.APPROVED,
        allowed_amount=Decimal(amount),
        bank_card=card,
    )


@pytest.fixture
def line(tree):
    year = timezone.localdate().year
    return LineFactory(plan=PlanFactory(union=tree.city, year=year))


def test_a_card_is_stored_encrypted_shown_masked_and_in_the_members_name(tree):
    member = MemberFactory(union=tree.zhili_factory)
    # when
    card = services.bank_card_set(
        by=MemberActor(member),
        bank_name="中国工商银行湖州分行",
        card_number="6222 0212 0200 1234 567",
    )
    # then
    card.refresh_from_db()
    assert CARD not in card.card_number_encrypted
    assert card.card_number_masked == "6222 **** **** 4567"
    assert card.holder_name == member.name
    assert card.person_hash == member.id_number_hash
    assert services.bank_card_number(card) == CARD


def test_a_new_card_replaces_the_old_one(tree):
    member = MemberFactory(union=tree.zhili_factory)
    old = services.bank_card_set(by=MemberActor(member), bank_name="农业银行", card_number=CARD)
    new = services.bank_card_set(
        by=MemberActor(member), bank_name="湖州银行", card_number="6228480000000000001"
    )
    old.refresh_from_db()
    assert old.replaced_at is not None
    assert services.bank_card_current(member=member) == new


def test_a_malformed_card_number_is_refused_and_nothing_stored(tree):
    member = MemberFactory(union=tree.zhili_factory)
    with pytest.raises(ValidationError, match="12至19位数字"):
        services.bank_card_set(by=MemberActor(member), bank_name="工商银行", card_number="6222-abc")
    assert not BankCard.objects.exists()


def test_staff_cannot_register_a_card_for_a_member(tree, staff):
    with pytest.raises(PermissionDenied):
        services.bank_card_set(by=staff["township_admin"], bank_name="工商银行", card_number=CARD)
    assert not BankCard.objects.exists()


def test_the_bank_card_page_shows_only_the_masked_number(client, tree):
    member = MemberFactory(union=tree.zhili_factory, phone="13900000101")
    signed_in(client, member)
    fresh_code(client, member)  # step-up: a fresh SMS code
    # when
    response = client.post(
        reverse("portal:bank-card"), {"bank_name": "工商银行", "card_number": CARD}, follow=True
    )
    # then
    body = response.content.decode()
    assert "6222 **** **** 4567" in body
    assert CARD not in body
    assert BankCard.objects.get().holder_name == member.name


def test_a_batch_pays_approved_claims_and_its_file_carries_the_full_numbers(
    client, tree, staff, line
):
    # given: two approved claims with cards
    a = MemberFactory(union=tree.zhili_factory, name="张三")
    b = MemberFactory(union=tree.zhili_factory, name="李四")
    card_a = services.bank_card_set(
        by=MemberActor(a), bank_name="工商银行湖州分行", card_number=CARD
    )
    card_b = services.bank_card_set(
        by=MemberActor(b), bank_name="湖州银行", card_number="6228480000000000001"
    )
    claims = [approved_claim(a, line, card_a, "2500.00"), approved_claim(b, line, card_b, "800.50")]
    clerk = staff["township_admin"]
    client.force_login(clerk)
    # when: the clerk runs the action on the claim list
    response = client.post(
        reverse("admin:welfare_claim_changelist"),
        {"action": "pay_by_bank_batch", "_selected_action": [c.pk for c in claims]},
    )
    # then: one batch, each claim paid once, recording the batch; to the batch's page
    batch = PayoutBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:welfare_payoutbatch_change", args=[batch.pk])
    assert (batch.number, batch.count, batch.total) == (1, 2, Decimal("3300.50"))
    assert set(Payout.objects.values_list("claim_id", "batch_id")) == {
        (claims[0].pk, batch.pk),
        (claims[1].pk, batch.pk),
    }
    assert set(Claim.objects.values_list("state", flat=True)) == {Claim.State.PAID}
    page = client.get(response["Location"]).content.decode()
    assert CARD not in page
    # and the file: the common columns, the full numbers as text, the download recorded
    download = client.get(reverse("admin:welfare_payoutbatch_file", args=[batch.pk]))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("序号", "姓名", "银行卡号", "金额", "开户行", "备注")
    assert rows[1][:5] == (1, "张三", CARD, 2500, "工商银行湖州分行")
    assert rows[2][:5] == (2, "李四", "6228480000000000001", 800.5, "湖州银行")
    export = PayoutBatchExport.objects.get()
    assert (export.batch, export.exported_by) == (batch, clerk)


def test_a_claim_without_a_card_or_not_approved_stops_the_whole_batch(tree, staff, line):
    a = MemberFactory(union=tree.zhili_factory)
    card = services.bank_card_set(by=MemberActor(a), bank_name="工商银行", card_number=CARD)
    ready = approved_claim(a, line, card)
    no_card = approved_claim(MemberFactory(union=tree.zhili_factory), line, None)
    with pytest.raises(ValidationError, match="尚未登记收款银行卡"):
        services.payout_batch_create(claims=[ready, no_card], by=staff["township_admin"])
    assert not PayoutBatch.objects.exists()
    assert not Payout.objects.exists()
    ready.refresh_from_db()
    assert ready.state == Claim.State.APPROVED


def test_claims_of_two_plans_are_refused_as_one_batch(tree, staff, line):
    other_line = LineFactory(plan=PlanFactory(union=tree.wuxing, year=line.plan.year))
    a = MemberFactory(union=tree.zhili_factory)
    card = services.bank_card_set(by=MemberActor(a), bank_name="工商银行", card_number=CARD)
    with pytest.raises(ValidationError, match="同一年度方案"):
        services.payout_batch_create(
            claims=[approved_claim(a, line, card), approved_claim(a, other_line, card)],
            by=staff["district_admin"],
        )
    assert not PayoutBatch.objects.exists()


def test_a_batch_outside_the_clerks_tree_is_404_and_nothing_recorded(client, tree, staff, line):
    a = MemberFactory(union=tree.zhili_factory)
    card = services.bank_card_set(by=MemberActor(a), bank_name="工商银行", card_number=CARD)
    batch = services.payout_batch_create(
        claims=[approved_claim(a, line, card)], by=staff["township_admin"]
    )
    client.force_login(staff["nanxun_admin"])
    response = client.get(reverse("admin:welfare_payoutbatch_file", args=[batch.pk]))
    assert response.status_code == 404
    assert not PayoutBatchExport.objects.exists()
