"""Choosing the union to move to from the app, as on the portal's transfer page: first a township
(GET /api/v1/me/transfer-townships/), then one of the grassroots unions under it
(GET /api/v1/me/transfer-unions/?township=<code>), the same lists the page offers; the chosen one
is posted to transfer/ as `union` (its id) or `code`. A wrong choice is a Chinese 400 that writes
nothing."""

import pytest
from rest_framework.test import APIClient

from members.models import MemberTransfer
from members.tokens import token_issue
from tests.factories import MemberFactory
from tests.portal.helpers import signed_in

pytestmark = pytest.mark.django_db

TOWNSHIPS = "/api/v1/me/transfer-townships/"
UNIONS = "/api/v1/me/transfer-unions/"
TRANSFER = "/api/v1/me/transfer/"


def _chinese(body) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(body))


def _client(member=None, user=None) -> APIClient:
    _token, key = (
        token_issue(user=user) if user else token_issue(member_id_hash=member.id_number_hash)
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def me(tree):
    return MemberFactory(union=tree.zhili_factory)


def test_the_townships_are_every_township_of_the_city_as_on_the_web_page(client, tree, me):
    # given: the portal's page, for the same member
    signed_in(client, me)
    page = client.get("/portal/services/transfer/")
    web = [
        label for value, label in page.context["township_form"].fields["township"].choices if value
    ]
    # when
    rows = _client(me).get(TOWNSHIPS).json()
    # then
    assert [(r["code"], r["name"], r["district"]) for r in rows] == [
        ("330502001", "织里镇总工会", "吴兴区总工会"),
        ("330502002", "八里店镇总工会", "吴兴区总工会"),
        ("330503002", "双林镇总工会", "南浔区总工会"),
    ]
    assert [r["name"] for r in rows] == [str(label) for label in web]


def test_a_townships_unions_are_the_grassroots_ones_under_it_as_on_the_web_page(client, tree, me):
    signed_in(client, me)
    page = client.get("/portal/services/transfer/", {"township": tree.zhili.pk})
    web = [(value, label) for value, label in page.context["form"].fields["union"].choices if value]
    rows = _client(me).get(UNIONS, {"township": tree.zhili.code}).json()
    assert [(r["id"], r["code"], r["name"], r["is_joint"]) for r in rows] == [
        (tree.zhili_factory.pk, "330502001G0001", "织里童装厂工会", False),
        (tree.zhili_joint.pk, "330502001L01", "织里镇新就业形态联合工会", True),
    ]
    assert [(r["id"], r["name"]) for r in rows] == web


@pytest.mark.parametrize("township", [None, "", "NO-SUCH", "330502001G0001", "330502"])
def test_a_missing_or_wrong_township_is_a_chinese_400(tree, me, township):
    # none, blank, unknown, a grassroots union's code, a district's code
    params = {} if township is None else {"township": township}
    response = _client(me).get(UNIONS, params)
    assert response.status_code == 400
    assert "township" in response.json() and _chinese(response.json())


def test_a_member_moves_to_a_union_picked_from_the_list_by_its_id(tree, me):
    client = _client(me)
    picked = client.get(UNIONS, {"township": tree.shuanglin.code}).json()[0]
    response = client.post(TRANSFER, {"union": picked["id"], "note": "换工作"}, format="json")
    assert response.status_code == 201, response.json()
    transfer = MemberTransfer.objects.get()
    assert (transfer.member, transfer.to_union, transfer.status) == (
        me,
        tree.shuanglin_factory,
        MemberTransfer.Status.PENDING_OUT,
    )
    assert response.json()["to_union"] == "双林纺织厂工会"


def test_a_member_moves_to_a_union_picked_from_the_list_by_its_code(tree, me):
    client = _client(me)
    picked = client.get(UNIONS, {"township": tree.balidian.code}).json()[0]
    response = client.post(TRANSFER, {"code": picked["code"]}, format="json")
    assert response.status_code == 201, response.json()
    assert MemberTransfer.objects.get().to_union == tree.balidian_factory


def test_the_code_and_the_union_naming_the_same_union_are_accepted(tree, me):
    union = tree.shuanglin_factory
    response = _client(me).post(TRANSFER, {"code": union.code, "union": union.pk}, format="json")
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("which", ["unknown_id", "township_id", "neither", "disagree", "own"])
def test_a_wrong_pick_is_a_chinese_400_and_nothing_is_written(tree, me, which):
    body = {
        "unknown_id": {"union": 987654321},
        "township_id": {"union": tree.shuanglin.pk},
        "neither": {"note": "换工作"},
        "disagree": {"union": tree.shuanglin_factory.pk, "code": tree.balidian_factory.code},
        "own": {"union": tree.zhili_factory.pk},
    }[which]
    response = _client(me).post(TRANSFER, body, format="json")
    assert response.status_code == 400, response.json()
    assert _chinese(response.json())
    assert not MemberTransfer.objects.exists()


def test_a_staff_token_cannot_use_the_picker(staff, tree):
    client = _client(user=staff["city_admin"])
    assert client.get(TOWNSHIPS).status_code in (401, 403)
    assert client.get(UNIONS, {"township": tree.zhili.code}).status_code in (401, 403)
