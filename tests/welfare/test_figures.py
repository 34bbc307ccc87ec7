"""Every report-card figure owned by `welfare`, computed from records with known counts and sums:
for the year and the union asked (and everything under it), nothing else."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from common.figures import REGISTRY, load_all
from dashboard.registry import read_report_card
from members.models import EnterpriseYear
from tests.factories import EnterpriseFactory, MemberFactory
from tests.welfare.factories import (
    ClaimFactory,
    EnrolmentFactory,
    FundFactory,
    LineFactory,
    PlanFactory,
    StationFactory,
)
from welfare.models import (
    BenefitLine,
    Claim,
    GrassrootsInvestment,
    JobFair,
    LabourRelationsSite,
    LegalAidEvent,
    Payout,
    RecuperationParticipant,
    RecuperationProgramme,
    ServiceStation,
    StationUpgrade,
    StationVisit,
    Trainee,
    TrainingCourse,
    Visit,
    WageContract,
)

pytestmark = pytest.mark.django_db
D = Decimal


def value(key, union, year=2024):
    return REGISTRY[key].compute(year=year, union=union)


WELFARE_KEYS = {
    "wage_contracts",
    "wage_contract_coverage",
    "outdoor_stations_upgraded",
    "mommy_rooms_upgraded",
    "outdoor_stations_total",
    "outdoor_station_visits",
    "recuperation_participants",
    "mutual_aid_enrollments",
    "mutual_aid_payout",
    "mutual_aid_beneficiaries",
    "assistance_funds_raised",
    "hardship_workers_visited",
    "job_fairs",
    "reemployment_training",
    "labour_relations_model_sites",
    "legal_aid_events",
    "legal_aid_person_times",
    "grassroots_investment",
}


def test_every_welfare_key_has_a_figure():
    load_all()
    assert {k for k, f in REGISTRY.items() if f.app == "welfare"} == WELFARE_KEYS


def test_the_keys_are_the_report_cards_welfare_keys():
    # The product's own copy of the card (dashboard/data/report-card.yaml), read as the
    # registry reads it.
    card = read_report_card()
    assert {i["key"] for i in card if i["app"] == "welfare"} == WELFARE_KEYS


def test_money_figures_are_in_wan_yuan_and_coverage_is_a_share():
    load_all()
    for key in ("mutual_aid_payout", "assistance_funds_raised", "grassroots_investment"):
        assert (REGISTRY[key].divisor, REGISTRY[key].places) == (10000, 2)
    assert REGISTRY["wage_contract_coverage"].share_of == "covered"


def test_mutual_aid_enrolments_count_person_times_in_the_years_plans(tree):
    # given: 2024 plan with two lines; one member in both, one in one; a 2025 enrolment
    plan = PlanFactory(union=tree.city, year=2024)
    stay = LineFactory(plan=plan)
    major = LineFactory(plan=plan, kind=BenefitLine.Kind.MAJOR_ILLNESS, name="重大疾病互助")
    a = MemberFactory(union=tree.zhili_factory)
    b = MemberFactory(union=tree.shuanglin_factory)
    EnrolmentFactory(member=a, line=stay)
    EnrolmentFactory(member=a, line=major)
    EnrolmentFactory(member=b, line=stay)
    EnrolmentFactory(member=a, line=LineFactory(plan=PlanFactory(union=tree.city, year=2025)))
    # then
    assert value("mutual_aid_enrollments", tree.city) == 3
    assert value("mutual_aid_enrollments", tree.wuxing) == 2
    assert value("mutual_aid_enrollments", tree.nanxun) == 1
    assert value("mutual_aid_enrollments", tree.city, 2025) == 1


def pay(claim, amount, paid_on):
    claim.state, claim.allowed_amount = Claim.State.PAID, D(amount)
    claim.save()
    return Payout.objects.create(
        claim=claim,
        union=claim.union,
        amount=D(amount),
        idempotency_key=f"k{claim.pk}",
        paid_on=paid_on,
        paid_at=timezone.now(),
    )


def test_mutual_aid_paid_in_wan_yuan_and_person_times(tree):
    # given: 12,345.67 + 4,321.00 paid in 2024 in 吴兴, 10,000.00 in 南浔,
    # one paid on 1 January 2025 and one approved but not yet paid
    line = LineFactory(plan=PlanFactory(union=tree.city, year=2024))
    wuxing = EnrolmentFactory(member=MemberFactory(union=tree.zhili_factory), line=line)
    nanxun = EnrolmentFactory(member=MemberFactory(union=tree.shuanglin_factory), line=line)
    pay(ClaimFactory(enrolment=wuxing), "12345.67", dt.date(2024, 3, 1))
    pay(ClaimFactory(enrolment=wuxing), "4321.00", dt.date(2024, 12, 31))
    pay(ClaimFactory(enrolment=nanxun), "10000.00", dt.date(2024, 6, 1))
    pay(ClaimFactory(enrolment=nanxun), "999.00", dt.date(2025, 1, 1))
    ClaimFactory(enrolment=nanxun, state=Claim.State.APPROVED, allowed_amount=D("500.00"))
    # then: 26,666.67 yuan = 2.67 万元 (half up from 2.666667)
    assert value("mutual_aid_payout", tree.city) == D("2.67")
    assert value("mutual_aid_payout", tree.wuxing) == D("1.67")
    assert value("mutual_aid_payout", tree.nanxun) == D("1.00")
    assert value("mutual_aid_beneficiaries", tree.city) == 3
    assert value("mutual_aid_beneficiaries", tree.zhili) == 2
    assert value("mutual_aid_beneficiaries", tree.city, 2025) == 1


def test_assistance_funds_raised_in_wan_yuan(tree):
    FundFactory(union=tree.city, amount=D("5000000.00"), raised_on=dt.date(2024, 1, 1))
    FundFactory(union=tree.zhili, amount=D("570000.00"), raised_on=dt.date(2024, 12, 31))
    FundFactory(union=tree.zhili, amount=D("1.00"), raised_on=dt.date(2023, 12, 31))
    assert value("assistance_funds_raised", tree.city) == D("557.00")
    assert value("assistance_funds_raised", tree.wuxing) == D("57.00")
    assert value("assistance_funds_raised", tree.nanxun) == D("0.00")


def visit(member, on, **kwargs):
    return Visit.objects.create(
        member=member,
        union=member.union,
        visited_on=on,
        occasion="winter",
        visitor="市总",
        **kwargs,
    )


def test_workers_visited_are_persons_not_visits(tree):
    # given: a visited twice, b once, c only as a non-frontline, non-hardship visit, d in 2023
    a, b, c = (MemberFactory(union=tree.zhili_factory) for _ in range(3))
    d = MemberFactory(union=tree.shuanglin_factory)
    visit(a, dt.date(2024, 1, 20))
    visit(a, dt.date(2024, 7, 1), in_hardship=True)
    visit(b, dt.date(2024, 2, 1), frontline=False, in_hardship=True)
    visit(c, dt.date(2024, 2, 1), frontline=False)
    visit(d, dt.date(2023, 12, 31))
    assert value("hardship_workers_visited", tree.city) == 2
    assert value("hardship_workers_visited", tree.nanxun) == 0
    assert value("hardship_workers_visited", tree.city, 2023) == 1


def test_stations_total_upgraded_and_visits(tree):
    # given: outdoor stations open at the end of 2024: s1 (built 2022), s2 (built 31 Dec 2024);
    # s3 closed in 2024; s4 built in 2025; a mommy room upgraded in 2024
    s1 = StationFactory(union=tree.zhili, built_on=dt.date(2022, 1, 1))
    s2 = StationFactory(union=tree.shuanglin, built_on=dt.date(2024, 12, 31))
    s3 = StationFactory(
        union=tree.zhili, built_on=dt.date(2020, 1, 1), closed_on=dt.date(2024, 6, 30)
    )
    StationFactory(union=tree.zhili, built_on=dt.date(2025, 1, 2))
    room = StationFactory(union=tree.zhili, kind=ServiceStation.Kind.MOMMY_ROOM)
    StationUpgrade.objects.create(station=s1, upgraded_on=dt.date(2024, 3, 1))
    StationUpgrade.objects.create(station=s1, upgraded_on=dt.date(2024, 9, 1))
    StationUpgrade.objects.create(station=s3, upgraded_on=dt.date(2024, 1, 1))
    StationUpgrade.objects.create(station=s2, upgraded_on=dt.date(2025, 1, 1))
    StationUpgrade.objects.create(station=room, upgraded_on=dt.date(2024, 5, 1))
    member = MemberFactory(union=tree.zhili_factory)
    StationVisit.objects.create(station=s1, visited_on=dt.date(2024, 1, 1), member=member)
    StationVisit.objects.create(station=s1, visited_on=dt.date(2024, 8, 1), person_times=120)
    StationVisit.objects.create(station=s2, visited_on=dt.date(2024, 12, 31), person_times=30)
    StationVisit.objects.create(station=s2, visited_on=dt.date(2025, 1, 1), person_times=7)
    StationVisit.objects.create(station=room, visited_on=dt.date(2024, 8, 1), person_times=50)
    # then
    assert value("outdoor_stations_total", tree.city) == 2
    assert value("outdoor_stations_total", tree.city, 2023) == 2  # s1 and s3
    assert value("outdoor_stations_total", tree.wuxing) == 1
    assert value("outdoor_stations_upgraded", tree.city) == 2  # s1 once, s3
    assert value("mommy_rooms_upgraded", tree.city) == 1
    assert value("mommy_rooms_upgraded", tree.nanxun) == 0
    assert value("outdoor_station_visits", tree.city) == 151
    assert value("outdoor_station_visits", tree.wuxing) == 121
    assert value("outdoor_station_visits", tree.city, 2025) == 7


def test_recuperation_counts_persons_on_inclusive_programmes(tree):
    def programme(kind, start):
        return RecuperationProgramme.objects.create(
            union=tree.city,
            kind=kind,
            name="疗休养",
            destination="安吉",
            starts_on=start,
            ends_on=start + dt.timedelta(days=4),
        )

    spring = programme("inclusive", dt.date(2024, 4, 1))
    autumn = programme("inclusive", dt.date(2024, 10, 1))
    model = programme("model_worker", dt.date(2024, 5, 1))
    next_year = programme("inclusive", dt.date(2025, 1, 1))
    a, b = MemberFactory(union=tree.zhili_factory), MemberFactory(union=tree.shuanglin_factory)
    c = MemberFactory(union=tree.zhili_factory)
    for prog, m in [(spring, a), (autumn, a), (spring, b), (model, c), (next_year, c)]:
        RecuperationParticipant.objects.create(programme=prog, member=m, union=m.union)
    assert value("recuperation_participants", tree.city) == 2
    assert value("recuperation_participants", tree.wuxing) == 1
    assert value("recuperation_participants", tree.city, 2025) == 1


def test_job_fairs_and_reemployment_trainees(tree):
    JobFair.objects.create(union=tree.zhili, title="春风行动", held_on=dt.date(2024, 2, 20))
    JobFair.objects.create(union=tree.shuanglin, title="金秋招聘", held_on=dt.date(2024, 9, 9))
    JobFair.objects.create(union=tree.zhili, title="新春", held_on=dt.date(2025, 2, 1))
    course = TrainingCourse.objects.create(
        union=tree.zhili,
        title="电工转岗",
        starts_on=dt.date(2024, 12, 30),
        ends_on=dt.date(2025, 1, 20),
    )
    old = TrainingCourse.objects.create(
        union=tree.zhili, title="育婴员", starts_on=dt.date(2023, 5, 1), ends_on=dt.date(2023, 6, 1)
    )
    member = MemberFactory(union=tree.zhili_factory)
    Trainee.objects.create(course=course, member=member, name=member.name)
    Trainee.objects.create(course=course, name="求职者甲")
    Trainee.objects.create(course=course, name="求职者乙")
    Trainee.objects.create(course=old, member=member, name=member.name)
    assert value("job_fairs", tree.city) == 2
    assert value("job_fairs", tree.nanxun) == 1
    assert value("reemployment_training", tree.city) == 3
    assert value("reemployment_training", tree.nanxun) == 0
    assert value("reemployment_training", tree.city, 2023) == 1


def test_legal_aid_events_and_person_times(tree):
    for union, on, n in [
        (tree.zhili, dt.date(2024, 3, 15), 200),
        (tree.shuanglin, dt.date(2024, 3, 15), 1800),
        (tree.city, dt.date(2024, 11, 1), 0),
        (tree.zhili, dt.date(2025, 1, 1), 99),
    ]:
        LegalAidEvent.objects.create(
            union=union, kind="lecture", title="普法", held_on=on, person_times=n
        )
    # an online campaign serves person-times but is not an event (场次)
    LegalAidEvent.objects.create(
        union=tree.city,
        kind="online",
        title="线上普法",
        held_on=dt.date(2024, 5, 1),
        person_times=500,
    )
    assert value("legal_aid_events", tree.city) == 3
    assert value("legal_aid_person_times", tree.city) == 2500
    assert value("legal_aid_person_times", tree.wuxing) == 200
    assert value("legal_aid_events", tree.wuxing, 2025) == 1


def test_provincial_model_sites_recognised_in_the_year(tree):
    for level, on in [
        ("provincial", dt.date(2024, 6, 1)),
        ("provincial", dt.date(2023, 6, 1)),
        ("municipal", dt.date(2024, 6, 1)),
    ]:
        LabourRelationsSite.objects.create(
            union=tree.zhili, name="样板", level=level, recognised_on=on
        )
    assert value("labour_relations_model_sites", tree.city) == 1
    assert value("labour_relations_model_sites", tree.nanxun) == 0


def contract(enterprise, signed, expires):
    return WageContract.objects.create(
        enterprise=enterprise,
        union=enterprise.union,
        signed_on=signed,
        expires_on=expires,
        employees_covered=100,
    )


def test_wage_contracts_signed_and_coverage_of_above_size_enterprises(tree):
    # given: five above-size enterprises in 吴兴 and one small one
    big = [
        EnterpriseFactory(union=tree.zhili_factory, above_designated_size=True) for _ in range(5)
    ]
    small = EnterpriseFactory(union=tree.zhili_factory)
    # 规上 and 建会 as each year's statistics recorded them
    for year in (2023, 2024):
        for enterprise in big:
            EnterpriseYear.objects.create(
                enterprise=enterprise, year=year, above_designated_size=True, has_union=True
            )
        EnterpriseYear.objects.create(enterprise=small, year=year, has_union=True)
    contract(big[0], dt.date(2024, 3, 1), dt.date(2026, 2, 28))  # signed in 2024, in force
    contract(big[1], dt.date(2023, 1, 1), dt.date(2025, 12, 31))  # earlier, still in force
    contract(big[1], dt.date(2024, 1, 1), dt.date(2025, 12, 31))  # a second one: still one firm
    contract(big[2], dt.date(2022, 1, 1), dt.date(2024, 12, 30))  # lapsed before year end
    contract(big[3], dt.date(2024, 2, 1), dt.date(2024, 12, 31))  # in force on 31 December
    contract(small, dt.date(2024, 5, 1), dt.date(2026, 5, 1))  # counted as signed, not coverage
    # then
    assert value("wage_contracts", tree.city) == 4
    assert value("wage_contracts", tree.nanxun) == 0
    assert value("wage_contract_coverage", tree.city) == 60  # 3 of 5
    assert value("wage_contract_coverage", tree.nanxun) == 0  # no such enterprises: 0, not an error
    assert value("wage_contract_coverage", tree.city, 2023) == 40  # big[1], big[2]


def test_grassroots_investment_in_wan_yuan(tree):
    for union, on, amount in [
        (tree.zhili, dt.date(2024, 4, 1), "7999999.99"),
        (tree.shuanglin, dt.date(2024, 4, 1), "5000.01"),
        (tree.shuanglin, dt.date(2025, 4, 1), "1000000.00"),
    ]:
        GrassrootsInvestment.objects.create(
            union=union, project="职工之家", spent_on=on, amount=D(amount)
        )
    assert value("grassroots_investment", tree.city) == D("800.50")
    assert value("grassroots_investment", tree.wuxing) == D("800.00")
    assert value("grassroots_investment", tree.nanxun) == D("0.50")
