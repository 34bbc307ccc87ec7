"""The activities API: scoped lists with filters, create through the service, the check-in
endpoint and the check-in code."""

import datetime as dt

import pytest
from django.utils import timezone

from activities.models import ActivityKind, Attendance
from tests.activities.factories import ActivityFactory, AttendanceFactory, local
from tests.factories import EnterpriseFactory, MemberFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/activities/"


def ids(response) -> set[int]:
    return {row["id"] for row in response.data["results"]}


def test_staff_list_only_activities_of_their_tree(tree, staff, api):
    # given
    mine = ActivityFactory(union=tree.zhili_factory)
    district = ActivityFactory(union=tree.wuxing)
    ActivityFactory(union=tree.shuanglin_factory)
    ActivityFactory(union=tree.city)

    # when
    response = api(staff["district_admin"]).get(f"{BASE}activities/")

    # then
    assert response.status_code == 200
    assert ids(response) == {mine.pk, district.pk}


def test_the_list_filters_by_kind_union_subtree_and_local_dates(tree, staff, api):
    # given
    late = ActivityFactory(union=tree.zhili_factory, starts_at=local(2024, 12, 31, 23, 30))
    ActivityFactory(union=tree.zhili_factory, starts_at=local(2025, 1, 1, 0, 30))
    ActivityFactory(union=tree.balidian_factory, starts_at=local(2024, 6, 1))
    show = ActivityFactory(
        code=ActivityKind.CULTURE_SHOW, union=tree.zhili, starts_at=local(2024, 6, 1)
    )
    client = api(staff["city_admin"])

    # when
    by_date = client.get(
        f"{BASE}activities/",
        {"union": "330502001", "date_from": "2024-06-01", "date_to": "2024-12-31"},
    )
    by_kind = client.get(f"{BASE}activities/", {"kind": "culture_show"})

    # then
    assert ids(by_date) == {late.pk, show.pk}
    assert ids(by_kind) == {show.pk}


def test_the_detail_shows_named_headcount_and_person_times_apart(tree, staff, api):
    # given
    activity = ActivityFactory(union=tree.zhili_factory, headcount=12)
    AttendanceFactory(activity=activity, member=MemberFactory(union=tree.zhili_factory))

    # when
    response = api(staff["township_admin"]).get(f"{BASE}activities/{activity.pk}/")

    # then
    assert (response.data["named_count"], response.data["headcount"]) == (1, 12)
    assert response.data["person_times"] == 13


def test_an_activity_outside_the_tree_is_not_found(tree, staff, api):
    # given
    activity = ActivityFactory(union=tree.shuanglin_factory)

    # when
    response = api(staff["district_admin"]).get(f"{BASE}activities/{activity.pk}/")

    # then
    assert response.status_code == 404


def test_staff_create_an_activity_with_the_teams_it_reached(tree, staff, api):
    # given
    enterprise = EnterpriseFactory(union=tree.zhili_factory)
    body = {
        "kind": "pre_shift",
        "title": "守好红色根脉·安全第一课",
        "union": "330502001G0001",
        "starts_at": "2024-06-03T08:00:00+08:00",
        "ends_at": "2024-06-03T08:10:00+08:00",
        "speaker": "沈建国",
        "speaker_kind": "model_worker",
        "reaches": [{"enterprise": enterprise.credit_code, "team": "裁剪车间"}],
    }

    # when
    response = api(staff["township_admin"]).post(f"{BASE}activities/", body, format="json")

    # then
    assert response.status_code == 201, response.data
    assert response.data["reaches"] == [
        {
            "enterprise": enterprise.credit_code,
            "enterprise_name": enterprise.name,
            "team": "裁剪车间",
        }
    ]
    assert response.data["person_times"] == 0


def test_create_refusals_say_why_and_write_nothing(tree, staff, api):
    # given
    body = {
        "kind": "pre_shift",
        "title": "班前十分钟",
        "union": "330503002G0001",
        "starts_at": "2024-06-03T08:00:00+08:00",
        "ends_at": "2024-06-03T08:10:00+08:00",
        "speaker": "沈建国",
        "speaker_kind": "model_worker",
    }

    # when
    outside = api(staff["district_admin"]).post(f"{BASE}activities/", body, format="json")
    leader = api(staff["leadership"]).post(f"{BASE}activities/", body, format="json")
    no_speaker = api(staff["city_admin"]).post(
        f"{BASE}activities/", {**body, "speaker": ""}, format="json"
    )

    # then
    # an organising union outside the tree is answered like one that does not exist
    assert outside.status_code == 400
    assert outside.data["union"] == ["不存在或不在您的管辖范围内。"]
    assert leader.status_code == 403
    assert no_speaker.status_code == 400
    assert no_speaker.data["speaker"] == ["“班前十分钟”须填写主讲人。"]
    from activities.models import Activity

    assert Activity.objects.count() == 0


def test_the_check_in_endpoint_checks_in_once_then_answers_politely(tree, staff, api):
    # given
    now = timezone.now()
    activity = ActivityFactory(
        union=tree.zhili_factory,
        starts_at=now - dt.timedelta(minutes=1),
        ends_at=now + dt.timedelta(minutes=9),
    )
    member = MemberFactory(union=tree.zhili_factory)
    client = api(staff["grassroots_admin"])
    code = client.get(f"{BASE}activities/{activity.pk}/check-in-code/").data

    # when
    first = client.post(f"{BASE}check-in/", {"token": code["token"], "member": member.pk})
    second = client.post(f"{BASE}check-in/", {"token": code["token"], "member": member.pk})

    # then
    assert code["url"].startswith("http://testserver/portal/check-in/?token=")
    assert (first.status_code, first.data["created"]) == (201, True)
    assert (second.status_code, second.data["created"]) == (200, False)
    assert "无需重复扫码" in second.data["message"]
    assert Attendance.objects.count() == 1


def test_the_check_in_endpoint_refuses_a_forged_token(tree, staff, api):
    # given
    member = MemberFactory(union=tree.zhili_factory)

    # when
    response = api(staff["grassroots_admin"]).post(
        f"{BASE}check-in/", {"token": "forged:token", "member": member.pk}
    )

    # then
    assert response.status_code == 400
    assert response.data == {"detail": ["签到码无效，请扫描活动现场张贴的签到二维码。"]}
    assert Attendance.objects.count() == 0


def test_leadership_cannot_check_anyone_in(tree, staff, api):
    # given
    activity = ActivityFactory(union=tree.zhili_factory)
    from activities.services import check_in_token

    # when
    response = api(staff["leadership"]).post(
        f"{BASE}check-in/",
        {
            "token": check_in_token(activity=activity),
            "member": MemberFactory(union=tree.zhili_factory).pk,
        },
    )

    # then
    assert response.status_code == 403
    assert Attendance.objects.count() == 0


def test_attendance_lists_are_scoped_by_the_organising_union(tree, staff, api):
    # given
    mine = AttendanceFactory(
        activity=ActivityFactory(union=tree.zhili), member=MemberFactory(union=tree.zhili_factory)
    )
    AttendanceFactory(
        activity=ActivityFactory(union=tree.nanxun),
        member=MemberFactory(union=tree.shuanglin_factory),
    )

    # when
    response = api(staff["district_admin"]).get(f"{BASE}attendances/")

    # then
    assert ids(response) == {mine.pk}


def test_kinds_are_listed_with_their_codes(tree, staff, api):
    # given
    ActivityFactory(union=tree.zhili)

    # when
    response = api(staff["leadership"]).get(f"{BASE}kinds/")

    # then
    assert "pre_shift" in {k["code"] for k in response.data}


def test_an_activity_dated_before_1900_is_refused_in_chinese(tree, staff, api):
    # given: a year typed as 0215 (the fuzz run found it stored, then answered as
    # "0215-07-12T16:38:42+08:05:43", local mean time with an offset in seconds)
    body = {
        "kind": "pre_shift",
        "title": "班前十分钟",
        "union": "330502001G0001",
        "starts_at": "0215-07-12T08:00:00+08:00",
        "ends_at": "2024-06-03T08:10:00+08:00",
        "speaker": "沈建国",
        "speaker_kind": "model_worker",
    }

    # when
    response = api(staff["city_admin"]).post(f"{BASE}activities/", body, format="json")

    # then
    from activities.models import Activity

    assert response.status_code == 400
    assert response.data["starts_at"] == ["日期应在1900年01月01日至2100年12月31日之间。"]
    assert Activity.objects.count() == 0
