"""Scanning a session's poster: a signed-in member checks in with one tap, once; a member not
signed in is sent to sign in and back to the same page."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.utils import timezone

from activities import services as activity_services
from activities.models import Attendance
from tests.activities.factories import ActivityFactory
from tests.factories import MemberFactory
from tests.portal.helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_now(tree):
    starts = timezone.now() - dt.timedelta(minutes=2)
    activity = ActivityFactory(
        union=tree.zhili_factory,
        title="班前十分钟·安全生产",
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=10),
    )
    return activity, activity_services.check_in_token(activity=activity)


def test_a_member_not_signed_in_is_sent_to_sign_in_and_back(client, session_now):
    _activity, token = session_now
    url = f"/portal/check-in/?token={token}"

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/portal/sign-in/?next={quote(url, safe='')}"


def test_a_signed_in_member_checks_in_once_and_a_second_scan_says_already(
    client, tree, session_now
):
    # given
    activity, token = session_now
    member = MemberFactory(union=tree.zhili_factory)
    signed_in(client, member)
    url = f"/portal/check-in/?token={token}"
    assert "签到" in client.get(url).content.decode()
    assert not Attendance.objects.exists()

    # when: one tap
    first = client.post(url)

    # then
    assert "签到成功" in first.content.decode()
    assert "已签到" in first.content.decode()
    assert list(Attendance.objects.values_list("activity_id", "member_id", "method")) == [
        (activity.pk, member.pk, Attendance.Method.QR)
    ]

    # when: the poster is scanned again
    again = client.get(url)
    twice = client.post(url)

    # then
    assert "已签到" in again.content.decode()
    assert "无需重复扫码" in twice.content.decode()
    assert Attendance.objects.count() == 1


def test_a_forged_token_is_refused_in_chinese(client, tree):
    response = client.get("/portal/check-in/?token=forged")

    assert response.status_code == 400
    assert "签到码无效" in response.content.decode()


def test_a_scan_after_the_window_is_refused_and_nothing_recorded(client, tree):
    starts = timezone.now() - dt.timedelta(hours=3)
    activity = ActivityFactory(
        union=tree.zhili_factory, starts_at=starts, ends_at=starts + dt.timedelta(minutes=10)
    )
    token = activity_services.check_in_token(activity=activity)
    signed_in(client, MemberFactory(union=tree.zhili_factory))

    response = client.post(f"/portal/check-in/?token={token}")

    assert "签到码已过期" in response.content.decode()
    assert not Attendance.objects.exists()
