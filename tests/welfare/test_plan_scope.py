"""Mutual-aid plans are named and read by reach, one rule everywhere (API list, admin list and
forms, the import page): plans organised at or above the viewer's union, or within their
subtree; never a plan of a district beside theirs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.welfare.factories import PlanFactory
from welfare.models import Enrolment

pytestmark = pytest.mark.django_db
BASE = "/api/v1/welfare"


@pytest.fixture
def plans(tree, plan):
    return {
        "city": plan,
        "wuxing": PlanFactory(union=tree.wuxing, year=plan.year, name="吴兴区互助方案"),
        "nanxun": PlanFactory(union=tree.nanxun, year=plan.year, name="南浔区互助方案"),
        "zhili_factory": PlanFactory(union=tree.zhili_factory, year=plan.year, name="童装厂方案"),
    }


def test_the_plan_api_lists_only_the_plans_that_reach_the_viewer(api, staff, plans):
    names = {
        p["name"] for p in api(staff["township_admin"]).get(f"{BASE}/plans/").json()["results"]
    }
    assert names == {plans["city"].name, "吴兴区互助方案", "童装厂方案"}
    detail = api(staff["township_admin"]).get(f"{BASE}/plans/{plans['nanxun'].pk}/")
    assert detail.status_code == 404


def test_the_plan_admin_lists_only_the_plans_that_reach_the_viewer(client, staff, plans):
    client.force_login(staff["township_admin"])
    text = client.get(reverse("admin:welfare_mutualaidplan_changelist")).content.decode()
    assert "吴兴区互助方案" in text and "童装厂方案" in text
    assert "南浔区互助方案" not in text


def test_the_import_page_offers_and_accepts_only_plans_that_reach_the_viewer(
    client, staff, plans, member
):
    client.force_login(staff["township_admin"])
    url = reverse("admin:welfare_enrolment_import")
    page = client.get(url).content.decode()
    assert "吴兴区互助方案" in page and "南浔区互助方案" not in page
    csv = f"姓名,公民身份号码,互助项目\n{member.name},{member.plain_id_number},住院医疗互助\n"
    response = client.post(
        url,
        {
            "plan": plans["nanxun"].pk,
            "file": SimpleUploadedFile("a.csv", csv.encode()),
        },
    )
    assert "不存在或不在您的管辖范围内" in response.content.decode()
    assert Enrolment.objects.count() == 0
