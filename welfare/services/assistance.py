"""Writes for hardship assistance (帮扶) and visits (慰问)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from common.services import model_update
from members.actors import Actor
from members.history import attributed
from members.models import Member, Union
from welfare import rules
from welfare.models import (
    AssistanceFund,
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
