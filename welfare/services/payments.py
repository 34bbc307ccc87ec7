"""Writes for getting paid: the member's bank card (收款银行卡) and the bank 代发 batches staff
issue for approved claims.

The card number is personal financial information: encrypted at rest like the ID number
(members.crypto), shown masked everywhere, and written in full only into the 代发 file the bank
needs, whose every download is recorded."""

import io
import re
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from members import crypto
from members.actors import Actor, MemberActor, staff_user
from members.history import attributed
from members.models import Member
from members.scoping import NOT_IN_SCOPE, viewer_union
from welfare.models import BankCard, Claim, PayoutBatch, PayoutBatchExport
from welfare.services._common import ZERO, StaffActor, require_staff_write
from welfare.services.mutual_aid import claim_pay

CARD_NUMBER = re.compile(r"^\d{12,19}$")

# The column layout Chinese banks' 代发 templates share (ICBC, ABC, CCB, 湖州银行 accept it).
PAYROLL_COLUMNS = ["序号", "姓名", "银行卡号", "金额", "开户行", "备注"]


def mask_card_number(number: str) -> str:
    """6222 **** **** 1234: the bank's prefix and the last four, as banks print it."""
    return f"{number[:4]} **** **** {number[-4:]}"


def clean_card_number(raw: str) -> str:
    number = re.sub(r"[\s-]", "", raw or "")
    if not CARD_NUMBER.match(number):
        raise ValidationError(
            {"card_number": _("银行卡号应为12至19位数字，请对照卡面核对。")}, code="card_number"
        )
    return number


def bank_card_current(*, member: Member) -> BankCard | None:
    """The person's card in use (any membership of theirs), or None."""
    return BankCard.objects.filter(
        person_hash=member.id_number_hash, replaced_at__isnull=True
    ).first()


def bank_card_number(card: BankCard) -> str:
    """The full number. Only the 代发 file and the member's own confirmation step read it."""
    return crypto.decrypt_id_number(card.card_number_encrypted)


@transaction.atomic
def bank_card_set(*, by: MemberActor, bank_name: str, card_number: str) -> BankCard:
    """The member registers (or changes) the card their aid is paid to. The account holder is
    the member: a card in anyone else's name is not accepted here (the bank would return the
    money, and paying a third party is not what the union's rules allow)."""
    if not isinstance(by, MemberActor):
        raise PermissionDenied(str(NOT_IN_SCOPE))
    bank_name = (bank_name or "").strip()
    if not bank_name:
        raise ValidationError({"bank_name": _("请填写开户行，如“中国工商银行湖州分行”。")})
    number = clean_card_number(card_number)
    member = by.member
    current = (
        BankCard.objects.select_for_update()
        .filter(person_hash=member.id_number_hash, replaced_at__isnull=True)
        .first()
    )
    if (
        current is not None
        and current.bank_name == bank_name
        and bank_card_number(current) == number
    ):
        return current  # the same card confirmed again
    if current is not None:
        current.replaced_at = timezone.now()
        current.save(update_fields=["replaced_at"])
    card = BankCard(
        person_hash=member.id_number_hash,
        holder_name=member.name,
        bank_name=bank_name[:100],
        card_number_encrypted=crypto.encrypt_id_number(number),
        card_number_masked=mask_card_number(number),
    )
    card.full_clean()
    try:
        with transaction.atomic():
            card.save()
    except IntegrityError:
        # Two taps at once: the other one registered the card first.
        raise ValidationError(_("银行卡正在登记中，请刷新页面后再试。")) from None
    return card


# --- 代发 batches -----------------------------------------------------------------------------


@attributed
@transaction.atomic
def payout_batch_create(*, claims: Iterable[Claim], by: StaffActor) -> PayoutBatch:
    """Pay the chosen approved claims of one plan as one bank 代发 batch: each claim gets its
    payout (through `claim_pay`, exactly once) recording this batch. Every claim must be in the
    clerk's tree, approved, of the same plan, with a bank card; otherwise nothing is done and
    the message says which claim and why."""
    claim_ids = sorted({c.pk for c in claims})
    if not claim_ids:
        raise ValidationError(_("请选择要发放的已核准申请。"))
    # Claim rows locked in pk order (as claim_approve and claim_pay lock them), so a batch and a
    # single payment of the same claim at once are served one after the other.
    locked = list(
        Claim.objects.select_for_update(of=("self",))
        .select_related("member", "enrolment__line__plan", "bank_card", "union")
        .filter(pk__in=claim_ids)
        .order_by("pk")
    )
    for claim in locked:
        require_staff_write(by, claim.union)
    problems = []
    plans = {claim.enrolment.line.plan_id for claim in locked}
    if len(plans) > 1:
        problems.append(_("一个代发批次只能包含同一年度方案的申请，请按方案分别生成。"))
    for claim in locked:
        if claim.state != Claim.State.APPROVED:
            problems.append(
                _("%(c)s：状态为“%(s)s”，只有已核准的申请可以发放。")
                % {"c": claim, "s": claim.get_state_display()}
            )
        elif claim.bank_card_id is None:
            problems.append(
                _("%(c)s：会员尚未登记收款银行卡，请会员在会员服务中登记后再发放。") % {"c": claim}
            )
    if problems:
        raise ValidationError(problems)
    plan = locked[0].enrolment.line.plan
    staff = staff_user(by)
    union = (viewer_union(by) if staff is not None else None) or plan.union
    # Batch numbers per plan: the plan row lock makes two clerks' batches take 1 and 2.
    type(plan).objects.select_for_update().get(pk=plan.pk)
    number = (PayoutBatch.objects.filter(plan=plan).aggregate(n=Max("number"))["n"] or 0) + 1
    batch = PayoutBatch.objects.create(plan=plan, union=union, number=number, created_by=staff)
    total = ZERO
    for claim in locked:
        payout, _created = claim_pay(
            claim=claim, idempotency_key=f"batch-{batch.pk}-claim-{claim.pk}", by=by
        )
        payout.batch = batch
        payout.save(update_fields=["batch"])
        total += payout.amount
    batch.total = total
    batch.count = len(locked)
    batch.save(update_fields=["total", "count"])
    return batch


def payout_batch_rows(batch: PayoutBatch) -> list[list]:
    rows = []
    payouts = batch.payouts.select_related("claim__member", "claim__bank_card").order_by("pk")
    for index, payout in enumerate(payouts, start=1):
        card = payout.claim.bank_card
        # payout_batch_create refuses a claim without a card, so every batched payout has one.
        assert card is not None
        rows.append(
            [
                index,
                card.holder_name,
                bank_card_number(card),
                Decimal(payout.amount),
                card.bank_name,
                _("职工医疗互助金 申请%(c)d") % {"c": payout.claim_id},
            ]
        )
    return rows


@transaction.atomic
def payout_batch_export(*, batch: PayoutBatch, by: Actor) -> bytes:
    """The batch's 代发 file (.xlsx, the common column layout), recorded as exported by `by`.
    It is the one place the full card numbers leave the database."""
    from openpyxl import Workbook

    require_staff_write(by, batch.union)
    PayoutBatchExport.objects.create(batch=batch, exported_by=staff_user(by))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "代发"
    sheet.append(PAYROLL_COLUMNS)
    for row in payout_batch_rows(batch):
        sheet.append(row)
    # Card numbers as text: Excel would round a 19-digit number to 15 significant digits.
    for cell in sheet["C"][1:]:
        cell.number_format = "@"
        cell.data_type = "s"
        cell.value = str(cell.value)
    for cell in sheet["D"][1:]:
        cell.number_format = "0.00"
    for column, width in zip("ABCDEF", (6, 12, 24, 12, 28, 30), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def payout_batch_filename(batch: PayoutBatch) -> str:
    return f"daifa-{batch.plan.year}-plan{batch.plan_id}-batch{batch.number}.xlsx"
