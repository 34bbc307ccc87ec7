"""The admin in Chinese, scoped to the staff user's tree: the activity list, the QR poster and
the per-activity attendance import."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from activities.models import Attendance
from tests.activities.factories import ActivityFactory, AttendanceFactory
from tests.factories import MemberFactory, make_id_number

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_activity_list_shows_only_the_staff_users_tree(tree, staff):
    # given
    mine = ActivityFactory(union=tree.zhili_factory, title="织里班前十分钟", headcount=3)
    AttendanceFactory(activity=mine, member=MemberFactory(union=tree.zhili_factory))
    ActivityFactory(union=tree.shuanglin_factory, title="双林班前十分钟")

    # when
    response = client_for(staff["district_admin"]).get(
        reverse("admin:activities_activity_changelist")
    )

    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "织里班前十分钟" in body
    assert "双林班前十分钟" not in body
    assert "人次" in body


def test_the_qr_poster_is_a_png_with_a_code(tree, staff):
    # given
    activity = ActivityFactory(union=tree.zhili_factory)

    # when
    response = client_for(staff["township_admin"]).get(
        reverse("admin:activities_activity_qr_poster", args=[activity.pk])
    )

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (1240, 1754)


def test_the_qr_poster_of_an_activity_outside_the_tree_is_not_found(tree, staff):
    # given
    activity = ActivityFactory(union=tree.shuanglin_factory)

    # when
    response = client_for(staff["district_admin"]).get(
        reverse("admin:activities_activity_qr_poster", args=[activity.pk])
    )

    # then
    assert response.status_code == 404


def test_the_poster_action_sends_one_selected_activity_to_its_poster(tree, staff):
    # given
    activity = ActivityFactory(union=tree.zhili_factory)

    # when
    response = client_for(staff["township_admin"]).post(
        reverse("admin:activities_activity_changelist"),
        {"action": "qr_poster", "_selected_action": [activity.pk]},
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:activities_activity_qr_poster", args=[activity.pk]
    )


def test_the_change_page_links_the_poster_and_the_import(tree, staff):
    # given
    activity = ActivityFactory(union=tree.zhili_factory)

    # when
    response = client_for(staff["township_admin"]).get(
        reverse("admin:activities_activity_change", args=[activity.pk])
    )

    # then
    assert response.status_code == 200
    assert "下载签到二维码海报" in response.content.decode()


def test_a_sign_in_sheet_uploaded_on_the_activity_is_imported(tree, staff):
    # given
    activity = ActivityFactory(union=tree.zhili_factory)
    number = make_id_number()
    member = MemberFactory(union=tree.zhili_factory, id_number=number, name="张三")
    upload = io.BytesIO(f"姓名,公民身份号码\n张三,{number}\n".encode())
    upload.name = "名单.csv"

    # when
    response = client_for(staff["township_admin"]).post(
        reverse("admin:activities_activity_import_attendance", args=[activity.pk]),
        {"file": upload},
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:activities_activity_change", args=[activity.pk])
    assert list(Attendance.objects.values_list("member_id", "method")) == [(member.pk, "import")]


def test_a_bad_sheet_shows_its_rows_and_writes_nothing(tree, staff):
    # given
    activity = ActivityFactory(union=tree.zhili_factory)
    upload = io.BytesIO("姓名,公民身份号码\n张三,123\n".encode())
    upload.name = "名单.csv"

    # when
    response = client_for(staff["township_admin"]).post(
        reverse("admin:activities_activity_import_attendance", args=[activity.pk]),
        {"file": upload},
    )

    # then
    assert response.status_code == 200
    assert "第2行" in response.content.decode()
    assert Attendance.objects.count() == 0


def test_only_city_staff_see_the_add_button_for_kinds(tree, staff):
    # when
    district = client_for(staff["district_admin"]).get(reverse("admin:activities_activitykind_add"))
    city = client_for(staff["city_admin"]).get(reverse("admin:activities_activitykind_add"))

    # then
    assert district.status_code == 403
    assert city.status_code == 200


def test_staff_add_an_activity_in_the_admin_through_the_service(tree, staff):
    # given
    from activities.kinds import builtin_kind
    from activities.models import Activity
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory(union=tree.zhili_factory)
    client = client_for(staff["township_admin"])
    form = {
        "kind": builtin_kind("pre_shift").pk,
        "title": "班前十分钟·安全生产",
        "union": tree.zhili_factory.pk,
        "starts_at_0": "2024-06-03",
        "starts_at_1": "08:00:00",
        "ends_at_0": "2024-06-03",
        "ends_at_1": "08:10:00",
        "speaker": "沈建国",
        "speaker_kind": "model_worker",
        "headcount": "0",
        "reached_enterprises": [enterprise.pk],
    }

    # when
    page = client.get(reverse("admin:activities_activity_add"))
    refused = client.post(reverse("admin:activities_activity_add"), {**form, "speaker": ""})
    added = client.post(reverse("admin:activities_activity_add"), form)

    # then
    assert page.status_code == 200
    assert refused.status_code == 200
    assert "须填写主讲人" in refused.content.decode()
    assert added.status_code == 302
    assert added["Location"] == reverse("admin:activities_activity_changelist")
    activity = Activity.objects.get()
    assert activity.created_by == staff["township_admin"]
    assert list(activity.reaches.values_list("enterprise_id", flat=True)) == [enterprise.pk]


@pytest.mark.parametrize(
    "name",
    [
        "activities_attendance_add",
        "activities_cultureposition_add",
        "activities_sharedculturecentre_add",
    ],
)
def test_the_other_add_pages_open(tree, staff, name):
    # when
    response = client_for(staff["township_admin"]).get(reverse(f"admin:{name}"))

    # then
    assert response.status_code == 200


def test_the_export_holds_the_scoped_rows_with_person_times_and_defused_formulas(tree, staff):
    # given
    from django.contrib import admin as django_admin
    from django.test import RequestFactory

    from activities.models import Activity
    from activities.resources import ActivityResource

    mine = ActivityFactory(union=tree.zhili_factory, title="=HYPERLINK(1)", headcount=4)
    AttendanceFactory(activity=mine, member=MemberFactory(union=tree.zhili_factory))
    ActivityFactory(union=tree.shuanglin_factory)
    request = RequestFactory().get("/admin/activities/activity/export/")
    request.user = staff["district_admin"]
    model_admin = django_admin.site._registry[Activity]

    # when
    dataset = ActivityResource().export(queryset=model_admin.get_export_queryset(request))

    # then
    assert dataset.height == 1
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["活动主题"] == "'=HYPERLINK(1)"
    assert (row["签到人数"], row["未具名人数"], row["人次"]) == ("1", "4", "5")
