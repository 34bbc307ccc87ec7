"""QR check-in: a signed token per activity checks a member in exactly once; a second scan says
so politely; a forged, expired or too-early token is refused with a clear message."""

import datetime as dt

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activities import services
from activities.models import Attendance
from members.actors import MemberActor, system
from tests.activities.factories import ActivityFactory, local
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_a_member_checks_in_once_with_a_valid_token(tree):
    # given
    activity = ActivityFactory(union=tree.zhili_factory, title="守好红色根脉·安全生产")
    member = MemberFactory(union=tree.zhili_factory)
    token = services.check_in_token(activity=activity)

    # when
    result = services.attendance_check_in(
        token=token,
        member=member,
        now=activity.starts_at + dt.timedelta(minutes=1),
        by=MemberActor(member),
    )

    # then
    assert result.created is True
    assert result.message == "签到成功！欢迎参加“守好红色根脉·安全生产”。"
    assert result.attendance.method == Attendance.Method.QR
    assert list(Attendance.objects.values_list("activity_id", "member_id")) == [
        (activity.pk, member.pk)
    ]


def test_a_second_scan_returns_the_first_record_and_says_so_politely(tree):
    # given
    activity = ActivityFactory(union=tree.zhili_factory, title="班前十分钟")
    member = MemberFactory(union=tree.zhili_factory)
    token = services.check_in_token(activity=activity)
    now = activity.starts_at
    first = services.attendance_check_in(
        token=token, member=member, now=now, by=MemberActor(member)
    )

    # when
    second = services.attendance_check_in(
        token=token, member=member, now=now, by=MemberActor(member)
    )

    # then
    assert second.created is False
    assert second.attendance.pk == first.attendance.pk
    assert second.message.startswith("您已于")
    assert "无需重复扫码" in second.message
    assert Attendance.objects.count() == 1


def test_a_forged_token_is_refused_and_nothing_is_recorded(tree):
    # given
    activity = ActivityFactory(union=tree.zhili_factory)
    member = MemberFactory(union=tree.zhili_factory)
    forged = signing.dumps({"a": activity.pk, "e": 2_000_000_000}, salt="someone-else")

    # when
    with pytest.raises(ValidationError) as exc:
        services.attendance_check_in(
            token=forged, member=member, now=activity.starts_at, by=MemberActor(member)
        )

    # then
    assert exc.value.messages == ["签到码无效，请扫描活动现场张贴的签到二维码。"]
    assert Attendance.objects.count() == 0


def test_a_tampered_token_is_refused(tree):
    # given
    activity = ActivityFactory(union=tree.zhili_factory)
    other = ActivityFactory(union=tree.zhili_factory)
    token = services.check_in_token(activity=activity)
    tampered = token.replace(str(activity.pk), str(other.pk), 1) + "x"

    # when / then
    with pytest.raises(ValidationError, match="签到码无效"):
        services.attendance_check_in(
            token=tampered,
            member=MemberFactory(union=tree.zhili_factory),
            now=activity.starts_at,
            by=system("test"),
        )
    assert Attendance.objects.count() == 0


def test_a_token_of_a_deleted_activity_is_refused(tree):
    # given
    activity = ActivityFactory(union=tree.zhili_factory)
    token = services.check_in_token(activity=activity)
    activity.delete()

    # when / then
    with pytest.raises(ValidationError, match="签到码无效"):
        services.attendance_check_in(
            token=token,
            member=MemberFactory(union=tree.zhili_factory),
            by=system("test"),
        )


def test_an_expired_token_is_refused_after_the_activity_ends(tree):
    # given
    activity = ActivityFactory(
        union=tree.zhili_factory,
        title="班前十分钟",
        starts_at=local(2024, 6, 3, 8, 0),
        ends_at=local(2024, 6, 3, 8, 10),
    )
    token = services.check_in_token(activity=activity)
    member = MemberFactory(union=tree.zhili_factory)

    # when
    with pytest.raises(ValidationError) as exc:
        services.attendance_check_in(
            token=token, member=member, now=local(2024, 6, 3, 8, 41), by=MemberActor(member)
        )

    # then
    assert exc.value.messages == [
        "签到码已过期：活动“班前十分钟”已于2024年6月3日 08:10结束，签到已关闭。"
    ]
    assert Attendance.objects.count() == 0


def test_a_late_scan_within_the_grace_period_still_counts(tree):
    # given
    activity = ActivityFactory(
        union=tree.zhili_factory, starts_at=local(2024, 6, 3, 8), ends_at=local(2024, 6, 3, 8, 10)
    )
    token = services.check_in_token(activity=activity)

    # when
    result = services.attendance_check_in(
        token=token,
        member=MemberFactory(union=tree.zhili_factory),
        now=local(2024, 6, 3, 8, 39),
        by=system("test"),
    )

    # then
    assert result.created is True


def test_a_poster_printed_before_the_activity_was_moved_later_expires_at_its_own_end(tree):
    # given
    activity = ActivityFactory(
        union=tree.zhili_factory, starts_at=local(2024, 6, 3, 8), ends_at=local(2024, 6, 3, 8, 10)
    )
    old_token = services.check_in_token(activity=activity)
    services.activity_update(
        activity=activity,
        data={"starts_at": local(2024, 6, 4, 8), "ends_at": local(2024, 6, 4, 8, 10)},
        by=system("test"),
    )

    # when / then
    with pytest.raises(ValidationError, match="签到码已过期"):
        services.attendance_check_in(
            token=old_token,
            member=MemberFactory(union=tree.zhili_factory),
            now=local(2024, 6, 4, 8, 5),
            by=system("test"),
        )
    assert Attendance.objects.count() == 0


def test_a_scan_long_before_the_start_is_refused(tree):
    # given
    activity = ActivityFactory(union=tree.zhili_factory, starts_at=local(2024, 6, 3, 8))
    token = services.check_in_token(activity=activity)

    # when / then
    with pytest.raises(ValidationError, match="签到尚未开始"):
        services.attendance_check_in(
            token=token,
            member=MemberFactory(union=tree.zhili_factory),
            now=local(2024, 6, 3, 5, 59),
            by=system("test"),
        )
    assert Attendance.objects.count() == 0


def test_a_member_who_has_left_cannot_check_in(tree):
    # given
    activity = ActivityFactory(union=tree.zhili_factory)
    member = MemberFactory(union=tree.zhili_factory, status="left", left_on=dt.date(2023, 1, 1))
    token = services.check_in_token(activity=activity)

    # when / then
    with pytest.raises(ValidationError, match="已离会"):
        services.attendance_check_in(
            token=token, member=member, now=activity.starts_at, by=MemberActor(member)
        )
    assert Attendance.objects.count() == 0


def test_a_kiosk_account_outside_both_member_and_activity_is_refused(tree, staff):
    # given
    activity = ActivityFactory(union=tree.zhili_factory)
    member = MemberFactory(union=tree.zhili_factory)
    token = services.check_in_token(activity=activity)

    # when / then
    with pytest.raises(PermissionDenied):
        services.attendance_check_in(
            token=token, member=member, by=staff["nanxun_admin"], now=activity.starts_at
        )
    assert Attendance.objects.count() == 0


def test_a_member_from_another_district_may_check_in_to_a_city_lecture(tree, staff):
    # given: the city's lecture, scanned at a 织里 kiosk by a 织里 worker
    activity = ActivityFactory(union=tree.city)
    member = MemberFactory(union=tree.zhili_factory)
    token = services.check_in_token(activity=activity)

    # when
    result = services.attendance_check_in(
        token=token, member=member, by=staff["township_admin"], now=activity.starts_at
    )

    # then
    assert result.created is True
    assert result.attendance.recorded_by == staff["township_admin"]


def test_the_token_is_valid_now_for_an_activity_under_way(tree):
    # given
    now = timezone.now()
    activity = ActivityFactory(
        union=tree.zhili_factory,
        starts_at=now - dt.timedelta(minutes=5),
        ends_at=now + dt.timedelta(minutes=5),
    )

    # when
    result = services.attendance_check_in(
        token=services.check_in_token(activity=activity),
        member=MemberFactory(union=tree.zhili_factory),
        by=system("test"),
    )

    # then
    assert result.created is True
