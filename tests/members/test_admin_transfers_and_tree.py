import pytest

from members.models import MemberTransfer, Union
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_a_transfer_is_requested_approved_and_accepted_through_the_admin(client, staff, tree):
    member = MemberFactory(union=tree.zhili_factory, name="转接人")
    # the union left asks for the move
    client.force_login(staff["township_admin"])
    response = client.post(
        "/admin/members/membertransfer/add/",
        {
            "member": member.pk,
            "to_union": tree.shuanglin_factory.pk,
            "to_enterprise": "",
            "note": "换工作",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/admin/members/membertransfer/"
    transfer = MemberTransfer.objects.get()
    url = f"/admin/members/membertransfer/{transfer.pk}/change/"
    # and approves it
    assert client.post(url, {"decision": "approve", "reason": ""}).status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == MemberTransfer.Status.PENDING_IN
    # the union joined sees it and accepts
    client.force_login(staff["nanxun_admin"])
    assert "转接人" in client.get("/admin/members/membertransfer/").content.decode()
    assert client.post(url, {"decision": "approve", "reason": ""}).status_code == 302
    transfer.refresh_from_db()
    member.refresh_from_db()
    assert transfer.status == MemberTransfer.Status.COMPLETED
    assert member.union == tree.shuanglin_factory


def test_refusing_without_a_reason_shows_an_error_and_changes_nothing(client, staff, tree):
    member = MemberFactory(union=tree.zhili_factory)
    client.force_login(staff["township_admin"])
    client.post(
        "/admin/members/membertransfer/add/",
        {
            "member": member.pk,
            "to_union": tree.shuanglin_factory.pk,
            "to_enterprise": "",
            "note": "",
        },
    )
    transfer = MemberTransfer.objects.get()
    response = client.post(
        f"/admin/members/membertransfer/{transfer.pk}/change/", {"decision": "refuse", "reason": ""}
    )
    assert response.status_code == 200
    assert "请填写不同意的理由" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == MemberTransfer.Status.PENDING_OUT


def test_a_township_admin_adds_a_grassroots_union_below_it_but_not_elsewhere(client, staff, tree):
    client.force_login(staff["township_admin"])
    ok = client.post(
        "/admin/members/union/add/",
        {
            "code": "330502001G0009",
            "name": "织里新厂工会",
            "level": "grassroots",
            "parent": tree.zhili.pk,
        },
    )
    assert ok.status_code == 302
    assert ok["Location"] == "/admin/members/union/"
    union = Union.objects.get(code="330502001G0009")
    assert union.path == "330500/330502/330502001/330502001G0009/"
    bad = client.post(
        "/admin/members/union/add/",
        {
            "code": "330503002G0009",
            "name": "越权工会",
            "level": "grassroots",
            "parent": tree.shuanglin.pk,
        },
    )
    assert bad.status_code == 200  # the form comes back: 双林 is not a choice for this user
    assert not Union.objects.filter(code="330503002G0009").exists()


def test_a_grassroots_admin_cannot_change_the_tree(client, staff, tree):
    client.force_login(staff["grassroots_admin"])
    assert client.get("/admin/members/union/add/").status_code == 403


def test_a_township_cannot_be_put_under_a_township(client, staff, tree):
    client.force_login(staff["district_admin"])
    response = client.post(
        "/admin/members/union/add/",
        {"code": "330502009", "name": "错层乡镇", "level": "township", "parent": tree.zhili.pk},
    )
    assert response.status_code == 200
    assert "不能挂在" in response.content.decode()
    assert not Union.objects.filter(code="330502009").exists()
