"""三访日 matters and 建议/提案 with deadlines appear on the admin workbench (临近期限) and on a list
page with filters, for the viewer's part of the tree only: another district's matters never
appear."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from members.actors import system
from welfare import services
from welfare.models import Concern, LeadershipVisit, Proposal

pytestmark = pytest.mark.django_db


def proposal(union, title, due_on):
    return services.proposal_receive(
        union=union,
        source=Proposal.Source.NPC,
        title=title,
        proposer="李代表",
        role=Proposal.Role.LEAD,
        received_on=due_on - dt.timedelta(days=60),
        due_on=due_on,
        by=system("test"),
    )


def visit_matter(union, subject, due_in_days):
    visit = services.leadership_visit_record(
        union=union,
        leader_name="王主席",
        leader_post="工会主席",
        kind=LeadershipVisit.Kind.RECEPTION,
        visited_on=timezone.localdate() - dt.timedelta(days=20),
        place="职工服务中心",
        met="来访职工",
        by=system("test"),
    )
    concern = services.leadership_visit_matter_raise(
        visit=visit, raised_by_name="来访职工", subject=subject, body=subject, by=system("test")
    )
    Concern.objects.filter(pk=concern.pk).update(
        due_at=timezone.now() + dt.timedelta(days=due_in_days)
    )
    return concern


@pytest.fixture
def matters(tree):
    today = timezone.localdate()
    return {
        "late_proposal": proposal(
            tree.wuxing, "关于新就业形态劳动者职业伤害保障的建议", today - dt.timedelta(days=2)
        ),
        "soon_proposal": proposal(
            tree.zhili, "关于童装企业夜班交通的提案", today + dt.timedelta(days=5)
        ),
        "far_proposal": proposal(
            tree.wuxing, "关于职工疗休养的建议", today + dt.timedelta(days=60)
        ),
        "visit_matter": visit_matter(tree.zhili_factory, "宿舍热水供应不足", 3),
        "nanxun_proposal": proposal(
            tree.nanxun, "南浔区蚕桑工人权益的建议", today - dt.timedelta(days=1)
        ),
        "nanxun_matter": visit_matter(tree.shuanglin_factory, "双林纺织厂加班费", -4),
    }


def test_the_workbench_shows_what_is_late_or_due_soon_in_the_clerks_tree(client, staff, matters):
    client.force_login(staff["district_admin"])
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    box = page.context["deadlines"]
    assert (box["overdue"], box["soon"]) == (1, 2)
    text = page.content.decode()
    assert "临近期限" in text
    assert "关于新就业形态劳动者职业伤害保障的建议" in text
    assert "宿舍热水供应不足" in text
    assert "关于职工疗休养的建议" not in text  # due in 60 days: not near
    assert "南浔区蚕桑工人权益的建议" not in text and "双林纺织厂加班费" not in text


def test_another_districts_workbench_and_list_show_only_its_own(client, staff, matters):
    client.force_login(staff["nanxun_admin"])
    box = client.get(reverse("admin:index")).context["deadlines"]
    assert {i.title for i in box["items"]} == {"南浔区蚕桑工人权益的建议", "双林纺织厂加班费"}
    listed = client.get(reverse("admin:matters_due"), {"days": "90"})
    titles = {i.title for i in listed.context["items"]}
    assert titles == {"南浔区蚕桑工人权益的建议", "双林纺织厂加班费"}
    assert "童装" not in listed.content.decode()


def test_the_list_page_filters_by_kind_lateness_and_horizon(client, staff, matters):
    client.force_login(staff["district_admin"])
    url = reverse("admin:matters_due")

    def titles(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return [i.title for i in response.context["items"]]

    assert titles() == [
        "关于新就业形态劳动者职业伤害保障的建议",
        "宿舍热水供应不足",
        "关于童装企业夜班交通的提案",
    ]
    assert titles(kind="visit") == ["宿舍热水供应不足"]
    assert titles(kind="proposal", when="soon") == ["关于童装企业夜班交通的提案"]
    assert titles(when="overdue") == ["关于新就业形态劳动者职业伤害保障的建议"]
    assert "关于职工疗休养的建议" in titles(days="90")
    assert titles(days="bogus") == titles()  # an unknown horizon falls back to 14 days


def test_a_township_sees_only_its_own_subtree_and_a_stranger_is_sent_to_sign_in(
    client, staff, matters
):
    client.force_login(staff["township_admin"])
    titles = [i.title for i in client.get(reverse("admin:matters_due")).context["items"]]
    assert titles == ["宿舍热水供应不足", "关于童装企业夜班交通的提案"]
    client.logout()
    response = client.get(reverse("admin:matters_due"))
    assert response.status_code == 302 and "/login/" in response["Location"]
