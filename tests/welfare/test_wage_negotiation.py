"""能级工资集体协商 as a process: 要约 → 协商 → 职代会审议 → 签订 → 备案, each stage only after the one
before it; signing writes the covered enterprises' WageContracts (so `wage_contracts` counts
them); scoped like every record."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members.actors import system
from tests.factories import EnterpriseFactory
from welfare import selectors, services
from welfare.models import WageContract, WageNegotiation

pytestmark = pytest.mark.django_db
NOT_IN_SCOPE = "不存在或不在您的管辖范围内"
D = dt.date


def _offer(union, by, level=WageNegotiation.Level.REGIONAL):
    return services.wage_negotiation_offer(
        union=union,
        title="织里镇童装行业能级工资集体协商",
        level=level,
        contract_type=WageNegotiation.ContractType.SKILL_LEVEL,
        offered_on=D(2024, 3, 1),
        topics=["wage_adjustment", "skill_pay"],
        by=by,
    )


def _through_congress(negotiation, by):
    services.wage_negotiation_round_add(
        negotiation=negotiation, held_on=D(2024, 3, 10), summary="首轮：分歧在计件单价", by=by
    )
    services.wage_negotiation_round_add(
        negotiation=negotiation,
        held_on=D(2024, 3, 20),
        summary="二轮：达成一致",
        agreed=True,
        by=by,
    )
    return services.wage_negotiation_congress(
        negotiation=negotiation, reviewed_on=D(2024, 4, 1), by=by
    )


def test_a_regional_negotiation_signed_writes_a_contract_for_each_covered_enterprise(tree, staff):
    clerk = staff["township_admin"]
    one = EnterpriseFactory(union=tree.zhili_factory)
    two = EnterpriseFactory(union=tree.zhili)
    negotiation = _offer(tree.zhili, clerk)
    services.wage_negotiation_cover(
        negotiation=negotiation, enterprise=one, employees=120, by=clerk
    )
    services.wage_negotiation_cover(negotiation=negotiation, enterprise=two, employees=80, by=clerk)
    _through_congress(negotiation, clerk)
    services.wage_negotiation_sign(
        negotiation=negotiation, signed_on=D(2024, 4, 10), expires_on=D(2026, 4, 9), by=clerk
    )
    services.wage_negotiation_file(
        negotiation=negotiation, filed_on=D(2024, 4, 20), filed_with="吴兴区人力社保局", by=clerk
    )
    stored = WageNegotiation.objects.get(pk=negotiation.pk)
    assert stored.stage == WageNegotiation.Stage.FILED
    contracts = WageContract.objects.order_by("employees_covered")
    assert [(c.enterprise, c.union, c.employees_covered) for c in contracts] == [
        (two, tree.zhili, 80),
        (one, tree.zhili_factory, 120),
    ]
    assert set(stored.coverage.values_list("contract", flat=True)) == {c.pk for c in contracts}
    assert selectors.wage_contracts(year=2024, union=tree.zhili).count() == 2


@pytest.mark.parametrize("step", ["congress", "sign", "file"])
def test_a_stage_cannot_be_skipped(tree, step):
    by = system("test")
    negotiation = _offer(tree.zhili, by)
    services.wage_negotiation_cover(
        negotiation=negotiation, enterprise=EnterpriseFactory(union=tree.zhili), employees=9, by=by
    )
    calls = {
        "congress": lambda: services.wage_negotiation_congress(
            negotiation=negotiation, reviewed_on=D(2024, 4, 1), by=by
        ),
        "sign": lambda: services.wage_negotiation_sign(
            negotiation=negotiation, signed_on=D(2024, 4, 1), expires_on=D(2025, 4, 1), by=by
        ),
        "file": lambda: services.wage_negotiation_file(
            negotiation=negotiation, filed_on=D(2024, 4, 1), filed_with="人社局", by=by
        ),
    }
    with pytest.raises(ValidationError, match="不能跳过"):
        calls[step]()
    assert WageNegotiation.objects.get(pk=negotiation.pk).stage == WageNegotiation.Stage.OFFER
    assert WageContract.objects.count() == 0


def test_the_congress_needs_an_agreed_last_round(tree):
    by = system("test")
    negotiation = _offer(tree.zhili, by)
    services.wage_negotiation_round_add(
        negotiation=negotiation, held_on=D(2024, 3, 10), summary="未达成一致", by=by
    )
    with pytest.raises(ValidationError, match="未达成一致"):
        services.wage_negotiation_congress(
            negotiation=negotiation, reviewed_on=D(2024, 4, 1), by=by
        )
    assert WageNegotiation.objects.get(pk=negotiation.pk).stage == WageNegotiation.Stage.ROUNDS


def test_a_round_after_the_congress_is_refused(tree):
    by = system("test")
    negotiation = _offer(tree.zhili, by)
    _through_congress(negotiation, by)
    with pytest.raises(ValidationError, match="不能跳过"):
        services.wage_negotiation_round_add(
            negotiation=negotiation, held_on=D(2024, 4, 2), summary="再谈", by=by
        )
    assert negotiation.rounds.count() == 2


def test_an_enterprise_level_negotiation_covers_one_enterprise(tree):
    by = system("test")
    negotiation = _offer(tree.zhili_factory, by, level=WageNegotiation.Level.ENTERPRISE)
    services.wage_negotiation_cover(
        negotiation=negotiation,
        enterprise=EnterpriseFactory(union=tree.zhili_factory),
        employees=50,
        by=by,
    )
    with pytest.raises(ValidationError):
        services.wage_negotiation_cover(
            negotiation=negotiation,
            enterprise=EnterpriseFactory(union=tree.zhili_factory),
            employees=5,
            by=by,
        )
    assert negotiation.coverage.count() == 1


def test_another_districts_clerk_gets_not_in_scope(tree, staff):
    negotiation = _offer(tree.zhili, staff["township_admin"])
    with pytest.raises(PermissionDenied, match=NOT_IN_SCOPE):
        _offer(tree.zhili, staff["nanxun_admin"])
    with pytest.raises(PermissionDenied, match=NOT_IN_SCOPE):
        services.wage_negotiation_round_add(
            negotiation=negotiation, held_on=D(2024, 3, 5), summary="x", by=staff["nanxun_admin"]
        )
    foreign = EnterpriseFactory(union=tree.shuanglin_factory)
    with pytest.raises(PermissionDenied, match=NOT_IN_SCOPE):
        services.wage_negotiation_cover(
            negotiation=negotiation, enterprise=foreign, employees=1, by=staff["township_admin"]
        )
    assert negotiation.rounds.count() == 0 and negotiation.coverage.count() == 0


def test_the_api_refuses_an_enterprise_outside_the_tree_and_a_skipped_stage(api, tree, staff):
    client = api(staff["township_admin"])
    created = client.post(
        "/api/v1/welfare/wage-negotiations/",
        {
            "union": tree.zhili.code,
            "title": "织里镇区域性工资集体协商",
            "level": "regional",
            "contract_type": "wage",
            "offered_on": "2024-03-01",
            "topics": ["wage_payment", "safety"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    foreign = EnterpriseFactory(union=tree.shuanglin_factory, name="双林某纺织")
    refused = client.post(
        f"/api/v1/welfare/wage-negotiations/{pk}/cover/",
        {"enterprise": foreign.credit_code, "employees": 10},
    )
    assert refused.status_code == 400
    assert NOT_IN_SCOPE in str(refused.json()["enterprise"])
    assert "双林" not in str(refused.json())
    skipped = client.post(
        f"/api/v1/welfare/wage-negotiations/{pk}/sign/",
        {"signed_on": "2024-04-01", "expires_on": "2025-04-01"},
    )
    assert skipped.status_code == 400
    assert WageNegotiation.objects.get(pk=pk).stage == "offer"
    outsider = api(staff["nanxun_admin"]).post(
        "/api/v1/welfare/wage-negotiations/",
        {
            "union": tree.zhili.code,
            "title": "x",
            "level": "regional",
            "contract_type": "wage",
            "offered_on": "2024-03-01",
        },
        format="json",
    )
    assert outsider.status_code == 400 and NOT_IN_SCOPE in str(outsider.json()["union"])
