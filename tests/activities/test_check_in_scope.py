"""Staff check in only members of their own part of the tree; a worker from elsewhere checks in
for themself (MemberActor), and only themself (issue 10: check-in with any member)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from activities import services
from activities.models import Attendance
from members.actors import MemberActor
from tests.activities.factories import ActivityFactory
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/activities/"
NOT_IN_SCOPE = ["不存在或不在您的管辖范围内。"]


@pytest.fixture
def session(tree):
    now = timezone.now()
    return ActivityFactory(
        union=tree.zhili_factory,
        starts_at=now - dt.timedelta(minutes=1),
        ends_at=now + dt.timedelta(minutes=9),
    )


def test_staff_check_in_of_another_districts_member_answers_like_a_missing_id(
    tree, staff, api, session
):
    # given: a 南浔 member, and the 织里 factory's clerk holding the session's token
    outsider = MemberFactory(union=tree.shuanglin_factory, name="沈外区")
    token = services.check_in_token(activity=session)
    client = api(staff["grassroots_admin"])

    # when
    outside = client.post(f"{BASE}check-in/", {"token": token, "member": outsider.pk})
    missing = client.post(f"{BASE}check-in/", {"token": token, "member": 999999})

    # then: the same 400, no name, no row
    assert outside.status_code == missing.status_code == 400
    assert outside.data == missing.data == {"member": NOT_IN_SCOPE}
    assert "沈外区" not in outside.content.decode()
    assert Attendance.objects.count() == 0


def test_the_staff_service_refuses_a_member_outside_the_tree(tree, staff, session):
    outsider = MemberFactory(union=tree.shuanglin_factory)
    with pytest.raises(PermissionDenied) as exc:
        services.attendance_check_in(
            token=services.check_in_token(activity=session),
            member=outsider,
            by=staff["grassroots_admin"],
        )
    assert str(exc.value) == NOT_IN_SCOPE[0]
    assert Attendance.objects.count() == 0


def test_a_worker_from_elsewhere_checks_in_for_themself(tree, session):
    # given: a 南浔 worker at a 织里 session, signed in to the portal
    worker = MemberFactory(union=tree.shuanglin_factory)

    # when
    result = services.attendance_check_in(
        token=services.check_in_token(activity=session), member=worker, by=MemberActor(worker)
    )

    # then
    assert result.created is True
    assert result.attendance.member == worker
    assert result.attendance.recorded_by is None
    assert result.attendance.method == Attendance.Method.QR


def test_a_member_cannot_check_in_someone_else(tree, session):
    worker = MemberFactory(union=tree.zhili_factory)
    colleague = MemberFactory(union=tree.zhili_factory)
    with pytest.raises(PermissionDenied):
        services.attendance_check_in(
            token=services.check_in_token(activity=session),
            member=colleague,
            by=MemberActor(worker),
        )
    assert Attendance.objects.count() == 0


def test_a_member_cannot_record_attendance_through_the_staff_service(tree, session):
    worker = MemberFactory(union=tree.zhili_factory)
    with pytest.raises(PermissionDenied):
        services.attendance_record(activity=session, member=worker, by=MemberActor(worker))
    assert Attendance.objects.count() == 0
