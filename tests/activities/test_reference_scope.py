"""Every reference a create route of members and activities accepts resolves through the user's
scope: an out-of-scope id is answered like a missing one, names nothing, writes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from activities import services
from activities.models import Activity, Attendance, CulturePosition, SharedCultureCentre
from members import selectors
from members.models import Enterprise, Member
from tests.activities.factories import ActivityFactory
from tests.factories import EnterpriseFactory, MemberFactory, make_credit_code, make_id_number

pytestmark = pytest.mark.django_db

NOT_IN_SCOPE = ["不存在或不在您的管辖范围内。"]


def test_enterprise_create_with_another_districts_union_is_refused_like_a_missing_one(
    tree, staff, api
):
    body = {"name": "外区企业", "credit_code": make_credit_code()}
    client = api(staff["district_admin"])
    outside = client.post(
        "/api/v1/enterprises/", {**body, "union": tree.shuanglin_factory.code}, format="json"
    )
    missing = client.post("/api/v1/enterprises/", {**body, "union": "NOPE"}, format="json")
    assert outside.status_code == missing.status_code == 400
    assert outside.data == missing.data == {"union": NOT_IN_SCOPE}
    assert Enterprise.objects.count() == 0


def test_member_create_with_another_districts_enterprise_names_nothing(tree, staff, api):
    employer = EnterpriseFactory(union=tree.shuanglin_factory, name="双林外区纺织厂")
    response = api(staff["district_admin"]).post(
        "/api/v1/members/",
        {
            "id_number": make_id_number(),
            "name": "张三",
            "union": tree.zhili_factory.code,
            "enterprise": employer.credit_code,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.data == {"enterprise": NOT_IN_SCOPE}
    assert "双林外区纺织厂" not in response.content.decode()
    assert Member.objects.count() == 0


def test_activity_reach_and_culture_position_refuse_out_of_scope_references(tree, staff, api):
    outside = EnterpriseFactory(union=tree.shuanglin_factory)
    client = api(staff["district_admin"])
    activity = client.post(
        "/api/v1/activities/activities/",
        {
            "kind": "culture_show",
            "title": "送文化",
            "union": tree.zhili.code,
            "starts_at": "2024-06-03T08:00:00+08:00",
            "ends_at": "2024-06-03T10:00:00+08:00",
            "reaches": [{"enterprise": outside.credit_code}],
        },
        format="json",
    )
    position = client.post(
        "/api/v1/activities/culture-positions/",
        {"name": "书屋", "union": tree.shuanglin.code, "opened_on": "2024-05-01"},
        format="json",
    )
    assert activity.status_code == 400
    assert activity.data["reaches"] == {0: {"enterprise": NOT_IN_SCOPE}}
    assert position.status_code == 400
    assert position.data == {"union": NOT_IN_SCOPE}
    assert Activity.objects.count() == CulturePosition.objects.count() == 0


def test_a_shared_centres_out_of_scope_co_builder_is_refused_naming_nothing(tree, staff):
    with pytest.raises(ValidationError) as exc:
        services.shared_centre_create(
            name="共享文体中心",
            union=tree.zhili,
            opened_on=dt.date(2024, 5, 1),
            co_builders=[tree.shuanglin],
            by=staff["district_admin"],
        )
    assert exc.value.message_dict == {"co_builders": NOT_IN_SCOPE}
    assert SharedCultureCentre.objects.count() == 0


def test_attendance_add_page_renders_no_name_for_an_out_of_scope_member(client, tree, staff):
    outsider = MemberFactory(union=tree.shuanglin_factory, name="沈外区")
    client.force_login(staff["district_admin"])
    page = client.get(f"/admin/activities/attendance/add/?member={outsider.pk}")
    assert page.status_code == 200
    assert "沈外区" not in page.content.decode()
    assert outsider.id_number_masked not in page.content.decode()


def test_attendance_admin_refuses_a_posted_out_of_scope_member_and_writes_nothing(
    client, tree, staff
):
    activity = ActivityFactory(union=tree.zhili)
    outsider = MemberFactory(union=tree.shuanglin_factory, name="沈外区")
    client.force_login(staff["district_admin"])
    response = client.post(
        "/admin/activities/attendance/add/", {"activity": activity.pk, "member": outsider.pk}
    )
    assert response.status_code == 200
    assert "不存在或不在您的管辖范围内" in response.content.decode()
    assert "沈外区" not in response.content.decode()
    assert Attendance.objects.count() == 0


def test_enterprise_list_applies_its_filters(tree, staff):
    big = EnterpriseFactory(union=tree.zhili_factory, name="织里大厂", above_designated_size=True)
    EnterpriseFactory(union=tree.balidian_factory, name="八里店小厂")
    EnterpriseFactory(union=tree.shuanglin_factory, name="双林大厂", above_designated_size=True)
    viewer = staff["district_admin"]
    assert list(selectors.enterprise_list(viewer=viewer, filters={"union": tree.zhili})) == [big]
    assert list(
        selectors.enterprise_list(viewer=viewer, filters={"above_designated_size": True})
    ) == [big]
    assert list(selectors.enterprise_list(viewer=viewer, filters={"search": "大厂"})) == [big]
    assert list(
        selectors.enterprise_list(viewer=viewer, filters={"search": big.credit_code.lower()})
    ) == [big]
