"""The admin as a workbench: leaders reach the dashboard, the index is grouped by line of work,
and nobody is offered to add a record that belongs to a level above their union."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "pw-12345678"


def test_leadership_signing_in_lands_on_the_dashboard(client, staff):
    # when
    response = client.post(
        reverse("admin:login"),
        {"username": "leader", "password": PASSWORD, "next": reverse("admin:index")},
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:overview")


def test_a_clerk_signing_in_lands_on_the_workbench(client, staff):
    response = client.post(
        reverse("admin:login"),
        {"username": "factory", "password": PASSWORD, "next": reverse("admin:index")},
    )
    assert response["Location"] == reverse("admin:index")


def test_leadership_asking_for_a_page_gets_that_page(client, staff):
    wanted = reverse("admin:members_member_changelist")
    response = client.post(
        reverse("admin:login"), {"username": "leader", "password": PASSWORD, "next": wanted}
    )
    assert response["Location"] == wanted


@pytest.mark.parametrize("role", ["leadership", "grassroots_admin", "city_admin"])
def test_every_staff_page_links_to_the_dashboard(client, staff, role):
    client.force_login(staff[role])
    for url in (reverse("admin:index"), reverse("admin:members_member_changelist")):
        html = client.get(url).content.decode()
        assert 'id="header-dashboard-link"' in html
        assert f'href="{reverse("dashboard:overview")}"' in html
    # and the dashboard answers the link
    assert client.get(reverse("dashboard:overview")).status_code == 200


def test_staff_without_a_union_get_no_dashboard_link(client, db, django_user_model):
    user = django_user_model.objects.create_user("loose", password=PASSWORD, is_staff=True)
    client.force_login(user)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'id="header-dashboard-link"' not in html
    assert "查看站点" not in html


def test_the_workbench_groups_models_by_line_of_work(client, staff):
    client.force_login(staff["grassroots_admin"])
    groups = [g["name"] for g in client.get(reverse("admin:index")).context["app_list"]]
    assert [str(g) for g in groups[:5]] == ["会员", "活动", "技能", "维权服务", "指标看板"]


def test_the_workbench_hides_recent_actions(client, staff):
    client.force_login(staff["grassroots_admin"])
    html = client.get(reverse("admin:index")).content.decode()
    assert "recent-actions-module" not in html
    assert "无可选的" not in html


CITY_LEVEL = [
    "skills_craftsmanacademy",
    "skills_studioalliance",
    "welfare_mutualaidplan",
]


@pytest.mark.parametrize("model", CITY_LEVEL)
def test_a_grassroots_clerk_is_offered_no_add_link_for_city_level_records(client, staff, model):
    client.force_login(staff["grassroots_admin"])
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse(f"admin:{model}_add") not in html
    # and the page itself refuses
    assert client.get(reverse(f"admin:{model}_add")).status_code == 403


@pytest.mark.parametrize("model", CITY_LEVEL)
def test_city_staff_may_add_city_level_records(client, staff, model):
    client.force_login(staff["city_admin"])
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse(f"admin:{model}_add") in html


def test_role_groups_are_named_in_chinese_and_old_names_are_renamed(staff):
    from django.contrib.auth.models import Group

    from members.roles import ensure_role_groups

    # given: a group left under the old name, with a member
    Group.objects.filter(name="市总管理员").update(name="role:city_admin")
    # when
    ensure_role_groups()
    # then
    names = set(Group.objects.values_list("name", flat=True))
    assert {
        "市总管理员",
        "区县管理员",
        "乡镇(街道)管理员",
        "基层工会管理员",
        "领导（只读）",
    } <= names
    assert not any(n.startswith("role:") for n in names)
    assert staff["city_admin"].groups.get().name == "市总管理员"


def test_periodic_tasks_are_listed_in_chinese(client, db, django_user_model):
    from django.core.management import call_command

    call_command("migrate", "dashboard", verbosity=0)  # the nightly roll-up's schedule
    admin = django_user_model.objects.create_superuser("root", "root@example.invalid", PASSWORD)
    client.force_login(admin)
    html = client.get(reverse("admin:django_celery_beat_periodictask_changelist")).content.decode()
    assert re.search(r'class="field-name_zh"><a [^>]*>每晚汇总当年全部指标', html)
    assert "每天 02:30" in html
    assert "执行计划" in html
    assert "column-scheduler" not in html  # django-celery-beat's English SCHEDULER column


def test_the_workbench_counts_what_waits_in_the_viewers_own_lists(client, staff, tree):
    from tests.factories import MemberFactory
    from tests.welfare.factories import ClaimFactory, EnrolmentFactory, LineFactory, PlanFactory

    # given: one claim waiting under 织里
    line = LineFactory(plan=PlanFactory(union=tree.city))
    ClaimFactory(
        enrolment=EnrolmentFactory(member=MemberFactory(union=tree.zhili_factory), line=line)
    )

    def waiting(user) -> dict:
        client.force_login(user)
        items = client.get(reverse("admin:index")).context["waiting"]
        return {str(i["name"]): i["count"] for i in items}

    # then: counted for 织里's clerk, not for 南浔's
    assert waiting(staff["township_admin"])["互助申请待审核"] == 1
    assert waiting(staff["nanxun_admin"])["互助申请待审核"] == 0


def test_a_transfer_waits_for_the_union_left_then_for_the_union_joined(client, staff, tree):
    from members import services
    from tests.factories import MemberFactory

    # given: a move from 织里 (吴兴) to 双林 (南浔), requested by 织里
    transfer = services.transfer_request(
        member=MemberFactory(union=tree.zhili_factory),
        to_union=tree.shuanglin_factory,
        by=staff["township_admin"],
    )

    def waiting(user) -> int:
        client.force_login(user)
        items = client.get(reverse("admin:index")).context["waiting"]
        return {str(i["name"]): i["count"] for i in items}["会员关系转接待办理"]

    # then: it waits for 织里 only; 南浔 is not told of it yet
    assert (waiting(staff["township_admin"]), waiting(staff["nanxun_admin"])) == (1, 0)

    # when: 织里 lets the member go
    services.transfer_approve_out(transfer=transfer, by=staff["township_admin"])

    # then: now it waits for 南浔, and no longer for 织里
    assert (waiting(staff["township_admin"]), waiting(staff["nanxun_admin"])) == (0, 1)
