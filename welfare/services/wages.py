"""Writes for labour relations sites, wage collective contracts and grassroots investment.

One service per entity and action; `*_update` lists the editable fields (`model_update`)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.services import model_update
from members.models import Enterprise, Union
from welfare.models import GrassrootsInvestment, LabourRelationsSite, WageContract
from welfare.services._common import StaffActor, require_named, require_staff_write


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


# --- labour relations model sites ----------------------------------------------------------------

SITE_FIELDS = ["union", "name", "level", "recognised_on"]


@transaction.atomic
def labour_relations_site_create(
    *, union: Union, name: str, level: str, recognised_on: dt.date, by: StaffActor
) -> LabourRelationsSite:
    require_staff_write(by, union)
    return _saved(
        LabourRelationsSite(union=union, name=name, level=level, recognised_on=recognised_on)
    )


@transaction.atomic
def labour_relations_site_update(
    *, site: LabourRelationsSite, data: dict[str, Any], by: StaffActor
) -> LabourRelationsSite:
    require_staff_write(by, site.union)
    if data.get("union") is not None:
        require_staff_write(by, data["union"])
    site, _changed = model_update(instance=site, fields=SITE_FIELDS, data=data)
    return site


# --- wage collective contracts (能级工资集体合同) ---------------------------------------------------

# The union is not among them: it follows the enterprise (see wage_contract_update).
CONTRACT_FIELDS = ["enterprise", "signed_on", "expires_on", "employees_covered"]


def _check_contract_dates(signed_on: dt.date, expires_on: dt.date) -> None:
    if expires_on < signed_on:
        raise ValidationError({"expires_on": _("到期日期不能早于签订日期。")})


@transaction.atomic
def wage_contract_sign(
    *,
    enterprise: Enterprise,
    signed_on: dt.date,
    expires_on: dt.date,
    employees_covered: int,
    by: StaffActor,
) -> WageContract:
    """Register a 能级工资集体合同; it belongs to the enterprise's union (the coverage figure
    counts it there), never to a union the caller names."""
    require_named(by, enterprise)
    require_staff_write(by, enterprise.union)
    _check_contract_dates(signed_on, expires_on)
    return _saved(
        WageContract(
            enterprise=enterprise,
            union=enterprise.union,
            signed_on=signed_on,
            expires_on=expires_on,
            employees_covered=employees_covered,
        )
    )


@transaction.atomic
def wage_contract_update(
    *, contract: WageContract, data: dict[str, Any], by: StaffActor
) -> WageContract:
    """Correct a contract. A new enterprise must be one the clerk may name, and the contract's
    union moves with it: a contract left under the old enterprise's union would count coverage
    where the enterprise is not."""
    require_staff_write(by, contract.union)
    data = dict(data)
    enterprise = data.get("enterprise")
    if enterprise is not None:
        require_named(by, enterprise)
        require_staff_write(by, enterprise.union)
    _check_contract_dates(
        data.get("signed_on", contract.signed_on), data.get("expires_on", contract.expires_on)
    )
    contract, _changed = model_update(instance=contract, fields=CONTRACT_FIELDS, data=data)
    # A regional or industry contract (no single enterprise) keeps the union that signed it.
    if contract.enterprise is not None and contract.union_id != contract.enterprise.union_id:
        contract, _changed = model_update(
            instance=contract, fields=["union"], data={"union": contract.enterprise.union}
        )
    return contract


# --- grassroots investment (大抓基层三年行动) ---------------------------------------------------------

INVESTMENT_FIELDS = ["union", "project", "spent_on", "amount"]


@transaction.atomic
def grassroots_investment_record(
    *, union: Union, project: str, spent_on: dt.date, amount: Decimal, by: StaffActor
) -> GrassrootsInvestment:
    require_staff_write(by, union)
    return _saved(
        GrassrootsInvestment(union=union, project=project, spent_on=spent_on, amount=amount)
    )


@transaction.atomic
def grassroots_investment_update(
    *, investment: GrassrootsInvestment, data: dict[str, Any], by: StaffActor
) -> GrassrootsInvestment:
    require_staff_write(by, investment.union)
    if data.get("union") is not None:
        require_staff_write(by, data["union"])
    investment, _changed = model_update(instance=investment, fields=INVESTMENT_FIELDS, data=data)
    return investment
