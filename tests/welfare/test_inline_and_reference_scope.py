"""Welfare admin inlines and add pages name only what the clerk may name: every inline is a
scoped inline saved through the entity's services, no raw-id widget renders a member, an
enterprise or an event of another district, and every API create route answers an
out-of-scope id exactly like a missing one."""

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse

from members.admin_mixins import ScopedReferences
from members.scoping import NOT_IN_SCOPE
from tests.factories import EnterpriseFactory, MemberFactory
from welfare import selectors
from welfare.admin import services as services_admin
from welfare.admin import voice as voice_admin
from welfare.admin import wages as wages_admin
from welfare.models import (
    Concern,
    JobFair,
    JobFairEmployer,
    LegalAidEvent,
    LegalConsultation,
    StationVisit,
    Trainee,
    TrainingCourse,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/welfare"
MY_MODULES = {services_admin.__name__, wages_admin.__name__, voice_admin.__name__}
MY_ADMINS = [a for a in admin.site._registry.values() if type(a).__module__ in MY_MODULES]


def test_every_inline_of_stations_services_wages_and_voice_is_scoped():
    inlines = [inline for a in MY_ADMINS for inline in a.inlines]
    assert inlines  # upgrades, participants, employers, trainees
    assert all(issubclass(inline, ScopedReferences) for inline in inlines), inlines


def test_no_admin_of_stations_services_wages_and_voice_uses_raw_id_widgets():
    used = {type(a).__name__: a.raw_id_fields for a in MY_ADMINS if a.raw_id_fields} | {
        inline.__name__: inline.raw_id_fields
        for a in MY_ADMINS
        for inline in a.inlines
        if inline.raw_id_fields
    }
    assert used == {}


@pytest.fixture
def course(tree):
    return TrainingCourse.objects.create(
        union=tree.zhili,
        title="电商直播培训",
        starts_on=dt.date(2024, 6, 1),
        ends_on=dt.date(2024, 6, 10),
    )


def course_page_body(course, prefix, rows):
    body = {
        "union": course.union.pk,
        "title": course.title,
        "trade": "",
        "starts_on": "2024-06-01",
        "ends_on": "2024-06-10",
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
    }
    for i, row in enumerate(rows):
        body |= {f"{prefix}-{i}-{k}": v for k, v in row.items()}
    return body


def test_a_trainee_from_another_district_is_refused_and_not_counted(client, tree, staff, course):
    # given: a 织里 clerk and a 南浔 member
    theirs = MemberFactory(union=tree.shuanglin_factory, name="南浔的人")
    client.force_login(staff["township_admin"])
    # when
    response = client.post(
        reverse("admin:welfare_trainingcourse_change", args=[course.pk]),
        course_page_body(course, "trainees", [{"member": theirs.pk, "name": "南浔的人"}]),
    )
    # then: the page answers as for a missing id, and the figure is unchanged
    assert response.status_code == 200
    assert str(NOT_IN_SCOPE) in response.content.decode()
    assert Trainee.objects.count() == 0
    assert selectors.reemployment_training(year=2024, union=tree.city).count() == 0


def test_a_trainee_of_the_clerks_tree_is_added_through_the_service(client, tree, staff, course):
    ours = MemberFactory(union=tree.zhili_factory, name="织里的人")
    client.force_login(staff["township_admin"])
    response = client.post(
        reverse("admin:welfare_trainingcourse_change", args=[course.pk]),
        course_page_body(course, "trainees", [{"member": ours.pk, "name": "织里的人"}]),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:welfare_trainingcourse_changelist")
    assert list(Trainee.objects.values_list("member", "name")) == [(ours.pk, "织里的人")]


def test_an_employer_from_another_district_is_refused_on_the_fair_page(client, tree, staff):
    fair = JobFair.objects.create(union=tree.zhili, title="春风行动", held_on=dt.date(2024, 3, 1))
    theirs = EnterpriseFactory(union=tree.shuanglin_factory, name="双林某纺织有限公司")
    client.force_login(staff["township_admin"])
    response = client.post(
        reverse("admin:welfare_jobfair_change", args=[fair.pk]),
        {
            "union": tree.zhili.pk,
            "title": fair.title,
            "held_on": "2024-03-01",
            "attendance": "0",
            "employers-TOTAL_FORMS": "1",
            "employers-INITIAL_FORMS": "0",
            "employers-0-enterprise": theirs.pk,
            "employers-0-name": "随便",
            "employers-0-positions": "5",
        },
    )
    assert response.status_code == 200
    assert str(NOT_IN_SCOPE) in response.content.decode()
    assert JobFairEmployer.objects.count() == 0


@pytest.fixture
def theirs(tree):
    """Records of 南浔 whose names must never reach a 织里 page."""
    return {
        "member": MemberFactory(union=tree.shuanglin_factory, name="南浔会员甲"),
        "enterprise": EnterpriseFactory(union=tree.shuanglin_factory, name="双林丝绸有限公司"),
        "event": LegalAidEvent.objects.create(
            union=tree.shuanglin,
            kind=LegalAidEvent.Kind.LECTURE,
            title="双林普法讲座",
            held_on=dt.date(2024, 4, 1),
        ),
    }


@pytest.mark.parametrize(
    ("page", "field", "kind"),
    [
        ("stationvisit", "member", "member"),
        ("legalconsultation", "member", "member"),
        ("legalconsultation", "event", "event"),
        ("wagecontract", "enterprise", "enterprise"),
        ("concern", "member", "member"),
    ],
)
def test_an_add_page_given_an_out_of_scope_id_renders_no_name(
    client, staff, theirs, page, field, kind
):
    client.force_login(staff["township_admin"])
    row = theirs[kind]
    response = client.get(reverse(f"admin:welfare_{page}_add") + f"?{field}={row.pk}")
    assert response.status_code == 200
    assert str(row) not in response.content.decode()


def _answer(response):
    return response.status_code, response.json()


@pytest.mark.parametrize(
    ("route", "body", "field", "kind"),
    [
        (
            "legal-consultations",
            {"union": "330502001", "asked_on": "2024-05-01", "topic": "工伤认定"},
            "member",
            "member",
        ),
        (
            "legal-consultations",
            {"union": "330502001", "asked_on": "2024-05-01", "topic": "工伤认定"},
            "event",
            "event",
        ),
        (
            "concerns",
            {"union": "330502001", "raised_by_name": "王", "subject": "工资", "body": "欠薪"},
            "member",
            "member",
        ),
        (
            "stations",
            {
                "kind": "outdoor_worker",
                "name": "驿站",
                "address": "某路1号",
                "built_on": "2024-01-01",
            },
            "union",
            "union",
        ),
    ],
)
def test_an_api_create_answers_an_out_of_scope_id_like_a_missing_one(
    api, tree, staff, theirs, route, body, field, kind
):
    client = api(staff["township_admin"])
    value = tree.shuanglin.code if kind == "union" else theirs[kind].pk
    missing = "999999999" if kind == "union" else 99_999_999
    outside = client.post(f"{BASE}/{route}/", body | {field: value}, format="json")
    absent = client.post(f"{BASE}/{route}/", body | {field: missing}, format="json")
    assert _answer(outside) == _answer(absent)
    assert outside.status_code == 400
    text = outside.content.decode()
    assert all(name not in text for name in ("南浔", "双林"))
    assert LegalConsultation.objects.count() + Concern.objects.count() == 0
    assert StationVisit.objects.count() == 0


def test_a_programme_from_another_district_cannot_take_our_members_through_the_api(
    api, tree, staff
):
    from welfare.models import RecuperationProgramme

    elsewhere = RecuperationProgramme.objects.create(
        union=tree.nanxun,
        kind="inclusive",
        name="南浔疗休养",
        destination="莫干山",
        starts_on=dt.date(2024, 5, 1),
        ends_on=dt.date(2024, 5, 5),
        capacity=10,
    )
    response = api(staff["township_admin"]).post(
        f"{BASE}/recuperation-programmes/{elsewhere.pk}/participants/",
        {"member": MemberFactory(union=tree.zhili_factory).pk},
        format="json",
    )
    assert response.status_code == 404
    assert elsewhere.participants.count() == 0
