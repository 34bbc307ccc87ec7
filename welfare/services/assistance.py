"""Writes for hardship assistance (帮扶) and visits (慰问)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common import notices
from common.services import model_update
from members.actors import Actor, MemberActor
from members.history import attributed
from members.models import Member, Union
from welfare import rules
from welfare.models import (
    AssistanceFund,
    BankCard,
    HardshipCase,
    Visit,
)
from welfare.services._common import require_named, require_staff_write

ZERO = rules.ZERO

# --- hardship assistance and visits ------------------------------------------------------------


@attributed
@transaction.atomic
def assistance_fund_raise(
    *,
    union: Union,
    name: str,
    source: str,
    amount: Decimal,
    raised_on: dt.date,
    by: Actor,
) -> AssistanceFund:
    require_staff_write(by, union)
    fund = AssistanceFund(
        union=union,
        name=name.strip(),
        source=source,
        amount=rules.to_yuan(amount),
        raised_on=raised_on,
    )
    if fund.amount <= 0:
        raise ValidationError({"amount": _("筹集金额须大于0。")})
    fund.full_clean()
    fund.save()
    return fund


def fund_paid_out(fund: AssistanceFund) -> Decimal:
    """What the fund has paid to hardship cases."""
    return fund.cases.aggregate(s=Sum("aid_amount"))["s"] or ZERO


def fund_balance(fund: AssistanceFund) -> Decimal:
    return fund.amount - fund_paid_out(fund)


# What a person may change on a fund. Its union is fixed: the money was raised there, and cases
# there have been paid from it.
FUND_EDITABLE = ["name", "source", "amount", "raised_on"]


@attributed
@transaction.atomic
def assistance_fund_update(*, fund: AssistanceFund, data: dict, by: Actor) -> AssistanceFund:
    """Correct a fund's name, source, amount or date. Its amount never falls below what it has
    paid out. The fund row is locked as hardship_aid_pay locks it, so a correction and a payment
    at the same moment cannot together leave it paying more than it holds."""
    require_staff_write(by, fund.union)
    fund = AssistanceFund.objects.select_for_update().get(pk=fund.pk)
    if "amount" in data:
        data = {**data, "amount": rules.to_yuan(data["amount"])}
        paid = fund_paid_out(fund)
        if data["amount"] <= 0:
            raise ValidationError({"amount": _("筹集金额须大于0。")})
        if data["amount"] < paid:
            raise ValidationError(
                {
                    "amount": _("“%(f)s”已发放帮扶金%(p)s元，金额不能少于已发放金额。")
                    % {"f": fund.name, "p": paid}
                }
            )
    fund, _changed = model_update(instance=fund, fields=FUND_EDITABLE, data=data)
    return fund


@transaction.atomic
def hardship_case_open(
    *,
    member: Member,
    category: str,
    assessed_on: dt.date,
    assessment: str = "",
    by: Actor,
) -> HardshipCase:
    require_staff_write(by, member.union)
    require_named(by, member)
    case = HardshipCase(
        member=member,
        union=member.union,
        category=category,
        assessed_on=assessed_on,
        assessment=assessment.strip(),
    )
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def hardship_case_apply(
    *,
    category: str,
    application: str,
    bank_card: BankCard,
    by: MemberActor,
) -> HardshipCase:
    """A member applies for hardship aid for themselves (the portal). The case opens in their own
    union, waiting for its assessment (认定); the aid, if any, goes to the member's own current
    bank card, which they confirmed on the form."""
    if not isinstance(by, MemberActor):
        raise PermissionDenied(_("此操作只能由会员本人进行。"))
    member = Member.objects.select_for_update().get(pk=by.member.pk)
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("您当前不在会，不能在线申请困难帮扶，请联系工会。"))
    if bank_card.person_hash != member.id_number_hash or bank_card.replaced_at is not None:
        raise ValidationError(_("请确认本人当前的收款银行卡。"))
    application = (application or "").strip()
    if len(application) < 10:
        raise ValidationError(
            {"application": _("请写明家庭困难的情况（至少10个字），便于工会核实。")}
        )
    # The member row lock above serialises two taps of the submit button.
    if HardshipCase.objects.filter(
        member__id_number_hash=member.id_number_hash, status=HardshipCase.Status.APPLIED
    ).exists():
        raise ValidationError(_("您已有一份帮扶申请正在审核，请等待工会处理结果。"))
    case = HardshipCase(
        member=member,
        union=member.union,
        category=category,
        status=HardshipCase.Status.APPLIED,
        applied_on=timezone.localdate(),
        application=application,
        bank_card=bank_card,
    )
    case.full_clean()
    case.save()
    return case


def _lock_application(case: HardshipCase) -> HardshipCase:
    case = HardshipCase.objects.select_for_update().get(pk=case.pk)
    if case.status != HardshipCase.Status.APPLIED:
        raise ValidationError(
            _("该帮扶申请当前状态为“%(s)s”，不能再审核。") % {"s": case.get_status_display()}
        )
    return case


@transaction.atomic
def hardship_case_assess(
    *, case: HardshipCase, assessed_on: dt.date, assessment: str = "", by: Actor
) -> HardshipCase:
    """The member's union (or one above it) assesses a member's application: a case now."""
    require_staff_write(by, case.union)
    case = _lock_application(case)
    case.status = HardshipCase.Status.ASSESSED
    case.assessed_on = assessed_on
    case.assessment = (assessment or "").strip()
    case.full_clean()
    case.save(update_fields=["status", "assessed_on", "assessment", "updated_at"])
    notices.tell(
        case.member,
        _("您的困难帮扶申请已认定，工会将按规定给予帮扶。"),
        about="hardship",
        record_id=case.pk,
    )
    return case


@transaction.atomic
def hardship_case_refuse(*, case: HardshipCase, reason: str, by: Actor) -> HardshipCase:
    """Refuse a member's application, with a reason the member reads on the portal."""
    require_staff_write(by, case.union)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"refusal_reason": _("请填写不予认定的理由，会员会看到。")})
    case = _lock_application(case)
    case.status = HardshipCase.Status.REFUSED
    case.refusal_reason = reason
    case.full_clean()
    case.save(update_fields=["status", "refusal_reason", "updated_at"])
    notices.tell(
        case.member,
        _("您的困难帮扶申请未予认定，理由：%(r)s") % {"r": reason[:100]},
        about="hardship",
        record_id=case.pk,
    )
    return case


@transaction.atomic
def hardship_aid_pay(
    *,
    case: HardshipCase,
    amount: Decimal,
    fund: AssistanceFund,
    paid_on: dt.date,
    by: Actor,
) -> HardshipCase:
    """Pay a case's aid from a fund. The fund row is locked so two clerks paying from the same
    fund cannot together spend more than it holds."""
    require_staff_write(by, case.union)
    require_named(by, fund)
    amount = rules.to_yuan(amount)
    if amount <= 0:
        raise ValidationError({"aid_amount": _("帮扶金额须大于0。")})
    fund = AssistanceFund.objects.select_for_update().get(pk=fund.pk)
    case = HardshipCase.objects.select_for_update().get(pk=case.pk)
    if case.status != HardshipCase.Status.ASSESSED:
        raise ValidationError(_("该帮扶申请尚未认定，认定后才能发放帮扶金。"))
    if case.aid_amount > 0:
        raise ValidationError(_("该帮扶对象已于%(d)s发放帮扶金。") % {"d": case.aid_paid_on})
    balance = fund_balance(fund)
    if amount > balance:
        raise ValidationError(
            {
                "aid_amount": _("“%(f)s”余额%(b)s元，不足以发放%(a)s元。")
                % {"f": fund.name, "b": balance, "a": amount}
            }
        )
    case.aid_amount, case.fund, case.aid_paid_on = amount, fund, paid_on
    case.full_clean()
    case.save(update_fields=["aid_amount", "fund", "aid_paid_on", "updated_at"])
    return case


@transaction.atomic
def visit_record(
    *,
    member: Member,
    visited_on: dt.date,
    occasion: str,
    visitor: str,
    given: str = "",
    value: Decimal = ZERO,
    frontline: bool = True,
    in_hardship: bool = False,
    by: Actor,
) -> Visit:
    # The visit counts where the worker belongs (their union), never where a clerk says.
    require_staff_write(by, member.union)
    require_named(by, member)
    visit = Visit(
        member=member,
        union=member.union,
        visited_on=visited_on,
        occasion=occasion,
        visitor=visitor.strip(),
        given=given.strip(),
        value=rules.to_yuan(value),
        frontline=frontline,
        in_hardship=in_hardship,
    )
    visit.full_clean()
    visit.save()
    return visit
