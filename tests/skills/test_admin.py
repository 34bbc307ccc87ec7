"""The admin in Chinese, scoped to the staff user's tree, saving through the services."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from members import crypto
from skills.models import Competition, Honour
from tests.factories import EnterpriseFactory, MemberFactory, make_id_number
from tests.skills.factories import (
    CollectiveHonourFactory,
    CompetitionFactory,
    HonourFactory,
    scored,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "competition",
    "competitionentry",
    "honour",
    "skillcertification",
    "skillsession",
    "craftsmanacademy",
    "studioalliance",
    "innovationstudio",
    "craftsmanvisit",
    "goldenidea",
    "innovationresult",
    "technicalproblem",
]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_list_and_add_page_opens_for_a_district_clerk(tree, staff):
    # given
    client = client_for(staff["district_admin"])
    # when / then
    for model in MODELS:
        assert client.get(reverse(f"admin:skills_{model}_changelist")).status_code == 200, model
        assert client.get(reverse(f"admin:skills_{model}_add")).status_code == 200, model


def test_the_competition_list_holds_only_the_clerks_tree(tree, staff):
    # given
    CompetitionFactory(union=tree.wuxing, name="吴兴电工赛")
    CompetitionFactory(union=tree.nanxun, name="南浔焊工赛")
    # when
    page = client_for(staff["district_admin"]).get(reverse("admin:skills_competition_changelist"))
    # then
    assert "吴兴电工赛" in page.text
    assert "南浔焊工赛" not in page.text


def test_a_competition_page_shows_its_entrants_and_honours_list_people_and_teams(tree, staff):
    # given
    competition = CompetitionFactory(union=tree.wuxing)
    entries = scored(competition, tree.zhili_factory, ["90", "80"])
    HonourFactory(member=entries[0].member, kind=Honour.Kind.TECHNICAL_EXPERT)
    CollectiveHonourFactory(
        collective_name="织里童装厂裁剪班组", enterprise=EnterpriseFactory(union=tree.zhili_factory)
    )
    client = client_for(staff["district_admin"])
    # when
    page = client.get(reverse("admin:skills_competition_change", args=[competition.pk]))
    honours = client.get(reverse("admin:skills_honour_changelist"))
    # then
    assert page.status_code == 200
    assert entries[1].member.name in page.text
    assert "导入成绩" in page.text and "授予技术能手" in page.text
    assert entries[0].member.name in honours.text and "织里童装厂裁剪班组" in honours.text


def test_adding_a_competition_through_the_admin_form(tree, staff):
    # given
    client = client_for(staff["district_admin"])
    data = {
        "name": "吴兴区“百业千匠”焊工竞赛",
        "series": "百业千匠",
        "level": "district",
        "occupation": "焊工",
        "union": tree.wuxing.pk,
        "start_date": "2024-05-01",
        "end_date": "2024-04-01",
        "entries-TOTAL_FORMS": "0",
        "entries-INITIAL_FORMS": "0",
    }
    # when
    refused = client.post(reverse("admin:skills_competition_add"), data)
    accepted = client.post(
        reverse("admin:skills_competition_add"), {**data, "end_date": "2024-05-02"}
    )
    # then
    assert refused.status_code == 200 and "结束日期不能早于开始日期" in refused.text
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("admin:skills_competition_changelist")
    assert Competition.objects.get().union == tree.wuxing


def test_results_upload_and_experts_pages(tree, staff):
    # given
    competition = CompetitionFactory(union=tree.wuxing)
    number = make_id_number()
    MemberFactory(
        union=tree.zhili_factory,
        name="张伟",
        id_number_hash=crypto.hash_id_number(number),
        id_number_encrypted=crypto.encrypt_id_number(number),
    )
    sheet = f"姓名,公民身份号码,成绩,奖项\n张伟,{number},90,一等奖\n".encode()
    client = client_for(staff["district_admin"])
    results_url = reverse("admin:skills_competition_results", args=[competition.pk])
    experts_url = reverse("admin:skills_competition_experts", args=[competition.pk])
    # when
    page = client.post(results_url, {"file": SimpleUploadedFile("成绩.csv", sheet)}, follow=True)
    awarded = client.post(experts_url, {"top_n": "1", "awarding_body": "湖州市总工会"}, follow=True)
    # then
    assert page.status_code == 200
    assert "新增1条" in page.text
    assert competition.entries.get().rank == 1
    assert awarded.status_code == 200
    assert Honour.objects.filter(competition=competition).count() == 1


def test_another_districts_competition_pages_are_not_found(tree, staff):
    # given
    competition = CompetitionFactory(union=tree.nanxun)
    client = client_for(staff["district_admin"])
    # when / then
    for name in ("change", "results", "experts"):
        url = reverse(f"admin:skills_competition_{name}", args=[competition.pk])
        assert client.get(url).status_code in {302, 404}, name


def test_a_personal_title_added_in_the_admin_takes_the_members_union(tree, staff):
    # given
    member = MemberFactory(union=tree.zhili_factory)
    client = client_for(staff["district_admin"])
    data = {"kind": "huzhou_craftsman", "year": "2024", "awarding_body": "湖州市人民政府"}
    # when
    refused = client.post(reverse("admin:skills_honour_add"), data)
    accepted = client.post(reverse("admin:skills_honour_add"), {**data, "member": member.pk})
    # then
    assert refused.status_code == 200 and "个人称号，请选择获得者" in refused.text
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("admin:skills_honour_changelist")
    assert Honour.objects.get().union == tree.zhili_factory


def test_a_result_typed_in_the_entry_form_reranks_the_competition(tree, staff):
    # given
    competition = CompetitionFactory(union=tree.wuxing)
    first, second = scored(competition, tree.zhili_factory, ["90", "80"])
    client = client_for(staff["district_admin"])
    url = reverse("admin:skills_competitionentry_change", args=[second.pk])
    # when
    response = client.post(url, {"score": "95.5", "award": "first"})
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:skills_competitionentry_changelist")
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.score, second.rank, second.award) == (Decimal("95.50"), 1, "first")
    assert first.rank == 2
