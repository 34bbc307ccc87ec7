"""Yearly plans and their benefit lines: one plan per union and year, deadlines after the period,
and rules fixed once a claim rests on them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.welfare.factories import ClaimFactory
from welfare import services
from welfare.models import BenefitLine, MutualAidPlan

pytestmark = pytest.mark.django_db


def make_plan(union, by, year=2030, **overrides):
    values = {
        "union": union,
        "year": year,
        "name": f"{year}年度职工医疗互助",
        "period_start": dt.date(year, 1, 1),
        "period_end": dt.date(year, 12, 31),
        "enrolment_opens": dt.date(year - 1, 11, 1),
        "enrolment_closes": dt.date(year, 3, 31),
        "by": by,
    }
    return services.plan_create(**{**values, **overrides})


def test_a_plan_with_its_lines_is_created_by_the_city(tree, staff):
    plan = make_plan(tree.city, staff["city_admin"])
    line = services.benefit_line_create(
        plan=plan,
        kind=BenefitLine.Kind.HOSPITAL_STAY,
        name="住院医疗互助",
        contribution=Decimal("30"),
        deductible=Decimal("1000"),
        reimbursement_rate=Decimal("0.5"),
        annual_cap=Decimal("10000"),
        claim_deadline=dt.date(2031, 3, 31),
        by=staff["city_admin"],
    )
    assert list(plan.lines.all()) == [line]


def test_a_second_plan_for_the_same_year_or_a_bad_window_is_refused(tree, staff):
    make_plan(tree.city, staff["city_admin"])
    with pytest.raises(ValidationError, match="已有2030年度"):
        make_plan(tree.city, staff["city_admin"])
    with pytest.raises(ValidationError) as exc:
        make_plan(tree.city, staff["city_admin"], year=2031, enrolment_closes=dt.date(2030, 1, 1))
    assert "enrolment_closes" in exc.value.message_dict
    assert MutualAidPlan.objects.count() == 1


def test_a_district_cannot_create_a_city_plan(tree, staff):
    with pytest.raises(PermissionDenied):
        make_plan(tree.city, staff["district_admin"])
    assert MutualAidPlan.objects.count() == 0


def test_a_claim_deadline_before_the_period_ends_is_refused(line, staff):
    with pytest.raises(ValidationError, match="申请截止日期"):
        services.benefit_line_create(
            plan=line.plan,
            kind=BenefitLine.Kind.MAJOR_ILLNESS,
            name="重大疾病互助",
            contribution=Decimal("20"),
            deductible=Decimal("0"),
            reimbursement_rate=Decimal("0.3"),
            annual_cap=Decimal("30000"),
            claim_deadline=line.plan.period_end - dt.timedelta(days=1),
            by=staff["city_admin"],
        )
    assert line.plan.lines.count() == 1


def test_rules_are_fixed_once_a_claim_rests_on_them(enrolment, staff):
    line = enrolment.line
    services.benefit_line_update(
        line=line, data={"annual_cap": Decimal("12000.00")}, by=staff["city_admin"]
    )
    ClaimFactory(enrolment=enrolment)
    with pytest.raises(ValidationError, match="不能再修改"):
        services.benefit_line_update(
            line=line, data={"annual_cap": Decimal("20000.00")}, by=staff["city_admin"]
        )
    line.refresh_from_db()
    assert line.annual_cap == Decimal("12000.00")
