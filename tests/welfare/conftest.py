"""Fixtures for the welfare tests: this year's mutual-aid plan under the city (so the claim
deadline has not passed), a member in 织里 enrolled in its hospital-stay line."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import MemberFactory, make_id_number
from tests.welfare.factories import EnrolmentFactory, LineFactory, PlanFactory


@pytest.fixture
def this_year() -> int:
    return timezone.localdate().year


@pytest.fixture
def plan(tree, this_year):
    return PlanFactory(
        union=tree.city,
        year=this_year,
        enrolment_opens=dt.date(this_year - 1, 11, 1),
        enrolment_closes=dt.date(this_year, 12, 31),
    )


@pytest.fixture
def line(plan):
    return LineFactory(plan=plan)


@pytest.fixture
def member(tree):
    """A member in 织里童装厂工会; `plain_id_number` is the number a roster would carry."""
    number = make_id_number()
    member = MemberFactory(union=tree.zhili_factory, name="沈小明", id_number=number)
    member.plain_id_number = number
    return member


@pytest.fixture
def enrolment(member, line):
    return EnrolmentFactory(member=member, line=line)
