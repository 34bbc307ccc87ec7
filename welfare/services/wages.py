"""Writes for labour relations sites, wage collective contracts and grassroots investment."""

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Enterprise
from members.scoping import require_in_scope
from members.services import require_can_write
from welfare.models import (
    WageContract,
)


@transaction.atomic
def wage_contract_sign(
    *,
    enterprise: Enterprise,
    signed_on: dt.date,
    expires_on: dt.date,
    employees_covered: int,
    by: User | None = None,
) -> WageContract:
    """Register a 能级工资集体合同; it belongs to the enterprise's union."""
    require_can_write(by)
    require_in_scope(by, enterprise.union)
    if expires_on < signed_on:
        raise ValidationError({"expires_on": _("到期日期不能早于签订日期。")})
    contract = WageContract(
        enterprise=enterprise,
        union=enterprise.union,
        signed_on=signed_on,
        expires_on=expires_on,
        employees_covered=employees_covered,
    )
    contract.full_clean()
    contract.save()
    return contract
