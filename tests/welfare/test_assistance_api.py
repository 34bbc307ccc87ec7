"""Funds, hardship cases and visits through the API: each write goes through its own service
(scope, balance, lock), never through a generic "set any field" route."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import MemberFactory
from tests.welfare.factories import FundFactory
from welfare import services
from welfare.models import AssistanceFund, HardshipCase, Visit

pytestmark = pytest.mark.django_db
BASE = "/api/v1/welfare"
NOT_IN_SCOPE = "不存在或不在您的管辖范围内"
D = Decimal


@pytest.fixture
def nanxun_fund(tree):
    return FundFactory(union=tree.nanxun, amount=D("1000.00"))


@pytest.fixture
def zhili_member(tree):
    return MemberFactory(union=tree.zhili_factory, name="吴兴王五")


def test_a_hardship_case_cannot_be_opened_with_another_districts_fund_and_aid(
    api, staff, zhili_member, nanxun_fund
):
    # given: 吴兴's clerk names 南浔's fund and an amount when opening a case
    body = {
        "member": zhili_member.pk,
        "union": zhili_member.union.code,
        "category": "illness",
        "assessed_on": "2024-03-01",
        "fund": nanxun_fund.pk,
        "aid_amount": "99999.00",
        "aid_paid_on": "2024-03-02",
    }
    # when
    response = api(staff["district_admin"]).post(f"{BASE}/hardship-cases/", body, format="json")
    # then: refused, nothing written, 南浔's fund untouched
    assert response.status_code == 400
    assert HardshipCase.objects.count() == 0
    assert services.fund_balance(nanxun_fund) == D("1000.00")


def test_a_hardship_case_is_opened_through_its_service(api, staff, zhili_member):
    body = {"member": zhili_member.pk, "category": "illness", "assessed_on": "2024-03-01"}
    response = api(staff["district_admin"]).post(f"{BASE}/hardship-cases/", body, format="json")
    assert response.status_code == 201
    case = HardshipCase.objects.get()
    assert (case.union, case.aid_amount, case.fund) == (zhili_member.union, D("0.00"), None)


def test_a_hardship_case_cannot_be_changed_by_put_or_patch(
    api, staff, zhili_member, nanxun_fund, tree
):
    # given
    case = services.hardship_case_open(
        member=zhili_member,
        category="illness",
        assessed_on=dt.date(2024, 3, 1),
        by=staff["district_admin"],
    )
    client = api(staff["district_admin"])
    body = {"fund": nanxun_fund.pk, "aid_amount": "50000.00"}
    # when
    put = client.put(f"{BASE}/hardship-cases/{case.pk}/", body, format="json")
    patch = client.patch(f"{BASE}/hardship-cases/{case.pk}/", body, format="json")
    # then
    assert (put.status_code, patch.status_code) == (405, 405)
    case.refresh_from_db()
    assert (case.aid_amount, case.fund) == (D("0.00"), None)
    assert services.fund_balance(nanxun_fund) == D("1000.00")


def test_aid_is_paid_through_the_api_only_from_a_fund_in_scope_and_within_its_balance(
    api, staff, zhili_member, nanxun_fund, tree
):
    # given
    case = services.hardship_case_open(
        member=zhili_member,
        category="illness",
        assessed_on=dt.date(2024, 3, 1),
        by=staff["district_admin"],
    )
    own = FundFactory(union=tree.wuxing, amount=D("500.00"))
    client = api(staff["district_admin"])
    url = f"{BASE}/hardship-cases/{case.pk}/pay/"
    # when
    foreign = client.post(url, {"fund": nanxun_fund.pk, "amount": "10", "paid_on": "2024-03-02"})
    too_much = client.post(url, {"fund": own.pk, "amount": "500.01", "paid_on": "2024-03-02"})
    paid = client.post(url, {"fund": own.pk, "amount": "300", "paid_on": "2024-03-02"})
    # then
    assert foreign.status_code == 400 and NOT_IN_SCOPE in str(foreign.json())
    assert nanxun_fund.name not in str(foreign.json())
    assert too_much.status_code == 400 and "余额500.00元" in str(too_much.json())
    assert paid.status_code == 200 and paid.json()["aid_amount"] == "300.00"
    assert services.fund_balance(nanxun_fund) == D("1000.00")
    assert services.fund_balance(own) == D("200.00")


def test_a_visit_with_a_union_other_than_the_members_is_refused(api, staff, zhili_member, tree):
    # given: 吴兴's clerk names 八里店 (in their tree, but not the worker's union)
    body = {
        "member": zhili_member.pk,
        "union": tree.balidian_factory.code,
        "visited_on": "2024-01-25",
        "occasion": "winter",
        "visitor": "区总工会",
    }
    client = api(staff["district_admin"])
    # when
    response = client.post(f"{BASE}/visits/", body, format="json")
    # then
    assert response.status_code == 400
    assert Visit.objects.count() == 0
    # and without the union the visit counts where the worker belongs
    del body["union"]
    created = client.post(f"{BASE}/visits/", body, format="json")
    assert created.status_code == 201
    assert Visit.objects.get().union == zhili_member.union


def test_a_visit_to_a_member_outside_the_tree_is_answered_as_missing(api, staff, tree):
    stranger = MemberFactory(union=tree.shuanglin_factory, name="南浔张三")
    body = {"member": stranger.pk, "visited_on": "2024-01-25", "occasion": "winter", "visitor": "x"}
    response = api(staff["district_admin"]).post(f"{BASE}/visits/", body, format="json")
    assert response.status_code == 400
    assert NOT_IN_SCOPE in str(response.json()) and "南浔张三" not in str(response.json())
    assert Visit.objects.count() == 0


def test_a_fund_is_raised_only_in_the_clerks_tree(api, staff, tree):
    body = {
        "union": tree.nanxun.code,
        "name": "送温暖",
        "source": "union_funds",
        "amount": "100",
        "raised_on": "2024-01-10",
    }
    client = api(staff["district_admin"])
    refused = client.post(f"{BASE}/funds/", body, format="json")
    assert refused.status_code == 400 and NOT_IN_SCOPE in str(refused.json())
    assert AssistanceFund.objects.count() == 0
    created = client.post(f"{BASE}/funds/", {**body, "union": tree.zhili.code}, format="json")
    assert created.status_code == 201
    assert AssistanceFund.objects.get().union == tree.zhili


def test_the_read_only_routes_answer_405_and_are_absent_from_the_schema(
    api, staff, zhili_member, tree
):
    visit = services.visit_record(
        member=zhili_member,
        visited_on=dt.date(2024, 1, 25),
        occasion="winter",
        visitor="x",
        by=staff["district_admin"],
    )
    client = api(staff["district_admin"])
    assert client.put(f"{BASE}/visits/{visit.pk}/", {}, format="json").status_code == 405
    assert client.patch(f"{BASE}/visits/{visit.pk}/", {}, format="json").status_code == 405
    schema = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in ("hardship-cases", "visits"):
        assert set(schema[f"{BASE}/{path}/{{id}}/"]) == {"get"}, path
    assert set(schema[f"{BASE}/funds/{{id}}/"]) == {"get", "put", "patch"}
