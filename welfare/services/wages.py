"""Writes for labour relations sites, wage collective contracts and grassroots investment.

One service per entity and action; `*_update` lists the editable fields (`model_update`)."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.services import model_update
from members.history import attributed
from members.models import Enterprise, EnterpriseYear, Union
from welfare.models import (
    GrassrootsInvestment,
    LabourRelationsSite,
    WageContract,
    WageNegotiation,
    WageNegotiationCoverage,
    WageNegotiationRound,
)
from welfare.services._common import StaffActor, require_named, require_staff_write


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


# --- labour relations model sites ----------------------------------------------------------------

SITE_FIELDS = ["union", "name", "level", "recognised_on"]


@attributed
@transaction.atomic
def labour_relations_site_create(
    *, union: Union, name: str, level: str, recognised_on: dt.date, by: StaffActor
) -> LabourRelationsSite:
    require_staff_write(by, union)
    return _saved(
        LabourRelationsSite(union=union, name=name, level=level, recognised_on=recognised_on)
    )


@attributed
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


def _require_covered_within(by: StaffActor, union: Union, enterprises: list[Enterprise]) -> None:
    """Each covered enterprise must be one the clerk may name (refused like a missing one) and lie
    in the contract's union's tree: a regional contract of 吴兴 cannot cover a 南浔 enterprise."""
    require_named(by, *enterprises)
    outside = [e.name for e in enterprises if not e.union.is_within(union)]
    if outside:
        raise ValidationError(
            {
                "covered_enterprises": _("以下企业不在签订工会的范围内：%(e)s。")
                % {"e": "、".join(outside)}
            }
        )


@attributed
@transaction.atomic
def wage_contract_sign(
    *,
    signed_on: dt.date,
    expires_on: dt.date,
    employees_covered: int,
    enterprise: Enterprise | None = None,
    scope: str = WageContract.Scope.ENTERPRISE,
    union: Union | None = None,
    covered_enterprises: Iterable[Enterprise] = (),
    by: StaffActor,
) -> WageContract:
    """Register a 能级工资集体合同. An enterprise's own contract belongs to the enterprise's union
    (the coverage figure counts it there), never to a union the caller names. A 区域性 or 行业性
    contract is signed by `union` and lists the enterprises it covers, each within that union's
    tree."""
    covered = list(dict.fromkeys(covered_enterprises))
    if scope not in WageContract.Scope.values:
        raise ValidationError({"scope": _("合同范围无效。")})
    if scope == WageContract.Scope.ENTERPRISE:
        if enterprise is None:
            raise ValidationError({"enterprise": _("单个企业合同请选择签订企业。")})
        if covered:
            raise ValidationError(
                {"covered_enterprises": _("单个企业合同不列覆盖企业，请改选区域性或行业性。")}
            )
        require_named(by, enterprise)
        require_staff_write(by, enterprise.union)
        if union is not None and union.pk != enterprise.union_id:
            raise ValidationError(
                {"union": _("单个企业合同属于签订企业所属的工会，不能另填工会。")}
            )
        union = enterprise.union
    else:
        if enterprise is not None:
            raise ValidationError(
                {"enterprise": _("区域性、行业性合同不填签订企业，请在“覆盖企业”中列出。")}
            )
        if union is None:
            raise ValidationError({"union": _("请选择签订合同的工会。")})
        require_named(by, union)
        require_staff_write(by, union)
        if not covered:
            raise ValidationError({"covered_enterprises": _("请列出合同覆盖的企业。")})
        _require_covered_within(by, union, covered)
    _check_contract_dates(signed_on, expires_on)
    contract = _saved(
        WageContract(
            scope=scope,
            enterprise=enterprise,
            union=union,
            signed_on=signed_on,
            expires_on=expires_on,
            employees_covered=employees_covered,
        )
    )
    if covered:
        contract.covered_enterprises.set(covered)
    return contract


@attributed
@transaction.atomic
def wage_contract_update(
    *, contract: WageContract, data: dict[str, Any], by: StaffActor
) -> WageContract:
    """Correct a contract. A new enterprise must be one the clerk may name, and the contract's
    union moves with it: a contract left under the old enterprise's union would count coverage
    where the enterprise is not. Its scope and a regional contract's union are fixed: a wrong
    one is a different contract."""
    require_staff_write(by, contract.union)
    data = dict(data)
    enterprise = data.get("enterprise")
    if enterprise is not None:
        if contract.scope != WageContract.Scope.ENTERPRISE:
            raise ValidationError(
                {"enterprise": _("区域性、行业性合同不填签订企业，请在“覆盖企业”中列出。")}
            )
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


@attributed
@transaction.atomic
def wage_contract_cover(
    *, contract: WageContract, enterprises: Iterable[Enterprise], by: StaffActor
) -> WageContract:
    """Set the enterprises a 区域性 or 行业性 contract covers (the whole list: added ones are
    covered from now, removed ones no longer). Each must lie in the contract's union's tree."""
    require_staff_write(by, contract.union)
    contract = WageContract.objects.select_for_update().get(pk=contract.pk)
    if contract.scope == WageContract.Scope.ENTERPRISE:
        raise ValidationError(
            {"covered_enterprises": _("单个企业合同不列覆盖企业，请改选区域性或行业性。")}
        )
    covered = list(dict.fromkeys(enterprises))
    if not covered:
        raise ValidationError({"covered_enterprises": _("请列出合同覆盖的企业。")})
    _require_covered_within(by, contract.union, covered)
    if {e.pk for e in covered} != set(contract.covered_enterprises.values_list("pk", flat=True)):
        contract.covered_enterprises.set(covered)
    return contract


# --- enterprises' standing per year (规上, 建会) -----------------------------------------------------

ENTERPRISE_YEAR_FIELDS = ["above_designated_size", "has_union"]
# The statistics of a year are compiled early the next year; a row for a year further ahead
# is a typing mistake.
FIRST_STATISTICS_YEAR = 2000


def _check_statistics_year(year: int) -> None:
    latest = timezone.localdate().year + 1
    if not FIRST_STATISTICS_YEAR <= year <= latest:
        raise ValidationError(
            {"year": _("年度应在%(a)d至%(b)d之间。") % {"a": FIRST_STATISTICS_YEAR, "b": latest}}
        )


@attributed
@transaction.atomic
def enterprise_year_record(
    *,
    enterprise: Enterprise,
    year: int,
    above_designated_size: bool,
    has_union: bool,
    by: StaffActor,
) -> tuple[EnterpriseYear, bool]:
    """Record an enterprise's standing in `year` (规上 on the statistics bureau's list of that
    year; 建会 by then). One row per enterprise and year: recording it again corrects the row.
    Returns (row, created)."""
    require_named(by, enterprise)
    require_staff_write(by, enterprise.union)
    _check_statistics_year(year)
    row = (
        EnterpriseYear.objects.select_for_update().filter(enterprise=enterprise, year=year).first()
    )
    values = {"above_designated_size": above_designated_size, "has_union": has_union}
    if row is not None:
        row, _changed = model_update(instance=row, fields=ENTERPRISE_YEAR_FIELDS, data=values)
        return row, False
    try:
        # The unique constraint is the guard against two clerks recording the same year at once.
        with transaction.atomic():
            row = _saved(EnterpriseYear(enterprise=enterprise, year=year, **values))
    except IntegrityError:
        raise ValidationError(
            {
                "year": _("%(e)s %(y)d年度的信息已登记，请修改该记录。")
                % {"e": enterprise, "y": year}
            }
        ) from None
    return row, True


@attributed
@transaction.atomic
def enterprise_year_update(
    *, enterprise_year: EnterpriseYear, data: dict[str, Any], by: StaffActor
) -> EnterpriseYear:
    """Correct 规上 / 建会 of one enterprise's year (the enterprise and the year are the row's
    identity: a wrong one is another row)."""
    require_staff_write(by, enterprise_year.enterprise.union)
    enterprise_year, _changed = model_update(
        instance=enterprise_year, fields=ENTERPRISE_YEAR_FIELDS, data=data
    )
    return enterprise_year


# --- grassroots investment (大抓基层三年行动) ---------------------------------------------------------

INVESTMENT_FIELDS = ["union", "project", "spent_on", "amount"]


@attributed
@transaction.atomic
def grassroots_investment_record(
    *, union: Union, project: str, spent_on: dt.date, amount: Decimal, by: StaffActor
) -> GrassrootsInvestment:
    require_staff_write(by, union)
    return _saved(
        GrassrootsInvestment(union=union, project=project, spent_on=spent_on, amount=amount)
    )


@attributed
@transaction.atomic
def grassroots_investment_update(
    *, investment: GrassrootsInvestment, data: dict[str, Any], by: StaffActor
) -> GrassrootsInvestment:
    require_staff_write(by, investment.union)
    if data.get("union") is not None:
        require_staff_write(by, data["union"])
    investment, _changed = model_update(instance=investment, fields=INVESTMENT_FIELDS, data=data)
    return investment


# --- 能级工资集体协商 as a process -------------------------------------------------------------------
# 要约 → 协商 → 职代会审议 → 签订 → 备案: each stage has its service, and each refuses to run unless
# the negotiation stands at the stage just before it, so no stage can be skipped on any path.

Stage = WageNegotiation.Stage
STAGE_ORDER = [Stage.OFFER, Stage.ROUNDS, Stage.CONGRESS, Stage.SIGNED, Stage.FILED]
# What may be corrected while talks go on (before the 职代会 reviews the draft).
NEGOTIATION_FIELDS = ["title", "contract_type", "topics", "other_topics", "offered_on"]


def _locked(negotiation: WageNegotiation) -> WageNegotiation:
    return WageNegotiation.objects.select_for_update().get(pk=negotiation.pk)


def _require_stage(negotiation: WageNegotiation, *allowed: str, doing: str) -> None:
    if negotiation.stage in allowed:
        return
    needed = Stage(allowed[-1]).label
    raise ValidationError(
        _("当前处于“%(now)s”阶段，须先完成“%(need)s”阶段才能%(doing)s，协商阶段不能跳过。")
        % {"now": negotiation.get_stage_display(), "need": needed, "doing": doing}
    )


def _check_topics(topics: list[str]) -> list[str]:
    unknown = [t for t in topics if t not in WageNegotiation.Topic.values]
    if unknown:
        raise ValidationError({"topics": _("协商议题无效：%(t)s。") % {"t": "、".join(unknown)}})
    return list(dict.fromkeys(topics))


@attributed
@transaction.atomic
def wage_negotiation_offer(
    *,
    union: Union,
    title: str,
    level: str,
    contract_type: str,
    offered_on: dt.date,
    topics: list[str] | None = None,
    other_topics: str = "",
    by: StaffActor,
) -> WageNegotiation:
    """要约: the union (or the enterprise, answered by the union) opens a negotiation. The
    enterprises it covers are added with `wage_negotiation_cover`."""
    require_staff_write(by, union)
    negotiation = WageNegotiation(
        union=union,
        title=title.strip(),
        level=level,
        contract_type=contract_type,
        offered_on=offered_on,
        topics=_check_topics(topics or []),
        other_topics=other_topics.strip(),
    )
    return _saved(negotiation)


@attributed
@transaction.atomic
def wage_negotiation_update(
    *, negotiation: WageNegotiation, data: dict[str, Any], by: StaffActor
) -> WageNegotiation:
    require_staff_write(by, negotiation.union)
    negotiation = _locked(negotiation)
    _require_stage(negotiation, Stage.OFFER, Stage.ROUNDS, doing=_("修改协商内容"))
    data = dict(data)
    if "topics" in data:
        data["topics"] = _check_topics(data["topics"] or [])
    negotiation, _changed = model_update(instance=negotiation, fields=NEGOTIATION_FIELDS, data=data)
    return negotiation


@attributed
@transaction.atomic
def wage_negotiation_cover(
    *, negotiation: WageNegotiation, enterprise: Enterprise, employees: int, by: StaffActor
) -> WageNegotiationCoverage:
    """Add an enterprise the negotiation covers (before it is signed). An enterprise-level
    negotiation covers one enterprise; a 区域性 or 行业性 one, the enterprises of its union's part
    of the tree."""
    require_staff_write(by, negotiation.union)
    require_named(by, enterprise)
    negotiation = _locked(negotiation)
    _require_stage(negotiation, Stage.OFFER, Stage.ROUNDS, Stage.CONGRESS, doing=_("增加覆盖企业"))
    if not enterprise.union.is_within(negotiation.union):
        raise ValidationError({"enterprise": _("该企业不在协商工会的范围内。")})
    if negotiation.coverage.filter(enterprise=enterprise).exists():
        raise ValidationError({"enterprise": _("该企业已在覆盖范围内。")})
    if negotiation.level == WageNegotiation.Level.ENTERPRISE and negotiation.coverage.exists():
        raise ValidationError({"enterprise": _("企业层级的协商只覆盖一家企业。")})
    return _saved(
        WageNegotiationCoverage(negotiation=negotiation, enterprise=enterprise, employees=employees)
    )


@attributed
@transaction.atomic
def wage_negotiation_round_add(
    *,
    negotiation: WageNegotiation,
    held_on: dt.date,
    summary: str,
    agreed: bool = False,
    by: StaffActor,
) -> WageNegotiationRound:
    """协商: one round of talks, after the offer and after the previous round."""
    require_staff_write(by, negotiation.union)
    negotiation = _locked(negotiation)
    _require_stage(negotiation, Stage.OFFER, Stage.ROUNDS, doing=_("登记协商轮次"))
    last = negotiation.rounds.order_by("-number").first()
    earliest = last.held_on if last else negotiation.offered_on
    if held_on < earliest:
        raise ValidationError({"held_on": _("协商日期不能早于%(d)s。") % {"d": earliest}})
    round_ = _saved(
        WageNegotiationRound(
            negotiation=negotiation,
            number=(last.number + 1) if last else 1,
            held_on=held_on,
            summary=summary.strip(),
            agreed=agreed,
        )
    )
    if negotiation.stage == Stage.OFFER:
        negotiation.stage = Stage.ROUNDS
        negotiation.save(update_fields=["stage", "updated_at"])
    return round_


@attributed
@transaction.atomic
def wage_negotiation_congress(
    *, negotiation: WageNegotiation, reviewed_on: dt.date, by: StaffActor
) -> WageNegotiation:
    """职代会审议: the workers' congress reviews the draft agreed in the last round."""
    require_staff_write(by, negotiation.union)
    negotiation = _locked(negotiation)
    _require_stage(negotiation, Stage.ROUNDS, doing=_("提交职代会审议"))
    last = negotiation.rounds.order_by("-number").first()
    if last is None or not last.agreed:
        raise ValidationError(_("最后一轮协商未达成一致，不能提交职代会审议。"))
    if reviewed_on < last.held_on:
        raise ValidationError({"reviewed_on": _("审议日期不能早于最后一轮协商。")})
    negotiation.stage, negotiation.congress_on = Stage.CONGRESS, reviewed_on
    negotiation.save(update_fields=["stage", "congress_on", "updated_at"])
    return negotiation


@attributed
@transaction.atomic
def wage_negotiation_sign(
    *, negotiation: WageNegotiation, signed_on: dt.date, expires_on: dt.date, by: StaffActor
) -> WageNegotiation:
    """签订: the contract is signed; each covered enterprise gets its WageContract through
    `wage_contract_sign` (the contract figures count them there)."""
    require_staff_write(by, negotiation.union)
    negotiation = _locked(negotiation)
    _require_stage(negotiation, Stage.CONGRESS, doing=_("签订"))
    assert negotiation.congress_on is not None  # set when the congress stage was reached
    if signed_on < negotiation.congress_on:
        raise ValidationError({"signed_on": _("签订日期不能早于职代会审议日期。")})
    _check_contract_dates(signed_on, expires_on)
    coverage = list(negotiation.coverage.select_related("enterprise__union").order_by("pk"))
    if not coverage:
        raise ValidationError(_("请先登记协商覆盖的企业。"))
    for row in coverage:
        row.contract = wage_contract_sign(
            enterprise=row.enterprise,
            signed_on=signed_on,
            expires_on=expires_on,
            employees_covered=row.employees,
            by=by,
        )
        row.save(update_fields=["contract"])
    negotiation.stage = Stage.SIGNED
    negotiation.signed_on, negotiation.expires_on = signed_on, expires_on
    negotiation.save(update_fields=["stage", "signed_on", "expires_on", "updated_at"])
    return negotiation


@attributed
@transaction.atomic
def wage_negotiation_file(
    *, negotiation: WageNegotiation, filed_on: dt.date, filed_with: str, by: StaffActor
) -> WageNegotiation:
    """备案: the signed contract is filed with the human-resources authority."""
    require_staff_write(by, negotiation.union)
    negotiation = _locked(negotiation)
    _require_stage(negotiation, Stage.SIGNED, doing=_("备案"))
    assert negotiation.signed_on is not None  # set when the contract was signed
    if filed_on < negotiation.signed_on:
        raise ValidationError({"filed_on": _("备案日期不能早于签订日期。")})
    if not filed_with.strip():
        raise ValidationError({"filed_with": _("请填写备案机关。")})
    negotiation.stage, negotiation.filed_on = Stage.FILED, filed_on
    negotiation.filed_with = filed_with.strip()
    negotiation.save(update_fields=["stage", "filed_on", "filed_with", "updated_at"])
    return negotiation
