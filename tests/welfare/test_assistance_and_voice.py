"""Hardship aid paid from a fund (never beyond what it holds), visits, station visits named or
counted, and the workers' voice answered against its deadline."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from members.actors import MemberActor
from members.scoping import NOT_IN_SCOPE
from tests.factories import MemberFactory
from tests.welfare.factories import FundFactory, StationFactory
from welfare import selectors, services
from welfare.models import Concern, HardshipCase, StationVisit

pytestmark = pytest.mark.django_db
D = Decimal


def test_aid_is_paid_from_a_fund_up_to_its_balance(tree, staff):
    # given: a 5,000 fund and two cases
    clerk = staff["township_admin"]
    fund = FundFactory(union=tree.zhili, amount=D("5000.00"))
    first, second = (
        services.hardship_case_open(
            member=MemberFactory(union=tree.zhili_factory),
            category=HardshipCase.Category.ILLNESS,
            assessed_on=dt.date(2024, 3, 1),
            by=clerk,
        )
        for _ in range(2)
    )
    # when
    services.hardship_aid_pay(
        case=first, amount=D("3000"), fund=fund, paid_on=dt.date(2024, 3, 5), by=clerk
    )
    # then: 2,000 left, so 2,000.01 is refused and nothing changes
    assert services.fund_balance(fund) == D("2000.00")
    with pytest.raises(ValidationError, match=r"余额2000\.00元"):
        services.hardship_aid_pay(
            case=second, amount=D("2000.01"), fund=fund, paid_on=dt.date(2024, 3, 5), by=clerk
        )
    second.refresh_from_db()
    assert (second.aid_amount, second.fund) == (D("0.00"), None)
    with pytest.raises(ValidationError, match="已于"):
        services.hardship_aid_pay(
            case=first, amount=D("1"), fund=fund, paid_on=dt.date(2024, 3, 6), by=clerk
        )
    assert services.fund_balance(fund) == D("2000.00")


def test_a_visit_is_recorded_against_the_workers_union(tree, staff):
    member = MemberFactory(union=tree.zhili_factory)
    visit = services.visit_record(
        member=member,
        visited_on=dt.date(2024, 1, 25),
        occasion="winter",
        visitor="市总工会 张主席",
        given="慰问金",
        value=D("500"),
        by=staff["city_admin"],
    )
    assert (visit.union, visit.value) == (tree.zhili_factory, D("500.00"))
    with pytest.raises(PermissionDenied):
        services.visit_record(
            member=member,
            visited_on=dt.date(2024, 1, 25),
            occasion="winter",
            visitor="x",
            by=staff["nanxun_admin"],
        )


def test_a_station_visit_is_named_for_one_person_time_or_counted(tree, staff):
    station = StationFactory(union=tree.zhili, built_on=dt.date(2024, 1, 1))
    member = MemberFactory(union=tree.zhili_factory)
    clerk = staff["township_admin"]
    services.station_visit_record(
        station=station, visited_on=dt.date(2024, 2, 1), member=member, by=clerk
    )
    services.station_visit_record(
        station=station, visited_on=dt.date(2024, 2, 1), person_times=40, by=clerk
    )
    with pytest.raises(ValidationError, match="只计1人次"):
        services.station_visit_record(
            station=station, visited_on=dt.date(2024, 2, 1), member=member, person_times=3, by=clerk
        )
    with pytest.raises(ValidationError, match="未在运营"):
        services.station_visit_record(station=station, visited_on=dt.date(2023, 2, 1), by=clerk)
    assert sorted(StationVisit.objects.values_list("person_times", flat=True)) == [1, 40]


def test_a_member_raises_a_concern_that_goes_to_their_union_with_a_deadline(tree):
    member = MemberFactory(union=tree.zhili_factory)
    concern = services.concern_raise(
        by=MemberActor(member), subject="加班费", body="加班费怎么算？"
    )
    assert (concern.union, concern.channel, concern.raised_by_name) == (
        tree.zhili_factory,
        "portal",
        member.name,
    )
    assert concern.due_at - concern.raised_at == dt.timedelta(days=services.CONCERN_ANSWER_DAYS)
    assert list(selectors.member_concerns(member=member)) == [concern]


def test_time_to_answer_and_overdue_are_tracked(tree, staff):
    # given: one answered in time, one answered late, one open past its deadline, one open in time
    clerk = staff["township_admin"]
    now = timezone.now()

    def record(days_ago):
        return services.concern_record(
            union=tree.zhili,
            raised_by_name="职工",
            subject=f"{days_ago}天前",
            body="……",
            raised_at=now - dt.timedelta(days=days_ago),
            by=clerk,
        )

    in_time, late = record(3), record(10)
    record(8), record(1)
    services.concern_answer(concern=in_time, answer="已答复", by=clerk)
    services.concern_answer(concern=late, answer="已答复", by=clerk)
    # when
    rows = {c.subject: c for c in selectors.concern_list(viewer=clerk)}
    # then
    assert {s: c.overdue for s, c in rows.items()} == {
        "3天前": False,
        "10天前": True,
        "8天前": True,
        "1天前": False,
    }
    assert dt.timedelta(days=3) <= rows["3天前"].time_to_answer < dt.timedelta(days=3, minutes=1)
    assert rows["1天前"].time_to_answer is None
    assert [c.subject for c in selectors.concern_list(viewer=clerk, filters={"overdue": True})] == [
        "10天前",
        "8天前",
    ]
    assert rows["3天前"].answered_in_time is True
    assert rows["10天前"].answered_in_time is False


def test_a_concern_is_routed_within_the_tree_and_answered_once(tree, staff):
    clerk = staff["district_admin"]
    concern = services.concern_record(
        union=tree.wuxing, raised_by_name="职工", subject="食堂", body="……", by=clerk
    )
    due = concern.due_at
    with pytest.raises(PermissionDenied):
        services.concern_route(concern=concern, union=tree.shuanglin, by=clerk)
    services.concern_route(concern=concern, union=tree.zhili, by=clerk)
    concern.refresh_from_db()
    assert (concern.union, concern.due_at) == (tree.zhili, due)
    services.concern_answer(concern=concern, answer="已协调", by=staff["township_admin"])
    with pytest.raises(ValidationError, match="已于"):
        services.concern_answer(concern=concern, answer="再答", by=clerk)
    concern.refresh_from_db()
    assert concern.answer == "已协调"
    with pytest.raises(ValidationError, match="请填写"):
        services.concern_answer(
            concern=services.concern_record(
                union=tree.zhili, raised_by_name="x", subject="y", body="z", by=clerk
            ),
            answer=" ",
            by=clerk,
        )
    assert Concern.objects.filter(status="open").count() == 1


def test_a_consultation_naming_a_member_outside_the_tree_is_refused(tree, staff):
    from welfare.models import LegalConsultation

    outsider = MemberFactory(union=tree.shuanglin_factory)
    with pytest.raises(PermissionDenied) as refused:
        services.legal_consultation_create(
            union=tree.zhili,
            member=outsider,
            asked_on=dt.date(2024, 5, 1),
            topic="工伤认定",
            by=staff["township_admin"],
        )
    assert str(refused.value) == str(NOT_IN_SCOPE)
    assert LegalConsultation.objects.count() == 0
