"""The member services pages: recuperation sign-up from the phone (only programmes offered to the
member can be named) and stations near me (by district, open now first, hours shown)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import MemberFactory
from tests.portal.helpers import signed_in
from tests.welfare.factories import StationFactory
from welfare.models import RecuperationParticipant, RecuperationProgramme, ServiceStation
from welfare.selectors import station_open_at

pytestmark = pytest.mark.django_db


def programme(union, capacity=2):
    starts = timezone.localdate() + dt.timedelta(days=20)
    return RecuperationProgramme.objects.create(
        union=union,
        kind=RecuperationProgramme.Kind.INCLUSIVE,
        name="安吉普惠性疗休养",
        destination="安吉",
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=3),
        capacity=capacity,
    )


def test_a_member_signs_up_on_the_recuperation_page(client, tree):
    offered = programme(tree.wuxing)
    member = MemberFactory(union=tree.zhili_factory)
    signed_in(client, member)
    page = client.get("/portal/services/recuperation/").content.decode()
    assert "剩余名额 2 / 2" in page
    response = client.post("/portal/services/recuperation/", {"programme": offered.pk})
    assert response.status_code == 302
    assert RecuperationParticipant.objects.get().member == member
    assert "已报名" in client.get("/portal/services/recuperation/").content.decode()


def test_a_programme_not_offered_to_the_member_is_404(client, tree):
    elsewhere = programme(tree.nanxun)
    signed_in(client, MemberFactory(union=tree.zhili_factory))
    response = client.post("/portal/services/recuperation/", {"programme": elsewhere.pk})
    assert response.status_code == 404
    assert not RecuperationParticipant.objects.exists()


def test_a_full_programme_says_so(client, tree):
    offered = programme(tree.wuxing, capacity=1)
    signed_in(client, MemberFactory(union=tree.zhili_factory))
    client.post("/portal/services/recuperation/", {"programme": offered.pk})
    client.cookies.clear()
    signed_in(client, MemberFactory(union=tree.zhili_factory))
    response = client.post("/portal/services/recuperation/", {"programme": offered.pk}, follow=True)
    assert "名额（1人）已满" in response.content.decode()
    assert offered.participants.count() == 1


def test_stations_by_district_with_hours_open_ones_first(client, tree):
    StationFactory(
        union=tree.zhili,
        kind=ServiceStation.Kind.OUTDOOR_WORKER,
        name="织里驿站",
        address="织里镇大港路1号",
        opening_hours="00:00-24:00",
    )
    StationFactory(
        union=tree.nanxun,
        kind=ServiceStation.Kind.MOMMY_ROOM,
        name="南浔妈咪小屋",
        address="南浔区人民路2号",
        opening_hours="08:00-17:00",
    )
    # when: the worker picks 吴兴
    body = client.get("/portal/services/stations/", {"district": tree.wuxing.pk}).content.decode()
    # then
    assert "织里驿站" in body and "织里镇大港路1号" in body and "00:00-24:00" in body
    assert "开放中" in body
    assert "南浔妈咪小屋" not in body


def test_closed_stations_are_not_listed(client, tree):
    StationFactory(
        union=tree.zhili,
        kind=ServiceStation.Kind.OUTDOOR_WORKER,
        name="已撤销驿站",
        built_on=dt.date(2020, 1, 1),
        closed_on=dt.date(2023, 1, 1),
    )
    assert "已撤销驿站" not in client.get("/portal/services/stations/").content.decode()


@pytest.mark.parametrize(
    ("hours", "at", "expected"),
    [
        ("08:00-20:00", "12:00", True),
        ("08:00-20:00", "20:00", False),
        ("07:00-11:00,14:00-20:00", "12:30", False),
        ("07:00-11:00，14:00-20:00", "15:00", True),
        ("20:00-02:00", "01:00", True),
        ("00:00-24:00", "23:59", True),
        ("工作日白天", "12:00", None),
    ],
)
def test_open_now_reads_the_opening_hours(hours, at, expected):
    station = ServiceStation(opening_hours=hours)
    hour, minute = (int(x) for x in at.split(":"))
    moment = dt.datetime(2026, 5, 6, hour, minute, tzinfo=timezone.get_current_timezone())
    assert station_open_at(station, moment) is expected


def test_the_demo_gives_the_demo_worker_claims_in_each_state_and_an_answered_concern(tree):
    from members.demo import DEMO_PHONE
    from portal import demo
    from welfare.models import Claim, Concern

    # the roster gives the demo worker the demo phone (members.demo)
    worker = MemberFactory(union=tree.zhili_factory, phone=DEMO_PHONE)
    # when: seeded twice (the demo may be re-run)
    demo.seed(scale=0.01, seed=1)
    demo.seed(scale=0.01, seed=1)
    # then
    states = list(Claim.objects.filter(member=worker).values_list("state", flat=True))
    assert sorted(states) == sorted(Claim.State.values)
    assert Claim.objects.get(member=worker, state=Claim.State.PAID).payout.batch is not None
    assert Concern.objects.get(member=worker).status == Concern.Status.ANSWERED
