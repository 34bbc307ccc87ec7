import pytest
from django.contrib.auth.models import User

from members.models import IdNumberAccess, Member
from tests.factories import EnterpriseFactory, MemberFactory, make_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree):
    return {
        "zhili": MemberFactory(union=tree.zhili_factory, name="织里甲"),
        "balidian": MemberFactory(union=tree.balidian_factory, name="八里店乙"),
        "shuanglin": MemberFactory(union=tree.shuanglin_factory, name="双林丙"),
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("city_admin", {"织里甲", "八里店乙", "双林丙"}),
        ("leadership", {"织里甲", "八里店乙", "双林丙"}),
        ("district_admin", {"织里甲", "八里店乙"}),
        ("township_admin", {"织里甲"}),
        ("grassroots_admin", {"织里甲"}),
        ("nanxun_admin", {"双林丙"}),
    ],
)
def test_each_role_lists_only_its_part_of_the_tree(api, staff, people, role, expected):
    response = api(staff[role]).get("/api/v1/members/")
    assert response.status_code == 200
    assert {m["name"] for m in response.json()["results"]} == expected


def test_a_member_outside_the_tree_is_not_found(api, staff, people):
    response = api(staff["township_admin"]).get(f"/api/v1/members/{people['shuanglin'].pk}/")
    assert response.status_code == 404


def test_a_user_without_a_union_gets_403(api, people):
    stranger = User.objects.create_user("stranger", password="x")
    assert api(stranger).get("/api/v1/members/").status_code == 403


def test_anonymous_gets_401(people):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/members/").status_code == 401


def test_the_masked_number_is_shown_and_the_full_one_is_absent_by_default(api, staff, people):
    data = api(staff["district_admin"]).get(f"/api/v1/members/{people['zhili'].pk}/").json()
    assert data["id_number_masked"] == people["zhili"].id_number_masked
    assert "id_number" not in data
    assert IdNumberAccess.objects.count() == 0


def test_the_permitted_role_sees_the_full_number_and_each_view_is_recorded(api, staff, tree):
    number = make_id_number()
    member = MemberFactory(union=tree.zhili_factory, id_number=number)
    data = api(staff["city_admin"]).get(f"/api/v1/members/{member.pk}/").json()
    assert data["id_number"] == number
    access = IdNumberAccess.objects.get()
    assert (access.user, access.member, access.channel) == (staff["city_admin"], member, "api")


def test_lookup_by_full_id_number_finds_the_member_by_hash(api, staff, tree):
    # A full number is looked up by POST (issue 10): never in ?search=.
    number = make_id_number()
    member = MemberFactory(union=tree.zhili_factory, id_number=number)
    MemberFactory(union=tree.zhili_factory)
    results = (
        api(staff["district_admin"])
        .post("/api/v1/members/lookup/", {"id_number": number.lower()}, format="json")
        .json()
    )
    assert [r["id"] for r in results] == [member.pk]


def test_filter_by_union_code_includes_the_subtree(api, staff, people):
    results = (
        api(staff["city_admin"]).get("/api/v1/members/", {"union": "330502"}).json()["results"]
    )
    assert {r["name"] for r in results} == {"织里甲", "八里店乙"}


def test_create_goes_through_the_service_and_reports_errors_in_chinese(api, staff, tree):
    client = api(staff["township_admin"])
    bad = client.post(
        "/api/v1/members/",
        {"id_number": "330502900517123", "name": "张三", "union": tree.zhili_factory.code},
    )
    assert bad.status_code == 400
    assert "15位" in bad.json()["id_number"][0]
    number = make_id_number()
    ok = client.post(
        "/api/v1/members/",
        {
            "id_number": number,
            "name": "张三",
            "union": tree.zhili_factory.code,
            "employment_form": "courier",
        },
    )
    assert ok.status_code == 201, ok.json()
    assert ok.json()["id_number_masked"] == number[:6] + "********" + number[-4:]
    assert Member.objects.count() == 1


def test_create_in_another_district_is_forbidden(api, staff, tree):
    response = api(staff["district_admin"]).post(
        "/api/v1/members/",
        {"id_number": make_id_number(), "name": "张三", "union": tree.shuanglin_factory.code},
    )
    # a union outside the tree is answered exactly like one that does not exist
    assert response.status_code == 400
    assert response.data == {"union": ["不存在或不在您的管辖范围内。"]}
    assert Member.objects.count() == 0


def test_leadership_cannot_write(api, staff, tree):
    response = api(staff["leadership"]).post(
        "/api/v1/members/",
        {"id_number": make_id_number(), "name": "张三", "union": tree.zhili_factory.code},
    )
    assert response.status_code == 403
    assert Member.objects.count() == 0


def test_update_changes_the_phone(api, staff, people):
    member = people["zhili"]
    response = api(staff["township_admin"]).patch(
        f"/api/v1/members/{member.pk}/", {"phone": "13911112222"}
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.phone == "13911112222"


def test_unions_and_enterprises_are_scoped(api, staff, tree):
    EnterpriseFactory(union=tree.zhili_factory, name="织里企业")
    EnterpriseFactory(union=tree.shuanglin_factory, name="双林企业")
    client = api(staff["township_admin"])
    unions = {
        u["code"] for u in client.get("/api/v1/unions/", {"page_size": 100}).json()["results"]
    }
    assert unions == {"330502001", "330502001G0001", "330502001L01"}
    enterprises = {e["name"] for e in client.get("/api/v1/enterprises/").json()["results"]}
    assert enterprises == {"织里企业"}


def test_token_auth_works(staff, client):
    from rest_framework.test import APIClient

    token = client.post(
        "/api/v1/auth/token/", {"username": "zhili", "password": "pw-12345678"}
    ).json()["token"]
    api_client = APIClient()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/members/").status_code == 200


def test_schema_and_docs_are_served(admin_client):
    assert admin_client.get("/api/schema/").status_code == 200
    docs = admin_client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


def test_unions_within_a_code_are_its_subtree_and_an_unknown_code_matches_nothing(api, staff, tree):
    client = api(staff["city_admin"])
    codes = {
        u["code"] for u in client.get("/api/v1/unions/", {"within": "330503"}).json()["results"]
    }
    assert codes == {"330503", "330503002", "330503002G0001"}
    assert client.get("/api/v1/unions/", {"within": "NOSUCH"}).json()["results"] == []


def _published_schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]


def test_the_schema_declares_the_full_id_number_as_present_only_for_reveal():
    # The answer leaves `id_number` out for a caller without members.reveal_id_number; a
    # schema that required it made every such answer a schema violation.
    member = _published_schema()["MemberOutput"]
    assert "id_number" in member["properties"]
    assert "id_number" not in member.get("required", [])
    assert member["properties"]["id_number"]["nullable"] is True


def test_the_schema_declares_every_field_that_can_answer_null(api, staff, tree):
    # The city union has no parent and a member may have no enterprise: both answer null, so
    # the schema says nullable (it said "string" and the fuzz run failed on GET /unions/).
    schemas = _published_schema()
    union = api(staff["city_admin"]).get(f"/api/v1/unions/{tree.city.code}/").json()
    assert union["parent"] is None
    assert schemas["UnionOutput"]["properties"]["parent"]["nullable"] is True
    member = schemas["MemberOutput"]["properties"]
    assert member["enterprise_name"]["nullable"] is True
    assert member["enterprise_credit_code"]["nullable"] is True
