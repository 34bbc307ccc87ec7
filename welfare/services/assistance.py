"""Writes for hardship assistance (帮扶) and visits (慰问)."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from members.history import attributed
from members.models import Member, Union
from members.scoping import require_in_scope
from members.services import require_can_write
from welfare import rules
from welfare.models import (
    AssistanceFund,
    HardshipCase,
    Visit,
)
from welfare.services._common import ZERO

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
    by: User | None = None,
) -> AssistanceFund:
    require_can_write(by)
    require_in_scope(by, union)
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


def fund_balance(fund: AssistanceFund) -> Decimal:
    paid = fund.cases.aggregate(s=Sum("aid_amount"))["s"] or ZERO
    return fund.amount - paid


@transaction.atomic
def hardship_case_open(
    *,
    member: Member,
    category: str,
    assessed_on: dt.date,
    assessment: str = "",
    by: User | None = None,
) -> HardshipCase:
    require_can_write(by)
    require_in_scope(by, member.union)
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
    by: User | None = None,
) -> HardshipCase:
    """Pay a case's aid from a fund. The fund row is locked so two clerks paying from the same
    fund cannot together spend more than it holds."""
    require_can_write(by)
    require_in_scope(by, case.union)
    require_in_scope(by, fund.union)
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
    by: User | None = None,
) -> Visit:
    require_can_write(by)
    require_in_scope(by, member.union)
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
