"""factory_boy factories for welfare records, built on the registry's factories."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories import EnterpriseFactory, MemberFactory, UnionFactory
from welfare.models import (
    AssistanceFund,
    BenefitLine,
    Claim,
    Enrolment,
    MutualAidPlan,
    ServiceStation,
)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MutualAidPlan

    union = factory.SubFactory(UnionFactory, level="city")
    year = 2024
    name = factory.LazyAttribute(lambda o: f"{o.year}年度职工医疗互助")
    period_start = factory.LazyAttribute(lambda o: dt.date(o.year, 1, 1))
    period_end = factory.LazyAttribute(lambda o: dt.date(o.year, 12, 31))
    enrolment_opens = factory.LazyAttribute(lambda o: dt.date(o.year - 1, 11, 1))
    enrolment_closes = factory.LazyAttribute(lambda o: dt.date(o.year, 12, 31))


class LineFactory(factory.django.DjangoModelFactory):
    """A hospital-stay line: 50% above a 1,000 yuan deductible, capped at 10,000 a year."""

    class Meta:
        model = BenefitLine

    plan = factory.SubFactory(PlanFactory)
    kind = BenefitLine.Kind.HOSPITAL_STAY
    name = "住院医疗互助"
    contribution = Decimal("30.00")
    deductible = Decimal("1000.00")
    reimbursement_rate = Decimal("0.5000")
    annual_cap = Decimal("10000.00")
    claim_deadline = factory.LazyAttribute(lambda o: dt.date(o.plan.year + 1, 3, 31))


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    member = factory.SubFactory(MemberFactory)
    line = factory.SubFactory(LineFactory)
    union = factory.LazyAttribute(lambda o: o.member.union)
    enrolled_on = factory.LazyAttribute(lambda o: o.line.plan.enrolment_opens)
    contribution = factory.LazyAttribute(lambda o: o.line.contribution)


class ClaimFactory(factory.django.DjangoModelFactory):
    """A claim written straight to the table (for figures and queues); services are tested
    through the services themselves."""

    class Meta:
        model = Claim

    enrolment = factory.SubFactory(EnrolmentFactory)
    member = factory.LazyAttribute(lambda o: o.enrolment.member)
    union = factory.LazyAttribute(lambda o: o.enrolment.union)
    admitted_on = factory.LazyAttribute(lambda o: dt.date(o.enrolment.line.plan.year, 3, 1))
    discharged_on = factory.LazyAttribute(lambda o: o.admitted_on + dt.timedelta(days=5))
    hospital = "湖州市中心医院"
    category = Claim.Category.INPATIENT
    total_expenses = Decimal("8000.00")
    eligible_expenses = Decimal("6000.00")
    allowed_amount = Decimal("2500.00")
    state = Claim.State.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssistanceFund

    union = factory.SubFactory(UnionFactory)
    name = "送温暖专项资金"
    source = AssistanceFund.Source.UNION_FUNDS
    amount = Decimal("50000.00")
    raised_on = dt.date(2024, 1, 10)


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceStation

    union = factory.SubFactory(UnionFactory)
    kind = ServiceStation.Kind.OUTDOOR_WORKER
    name = factory.Sequence(lambda n: f"爱心驿站{n}")
    address = "湖州市吴兴区"
    built_on = dt.date(2022, 5, 1)


__all__ = ["EnterpriseFactory", "MemberFactory"]
