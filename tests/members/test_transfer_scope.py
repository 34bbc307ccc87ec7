"""Transfers across the tree (issue 10): the union left starts a transfer of its own member by
id; the union joined starts one by full ID number and name in a POST body and sees nothing of
the member until the union left approves; a wrong pair answers like an unknown number."""

import pytest

from members.models import MemberTransfer
from tests.factories import EnterpriseFactory, MemberFactory, make_id_number

pytestmark = pytest.mark.django_db

URL = "/api/v1/members/transfers/"
NOT_IN_SCOPE = ["不存在或不在您的管辖范围内。"]


@pytest.fixture
def worker(tree):
    number = make_id_number()
    member = MemberFactory(
        id_number=number,
        name="钱小红",
        union=tree.zhili_factory,
        enterprise=EnterpriseFactory(union=tree.zhili_factory, name="织里童装厂"),
    )
    member.plain_id = number
    return member


def test_a_transfer_by_id_of_another_districts_member_is_refused_like_a_missing_id(
    tree, staff, api, worker
):
    # given: 南浔 names 织里's member by id, choosing its own union as the one joined
    client = api(staff["nanxun_admin"])

    # when
    outside = client.post(
        URL, {"member": worker.pk, "to_union": tree.shuanglin_factory.code}, format="json"
    )
    missing = client.post(
        URL, {"member": 999999, "to_union": tree.shuanglin_factory.code}, format="json"
    )

    # then
    assert outside.status_code == missing.status_code == 400
    assert outside.data == missing.data == {"member": NOT_IN_SCOPE}
    assert "钱小红" not in outside.content.decode()
    assert MemberTransfer.objects.count() == 0


def test_the_union_left_starts_a_transfer_of_its_own_member_by_id(tree, staff, api, worker):
    response = api(staff["township_admin"]).post(
        URL, {"member": worker.pk, "to_union": tree.shuanglin_factory.code}, format="json"
    )
    assert response.status_code == 201
    assert response.data["member_name"] == "钱小红"
    assert response.data["status"] == MemberTransfer.Status.PENDING_OUT
    assert MemberTransfer.objects.get().requested_by == staff["township_admin"]


def test_the_union_joined_starts_by_id_number_and_name_and_sees_nothing_until_approved(
    tree, staff, api, worker
):
    # given
    receiving = api(staff["nanxun_admin"])

    # when
    created = receiving.post(
        URL,
        {"id_number": worker.plain_id, "name": "钱小红", "to_union": tree.shuanglin_factory.code},
        format="json",
    )

    # then: the transfer exists, the answer and the receiving side's views show no member
    assert created.status_code == 201
    transfer = MemberTransfer.objects.get()
    assert transfer.member == worker
    assert transfer.status == MemberTransfer.Status.PENDING_OUT
    listed = receiving.get(URL).content.decode()
    detail = receiving.get(f"{URL}{transfer.pk}/")
    for body in (created.content.decode(), listed, detail.content.decode()):
        assert "钱小红" not in body
        assert worker.id_number_masked not in body
        assert tree.zhili_factory.name not in body
        assert "织里童装厂" not in body
    assert detail.data["member"] is None
    assert detail.data["from_union"] is None

    # when: the union left sees who it is and lets them go
    sending = api(staff["township_admin"])
    assert sending.get(f"{URL}{transfer.pk}/").data["member_name"] == "钱小红"
    approved = sending.post(f"{URL}{transfer.pk}/approve/")

    # then: now the union joined sees the member, and takes them in
    assert approved.status_code == 200
    assert receiving.get(f"{URL}{transfer.pk}/").data["member_name"] == "钱小红"
    accepted = receiving.post(f"{URL}{transfer.pk}/approve/")
    assert accepted.data["status"] == MemberTransfer.Status.COMPLETED
    worker.refresh_from_db()
    assert worker.union == tree.shuanglin_factory


def test_a_wrong_name_answers_exactly_like_an_unknown_id_number(tree, staff, api, worker):
    client = api(staff["nanxun_admin"])
    wrong_name = client.post(
        URL,
        {"id_number": worker.plain_id, "name": "钱小绿", "to_union": tree.shuanglin_factory.code},
        format="json",
    )
    unknown = client.post(
        URL,
        {"id_number": make_id_number(), "name": "钱小红", "to_union": tree.shuanglin_factory.code},
        format="json",
    )
    assert wrong_name.status_code == unknown.status_code == 400
    assert wrong_name.data == unknown.data
    assert MemberTransfer.objects.count() == 0


def test_the_receiving_union_is_chosen_city_wide_but_must_be_the_requesters_for_an_incoming(
    tree, staff, api, worker
):
    # 吴兴 may not open an incoming transfer into a 南浔 union by a person's ID number
    response = api(staff["district_admin"]).post(
        URL,
        {"id_number": worker.plain_id, "name": "钱小红", "to_union": tree.shuanglin_factory.code},
        format="json",
    )
    assert response.status_code == 403
    assert response.data["detail"] == NOT_IN_SCOPE[0]
    assert MemberTransfer.objects.count() == 0


def test_admin_add_page_renders_no_name_for_an_out_of_scope_member(client, tree, staff, worker):
    client.force_login(staff["nanxun_admin"])
    page = client.get(f"/admin/members/membertransfer/add/?member={worker.pk}")
    assert page.status_code == 200
    assert "钱小红" not in page.content.decode()
    assert worker.id_number_masked not in page.content.decode()


def test_admin_refuses_a_posted_out_of_scope_member_and_writes_nothing(client, tree, staff, worker):
    client.force_login(staff["nanxun_admin"])
    response = client.post(
        "/admin/members/membertransfer/add/",
        {"member": worker.pk, "to_union": tree.shuanglin_factory.pk, "note": ""},
    )
    assert response.status_code == 200  # the form again, with the error
    body = response.content.decode()
    assert "不存在或不在您的管辖范围内" in body
    assert "钱小红" not in body
    assert MemberTransfer.objects.count() == 0


def test_admin_incoming_transfer_by_id_number_and_name_hides_the_member(
    client, tree, staff, worker
):
    # given
    client.force_login(staff["nanxun_admin"])

    # when
    response = client.post(
        "/admin/members/membertransfer/add/",
        {
            "id_number": worker.plain_id,
            "person_name": "钱小红",
            "to_union": tree.shuanglin_factory.pk,
            "note": "",
        },
        follow=True,
    )

    # then: saved, back on the list, and neither the list nor the change page names the member
    assert response.redirect_chain[-1][0] == "/admin/members/membertransfer/"
    transfer = MemberTransfer.objects.get()
    assert transfer.member == worker
    assert "钱小红" not in response.content.decode()
    change = client.get(f"/admin/members/membertransfer/{transfer.pk}/change/")
    assert change.status_code == 200
    assert "钱小红" not in change.content.decode()
    assert worker.id_number_masked not in change.content.decode()
