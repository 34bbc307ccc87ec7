"""Every reference a clerk submits to the skills records resolves through their scope: another
district's member, competition, studio, idea or visit gets exactly the answer of an id that does
not exist, never a name, and scope is checked before any duplicate rule (issue 10)."""

import datetime as dt

import pytest
from django.contrib import admin as django_admin
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.admin_mixins import ScopedReferences
from members.scoping import NOT_IN_SCOPE
from skills import services
from skills.models import (
    CompetitionEntry,
    GoldenIdea,
    Honour,
    InnovationResult,
    InnovationStudio,
    SkillCertification,
    TechnicalProblem,
)
from tests.factories import EnterpriseFactory, MemberFactory
from tests.skills.factories import (
    CertificationFactory,
    CompetitionFactory,
    EntryFactory,
    HonourFactory,
    IdeaFactory,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/skills"
MISSING = 987654321
NAME = "南浔张秘密"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def outsider(tree):
    """A 南浔 member a 吴兴 clerk may not see, who already holds what the clerk will try to
    record, so a duplicate check run first would name them."""
    member = MemberFactory(union=tree.shuanglin_factory, name=NAME)
    HonourFactory(member=member, kind=Honour.Kind.HUZHOU_CRAFTSMAN, year=2024)
    CertificationFactory(member=member, occupation="电工", level="3")
    return member


def post_both(client, path, body, field, outsider_id):
    """POST once naming the outsider, once naming an id that does not exist."""
    out = client.post(f"{BASE}/{path}/", {**body, field: outsider_id}, format="json")
    missing = client.post(f"{BASE}/{path}/", {**body, field: MISSING}, format="json")
    return out, missing


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("entries", {}),  # competition filled in below
        ("honours", {"kind": "huzhou_craftsman", "year": 2024, "awarding_body": "湖州市人民政府"}),
        (
            "certifications",
            {"level": "3", "occupation": "电工", "certified_on": "2024-03-01"},
        ),
    ],
)
def test_another_districts_member_is_answered_like_a_missing_one(
    tree, staff, api, outsider, path, body
):
    # given: a competition the outsider is already entered in
    competition = CompetitionFactory(union=tree.city)
    EntryFactory(competition=competition, member=outsider)
    if path == "entries":
        body = {"competition": competition.pk}
    counts = (CompetitionEntry.objects.count(), Honour.objects.count())
    counts += (SkillCertification.objects.count(),)
    # when
    out, missing = post_both(api(staff["district_admin"]), path, body, "member", outsider.pk)
    # then
    assert out.status_code == missing.status_code == 400
    assert out.json() == missing.json() == {"member": [str(NOT_IN_SCOPE)]}
    assert NAME not in out.content.decode()
    assert counts == (
        CompetitionEntry.objects.count(),
        Honour.objects.count(),
        SkillCertification.objects.count(),
    )


def test_another_districts_studio_idea_visit_or_competition_is_answered_like_a_missing_one(
    tree, staff, api
):
    # given
    studio = InnovationStudio.objects.create(
        name="南浔工作室", kind="worker", level="district", recognised_year=2024, union=tree.nanxun
    )
    idea = IdeaFactory(member=MemberFactory(union=tree.shuanglin_factory))
    competition = CompetitionFactory(union=tree.nanxun)
    client = api(staff["district_admin"])
    result = {"title": "成果", "kind": "patent", "union": "330502", "achieved_on": "2024-03-01"}
    problem = {
        "title": "难题",
        "enterprise": EnterpriseFactory(union=tree.zhili).pk,
        "solved_on": "2024-03-01",
    }
    cases = [
        ("results", result, "studio", studio.pk),
        ("results", result, "idea", idea.pk),
        ("problems", problem, "studio", studio.pk),
        ("honours", {"kind": "pioneer_team", "year": 2024, "awarding_body": "全总",
                     "collective_name": "班组", "union": "330502"}, "competition", competition.pk),
    ]  # fmt: skip
    # when / then
    for path, body, field, pk in cases:
        out, missing = post_both(client, path, body, field, pk)
        assert out.status_code == missing.status_code == 400, (path, field)
        assert out.json() == missing.json() == {field: [str(NOT_IN_SCOPE)]}, (path, field)
    assert InnovationResult.objects.count() == TechnicalProblem.objects.count() == 0


def test_a_city_competition_is_entered_from_below(tree, staff, api):
    # given: a competition run by the city, a 织里 clerk and one of their members
    today = timezone.localdate()
    competition = CompetitionFactory(
        union=tree.city, start_date=today, end_date=today + dt.timedelta(days=5)
    )
    first, second = (MemberFactory(union=tree.zhili_factory) for _ in range(2))
    client = api(staff["township_admin"])
    # when
    entered = client.post(
        f"{BASE}/entries/", {"competition": competition.pk, "member": first.pk}, format="json"
    )
    signed_up = client.post(
        f"{BASE}/competitions/{competition.pk}/enter/", {"member": second.pk}, format="json"
    )
    # then
    assert entered.status_code == 201, entered.content
    assert signed_up.status_code == 201, signed_up.content
    assert set(competition.entries.values_list("member", flat=True)) == {first.pk, second.pk}


def test_a_service_refuses_an_out_of_scope_member_before_its_duplicate_rule(tree, staff, outsider):
    # when / then: the duplicate rule would have named the outsider
    for call in (
        lambda by: services.honour_award(
            kind="huzhou_craftsman", year=2024, awarding_body="市政府", member=outsider, by=by
        ),
        lambda by: services.skill_certification_register(
            member=outsider, level="3", occupation="电工", certified_on=dt.date(2024, 3, 1), by=by
        ),
    ):
        with pytest.raises(PermissionDenied) as caught:
            call(staff["district_admin"])
        assert str(caught.value) == str(NOT_IN_SCOPE)


def test_a_service_without_an_actor_is_refused(tree):
    # given
    member = MemberFactory(union=tree.zhili_factory)
    # when / then: no None that means "the system"
    with pytest.raises(PermissionDenied):
        services.honour_award(
            kind="huzhou_craftsman", year=2024, awarding_body="市政府", member=member, by=None
        )
    with pytest.raises(PermissionDenied):
        services.competition_enter(
            competition=CompetitionFactory(union=tree.city), member=member, by=None
        )
    assert Honour.objects.count() == 0


# --- the admin -----------------------------------------------------------------------------


def test_leadership_opens_an_honour_read_only(tree, staff):
    # given: leadership views every record and changes none
    honour = HonourFactory(member=MemberFactory(union=tree.zhili_factory, name="王匠"))
    # when
    page = client_for(staff["leadership"]).get(
        reverse("admin:skills_honour_change", args=[honour.pk])
    )
    # then
    assert page.status_code == 200
    assert "王匠" in page.text


ADD_PAGES = [
    ("competitionentry", "member"),
    ("honour", "member"),
    ("skillcertification", "member"),
    ("innovationstudio", "leader"),
    ("goldenidea", "member"),
    ("innovationresult", "member"),
]


@pytest.mark.parametrize(("model", "field"), ADD_PAGES)
def test_an_add_page_renders_no_name_for_an_out_of_scope_id(tree, staff, outsider, model, field):
    # when
    page = client_for(staff["district_admin"]).get(
        reverse(f"admin:skills_{model}_add") + f"?{field}={outsider.pk}"
    )
    # then
    assert page.status_code == 200
    assert NAME not in page.text


def test_an_out_of_scope_member_posted_to_an_admin_form_is_refused(tree, staff, outsider):
    # given
    client = client_for(staff["district_admin"])
    competition = CompetitionFactory(union=tree.wuxing)
    posts = [
        ("honour", {"kind": "zhejiang_craftsman", "year": "2024", "awarding_body": "省政府"}),
        ("skillcertification", {"level": "2", "occupation": "焊工", "certified_on": "2024-03-01"}),
        ("goldenidea", {"title": "点子", "content": "内容", "submitted_on": "2024-03-01"}),
        ("competitionentry", {"competition": competition.pk}),
    ]
    before = (Honour.objects.count(), SkillCertification.objects.count())
    before += (GoldenIdea.objects.count(), CompetitionEntry.objects.count())
    # when / then
    for model, data in posts:
        response = client.post(
            reverse(f"admin:skills_{model}_add"), {**data, "member": outsider.pk}
        )
        assert response.status_code == 200, model  # the form again, with its error
        assert str(NOT_IN_SCOPE) in response.text, model
        assert NAME not in response.text, model
    assert before == (
        Honour.objects.count(),
        SkillCertification.objects.count(),
        GoldenIdea.objects.count(),
        CompetitionEntry.objects.count(),
    )


def test_no_skills_admin_uses_a_raw_id_widget_and_every_inline_is_scoped():
    # given
    skills_admins = [
        a for m, a in django_admin.site._registry.items() if m._meta.app_label == "skills"
    ]
    # then
    assert len(skills_admins) == 13  # 12 records and the model-worker selection
    for model_admin in skills_admins:
        assert not model_admin.raw_id_fields, type(model_admin).__name__
        for inline in model_admin.inlines:
            assert issubclass(inline, ScopedReferences), inline.__name__


def test_read_only_routes_answer_405_and_are_absent_from_the_schema(tree, staff, api):
    # given: titles, certifications, sessions and ideas are recorded, never edited over the API
    # (an idea moves by its status action); no record is ever deleted
    client = api(staff["city_admin"])
    honour = HonourFactory(member=MemberFactory(union=tree.zhili_factory))
    cert = CertificationFactory(member=MemberFactory(union=tree.zhili_factory))
    idea = IdeaFactory(member=MemberFactory(union=tree.zhili_factory))
    schema = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    # when / then
    for path, pk in (("honours", honour.pk), ("certifications", cert.pk), ("ideas", idea.pk)):
        for method in ("put", "patch"):
            response = getattr(client, method)(f"{BASE}/{path}/{pk}/", {}, format="json")
            assert response.status_code == 405, (path, method)
        for method in ("put", "patch", "delete"):  # (DELETE is refused by permission first)
            assert method not in schema[f"/api/v1/skills/{path}/{{id}}/"], (path, method)
    assert "delete" not in schema["/api/v1/skills/academies/{id}/"]


def test_an_admin_change_goes_through_the_entitys_update_service(tree, staff):
    # given
    academy = services.academy_create(
        name="吴兴工匠学院",
        level="district",
        union=tree.wuxing,
        established_on=dt.date(2024, 1, 1),
        by=staff["district_admin"],
    )
    client = client_for(staff["district_admin"])
    url = reverse("admin:skills_craftsmanacademy_change", args=[academy.pk])
    data = {"name": "吴兴区工匠学院", "level": "district", "union": tree.wuxing.pk,
            "host": "", "established_on": "2024-01-01", "closed_on": ""}  # fmt: skip
    # when
    moved = client.post(url, {**data, "union": tree.nanxun.pk})
    renamed = client.post(url, data)
    # then
    assert moved.status_code == 200 and str(NOT_IN_SCOPE) in moved.text
    assert renamed.status_code == 302
    assert renamed.url == reverse("admin:skills_craftsmanacademy_changelist")
    academy.refresh_from_db()
    assert (academy.name, academy.union) == ("吴兴区工匠学院", tree.wuxing)
