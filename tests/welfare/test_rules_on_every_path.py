"""A fund's amount never falls below what it has paid out, and a plan with claims keeps its
period: through the service, the admin and the API alike."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import MemberFactory
from tests.welfare.factories import ClaimFactory, FundFactory
from welfare import services

pytestmark = pytest.mark.django_db
D = Decimal
BASE = "/api/v1/welfare"


@pytest.fixture
def paid_fund(tree, staff):
    """A 5,000 fund in 织里 that has paid 3,000."""
    fund = FundFactory(union=tree.zhili, amount=D("5000.00"))
    case = services.hardship_case_open(
        member=MemberFactory(union=tree.zhili_factory),
        category="illness",
        assessed_on=dt.date(2024, 3, 1),
        by=staff["township_admin"],
    )
    services.hardship_aid_pay(
        case=case,
        amount=D("3000"),
        fund=fund,
        paid_on=dt.date(2024, 3, 5),
        by=staff["township_admin"],
    )
    return fund


def test_the_fund_service_refuses_an_amount_below_what_it_has_paid(paid_fund, staff):
    with pytest.raises(ValidationError, match=r"3000\.00"):
        services.assistance_fund_update(
            fund=paid_fund, data={"amount": D("2999.99")}, by=staff["township_admin"]
        )
    paid_fund.refresh_from_db()
    assert paid_fund.amount == D("5000.00")
    services.assistance_fund_update(
        fund=paid_fund, data={"amount": D("3000.00")}, by=staff["township_admin"]
    )
    paid_fund.refresh_from_db()
    assert paid_fund.amount == D("3000.00")


def test_the_api_refuses_a_fund_amount_below_what_it_has_paid(api, paid_fund, staff):
    response = api(staff["township_admin"]).patch(
        f"{BASE}/funds/{paid_fund.pk}/", {"amount": "100.00"}, format="json"
    )
    assert response.status_code == 400
    paid_fund.refresh_from_db()
    assert paid_fund.amount == D("5000.00")


def test_the_admin_refuses_a_fund_amount_below_what_it_has_paid(client, paid_fund, staff, tree):
    client.force_login(staff["township_admin"])
    response = client.post(
        reverse("admin:welfare_assistancefund_change", args=[paid_fund.pk]),
        {
            "union": tree.zhili.pk,
            "name": paid_fund.name,
            "source": paid_fund.source,
            "amount": "100.00",
            "raised_on": "2024-01-10",
        },
    )
    assert response.status_code == 200
    assert "3000.00" in response.content.decode()
    paid_fund.refresh_from_db()
    assert paid_fund.amount == D("5000.00")


def test_a_fund_cannot_be_moved_to_another_union_by_an_edit(api, paid_fund, staff, tree):
    response = api(staff["district_admin"]).patch(
        f"{BASE}/funds/{paid_fund.pk}/", {"union": tree.balidian.code}, format="json"
    )
    assert response.status_code == 400
    paid_fund.refresh_from_db()
    assert paid_fund.union == tree.zhili


def test_the_plan_service_keeps_the_period_of_a_plan_with_claims(enrolment, staff):
    plan = enrolment.line.plan
    start = plan.period_start
    services.plan_update(plan=plan, data={"name": "改名"}, by=staff["city_admin"])
    ClaimFactory(enrolment=enrolment)
    with pytest.raises(ValidationError, match="保障期"):
        services.plan_update(
            plan=plan, data={"period_start": start + dt.timedelta(days=30)}, by=staff["city_admin"]
        )
    plan.refresh_from_db()
    assert (plan.period_start, plan.name) == (start, "改名")


def test_the_admin_keeps_the_period_of_a_plan_with_claims(client, enrolment, staff, tree):
    # given
    plan = enrolment.line.plan
    start = plan.period_start
    ClaimFactory(enrolment=enrolment)
    client.force_login(staff["city_admin"])
    # when
    response = client.post(
        reverse("admin:welfare_mutualaidplan_change", args=[plan.pk]),
        {
            "union": tree.city.pk,
            "year": plan.year,
            "name": plan.name,
            "period_start": (start + dt.timedelta(days=30)).isoformat(),
            "period_end": plan.period_end.isoformat(),
            "enrolment_opens": plan.enrolment_opens.isoformat(),
            "enrolment_closes": plan.enrolment_closes.isoformat(),
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "1",
            "lines-0-id": enrolment.line.pk,
            "lines-0-plan": plan.pk,
        },
    )
    # then
    assert response.status_code == 200
    assert "保障期" in response.content.decode()
    plan.refresh_from_db()
    assert plan.period_start == start


def test_the_api_offers_no_route_that_changes_a_plan(api, plan, staff):
    response = api(staff["city_admin"]).patch(
        f"{BASE}/plans/{plan.pk}/", {"period_start": "2000-01-01"}, format="json"
    )
    assert response.status_code == 405
