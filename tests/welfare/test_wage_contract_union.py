"""A wage contract's union follows its enterprise: it is derived, never submitted, on signing and
whenever the enterprise changes; the enterprise is one the clerk may name. The API only reads
contracts' writes through the services (POST, PATCH; no PUT, no DELETE)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from members.scoping import NOT_IN_SCOPE
from tests.factories import EnterpriseFactory
from welfare import services
from welfare.models import WageContract

pytestmark = pytest.mark.django_db
BASE = "/api/v1/welfare"


def sign(enterprise, by):
    return services.wage_contract_sign(
        enterprise=enterprise,
        signed_on=dt.date(2024, 3, 1),
        expires_on=dt.date(2026, 3, 1),
        employees_covered=120,
        by=by,
    )


def test_posting_a_contract_with_another_union_is_refused_and_writes_nothing(api, staff, tree):
    # given: an enterprise of 织里 and 南浔's union code in the body
    enterprise = EnterpriseFactory(union=tree.zhili_factory)
    body = {
        "enterprise": enterprise.credit_code,
        "union": tree.nanxun.code,
        "signed_on": "2024-03-01",
        "expires_on": "2026-03-01",
        "employees_covered": 5000,
    }
    client = api(staff["district_admin"])
    # when
    created = client.post(f"{BASE}/wage-contracts/", body, format="json")
    own_district = client.post(
        f"{BASE}/wage-contracts/", {**body, "union": tree.wuxing.code}, format="json"
    )
    contract = sign(enterprise, staff["district_admin"])
    changed = client.put(f"{BASE}/wage-contracts/{contract.pk}/", body, format="json")
    patched = client.patch(
        f"{BASE}/wage-contracts/{contract.pk}/", {"union": tree.nanxun.code}, format="json"
    )
    # then: 南浔's code is answered like a missing one; an enterprise's contract takes the
    # enterprise's union, so naming any other is refused; no PUT; PATCH cannot reach the union
    assert created.status_code == 400
    assert created.json() == {"union": [str(NOT_IN_SCOPE)]}
    assert own_district.status_code == 400
    assert "不能另填工会" in own_district.json()["union"][0]
    assert (changed.status_code, patched.status_code) == (405, 200)
    assert list(WageContract.objects.values_list("union", "employees_covered")) == [
        (tree.zhili_factory.pk, 120)
    ]


def test_the_schema_lists_post_and_patch_for_wage_contracts_and_no_put(admin_client):
    schema = admin_client.get("/api/schema/?format=json").json()
    methods = {
        method
        for path, ops in schema["paths"].items()
        if "/welfare/wage-contracts/" in path
        for method in ops
    }
    assert methods == {"get", "post", "patch"}


def test_a_contract_moved_to_another_enterprise_moves_to_its_union(tree, staff):
    # given: a contract of a 织里 enterprise, corrected by the district to an 八里店 enterprise
    first = EnterpriseFactory(union=tree.zhili_factory)
    second = EnterpriseFactory(union=tree.balidian_factory)
    contract = sign(first, staff["district_admin"])
    # when
    services.wage_contract_update(
        contract=contract, data={"enterprise": second}, by=staff["district_admin"]
    )
    # then
    contract.refresh_from_db()
    assert (contract.enterprise, contract.union) == (second, tree.balidian_factory)


def test_a_contract_changed_in_the_admin_follows_its_new_enterprise(client, tree, staff):
    first = EnterpriseFactory(union=tree.zhili_factory)
    second = EnterpriseFactory(union=tree.balidian_factory)
    contract = sign(first, staff["district_admin"])
    client.force_login(staff["district_admin"])
    response = client.post(
        reverse("admin:welfare_wagecontract_change", args=[contract.pk]),
        {
            "enterprise": second.pk,
            "signed_on": "2024-03-01",
            "expires_on": "2026-03-01",
            "employees_covered": "120",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:welfare_wagecontract_changelist")
    contract.refresh_from_db()
    assert (contract.enterprise, contract.union) == (second, tree.balidian_factory)


def test_a_contract_cannot_move_to_an_enterprise_outside_the_tree(tree, staff):
    ours = EnterpriseFactory(union=tree.zhili_factory)
    theirs = EnterpriseFactory(union=tree.shuanglin_factory, name="双林某纺织有限公司")
    contract = sign(ours, staff["township_admin"])
    with pytest.raises(PermissionDenied) as refused:
        services.wage_contract_update(
            contract=contract, data={"enterprise": theirs}, by=staff["township_admin"]
        )
    assert str(refused.value) == str(NOT_IN_SCOPE)
    contract.refresh_from_db()
    assert (contract.enterprise, contract.union) == (ours, tree.zhili_factory)
    with pytest.raises(PermissionDenied) as refused:
        sign(theirs, staff["township_admin"])
    assert theirs.name not in str(refused.value)
    assert WageContract.objects.count() == 1
