"""The admin pages of 三访日 visits, 建议/提案 and wage negotiations write through their services."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from members.actors import system
from tests.factories import EnterpriseFactory
from welfare import services
from welfare.models import Concern, LeadershipVisit, Proposal, WageNegotiation

pytestmark = pytest.mark.django_db


def test_a_visit_with_a_matter_is_recorded_in_the_admin(client, staff, tree):
    client.force_login(staff["township_admin"])
    response = client.post(
        reverse("admin:welfare_leadershipvisit_add"),
        {
            "union": tree.zhili.pk,
            "leader_name": "王主席",
            "leader_post": "镇工会主席",
            "kind": "down",
            "visited_on": str(timezone.localdate()),
            "place": "织里童装厂",
            "met": "缝纫工",
            "people_met": "6",
            "matter_by": "张师傅",
            "matter_subject": "宿舍热水",
            "matter_body": "宿舍热水供应不足",
            "matters-TOTAL_FORMS": "0",
            "matters-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:welfare_leadershipvisit_changelist")
    visit = LeadershipVisit.objects.get()
    assert [m.concern.subject for m in visit.matters.all()] == ["宿舍热水"]
    assert Concern.objects.get().channel == "three_visits"


def test_a_visit_for_a_union_outside_the_tree_is_refused_in_the_admin(client, staff, tree):
    client.force_login(staff["township_admin"])
    response = client.post(
        reverse("admin:welfare_leadershipvisit_add"),
        {
            "union": tree.shuanglin.pk,
            "leader_name": "王主席",
            "leader_post": "主席",
            "kind": "down",
            "visited_on": str(timezone.localdate()),
            "place": "双林",
            "met": "职工",
            "people_met": "1",
            "matters-TOTAL_FORMS": "0",
            "matters-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "不存在或不在您的管辖范围内" in response.content.decode()
    assert LeadershipVisit.objects.count() == 0


def test_the_proposal_import_page_imports_a_file(client, staff, tree):
    client.force_login(staff["district_admin"])
    url = reverse("admin:welfare_proposal_import")
    assert client.get(url).status_code == 200
    body = (
        "类别,编号,标题,提出人,承办工会编码,承办方式,交办日期,答复期限\n"
        f"人大代表建议,12,关于职工之家建设的建议,孙代表,{tree.wuxing.code},主办,2025-02-01,2025-05-01\n"
    ).encode()
    response = client.post(
        url, {"file": SimpleUploadedFile("p.csv", body, content_type="text/csv"), "dry_run": ""}
    )
    assert response.status_code == 200
    assert Proposal.objects.get().number == "12"


def test_the_visit_import_page_opens(client, staff):
    client.force_login(staff["district_admin"])
    assert client.get(reverse("admin:welfare_leadershipvisit_import")).status_code == 200


def test_a_negotiation_page_shows_its_rounds_and_refuses_a_skipped_stage(client, staff, tree):
    by = system("test")
    negotiation = services.wage_negotiation_offer(
        union=tree.zhili,
        title="织里镇区域性协商",
        level="regional",
        contract_type="skill_level",
        offered_on=dt.date(2024, 3, 1),
        by=by,
    )
    services.wage_negotiation_cover(
        negotiation=negotiation, enterprise=EnterpriseFactory(union=tree.zhili), employees=9, by=by
    )
    client.force_login(staff["township_admin"])
    url = reverse("admin:welfare_wagenegotiation_change", args=[negotiation.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": negotiation.title,
            "contract_type": "skill_level",
            "offered_on": "2024-03-01",
            "next_stage": "signed",
            "stage_on": "2024-04-01",
            "expires_on": "2025-04-01",
            "coverage-TOTAL_FORMS": "1",
            "coverage-INITIAL_FORMS": "1",
            "coverage-0-id": negotiation.coverage.get().pk,
            "coverage-0-negotiation": negotiation.pk,
            "coverage-0-enterprise": negotiation.coverage.get().enterprise_id,
            "coverage-0-employees": "9",
            "rounds-TOTAL_FORMS": "0",
            "rounds-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "不能跳过" in response.content.decode()
    assert WageNegotiation.objects.get().stage == "offer"
