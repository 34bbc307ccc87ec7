"""The new-transfer form laid out for a clerk: the member found by name or phone within the
clerk's tree, the receiving union and employer found city-wide (the named `city_wide_fields`
exception), Chinese help texts and fieldsets, and an approval page that only decides, offered
only to the side whose turn it is."""

import pytest

from members.models import MemberTransfer
from members.services import transfer_approve_out, transfer_request, transfer_request_incoming
from tests.factories import EnterpriseFactory, MemberFactory, make_id_number

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = "/admin/autocomplete/"


def found(client, field: str, term: str) -> list[str]:
    response = client.get(
        AUTOCOMPLETE,
        {"app_label": "members", "model_name": "membertransfer", "field_name": field, "term": term},
    )
    assert response.status_code == 200, response.content[:500]
    return [r["text"] for r in response.json()["results"]]


def test_the_receiving_union_is_found_city_wide_and_only_among_grassroots_unions(client, staff):
    # given: a grassroots clerk whose own tree holds one union
    client.force_login(staff["grassroots_admin"])

    # then: a grassroots union in another district is offered, townships and districts are not
    assert found(client, "to_union", "双林") == ["双林纺织厂工会"]
    assert "南浔区总工会" not in found(client, "to_union", "南浔")


def test_the_receiving_enterprise_is_found_city_wide(client, staff, tree):
    EnterpriseFactory(name="双林纺织有限公司", union=tree.shuanglin_factory)
    client.force_login(staff["grassroots_admin"])
    assert found(client, "to_enterprise", "双林纺织") == ["双林纺织有限公司"]


def test_the_member_is_found_by_name_or_phone_only_within_the_clerks_tree(client, staff, tree):
    MemberFactory(union=tree.zhili_factory, name="沈小梅", phone="13905720001")
    MemberFactory(union=tree.shuanglin_factory, name="沈小兰", phone="13905720002")
    client.force_login(staff["township_admin"])

    by_name = found(client, "member", "沈小")
    by_phone = found(client, "member", "13905720001")
    other_district = found(client, "member", "13905720002")

    assert [t.split("（")[0] for t in by_name] == ["沈小梅"]
    assert [t.split("（")[0] for t in by_phone] == ["沈小梅"]
    assert other_district == []


def test_the_new_transfer_form_is_laid_out_for_a_clerk(client, staff):
    client.force_login(staff["township_admin"])
    html = client.get("/admin/members/membertransfer/add/").content.decode()

    for heading in ("转出：本工会的会员调走", "转入：外单位会员调来本工会", "转到哪里", "备注"):
        assert heading in html
    assert "输入姓名或手机号码查找" in html
    assert "全市任一基层工会" in html
    assert "全市任一企业" in html
    # all three references are autocompletes, none a raw id box or a city-long dropdown
    for field in ("member", "to_union", "to_enterprise"):
        assert f'data-field-name="{field}"' in html
    assert "vForeignKeyRawIdAdminField" not in html


def test_the_approval_page_offers_only_the_decision(client, staff, tree):
    member = MemberFactory(union=tree.zhili_factory, name="转接人")
    client.force_login(staff["township_admin"])
    client.post(
        "/admin/members/membertransfer/add/",
        {"member": member.pk, "to_union": tree.shuanglin_factory.pk, "note": ""},
    )
    transfer = MemberTransfer.objects.get()

    html = client.get(f"/admin/members/membertransfer/{transfer.pk}/change/").content.decode()

    assert "审批" in html and "谁从哪里转到哪里" in html
    assert 'name="_addanother"' not in html
    assert 'name="_continue"' not in html
    assert 'name="_save"' in html


def test_the_receiving_union_reads_a_transfer_the_sending_union_has_not_approved(
    client, staff, tree
):
    # given: 南浔's clerk asks for a 织里 member by ID number and name; 织里 has not decided
    number = make_id_number()
    MemberFactory(union=tree.zhili_factory, name="转接人", id_number=number)
    transfer = transfer_request_incoming(
        id_number=number,
        name="转接人",
        to_union=tree.shuanglin_factory,
        to_enterprise=None,
        note="",
        by=staff["nanxun_admin"],
    )
    client.force_login(staff["nanxun_admin"])
    url = f"/admin/members/membertransfer/{transfer.pk}/change/"

    # when
    html = client.get(url).content.decode()

    # then: the page says whose turn it is and offers no decision
    assert "转出工会尚未审批" in html
    assert 'name="decision"' not in html and 'name="_save"' not in html
    assert "转接人" not in html  # still nothing of the member before 织里 lets them go

    # and a decision posted anyway is refused, changing nothing
    assert client.post(url, {"decision": "approve", "reason": ""}).status_code == 403
    transfer.refresh_from_db()
    assert transfer.status == MemberTransfer.Status.PENDING_OUT

    # when: 织里 lets the member go, 南浔's page becomes the acceptance
    transfer_approve_out(transfer=transfer, by=staff["township_admin"])
    html = client.get(url).content.decode()
    assert 'name="decision"' in html and "转出工会尚未审批" not in html


def test_the_sending_union_reads_a_transfer_waiting_for_the_receiving_union(client, staff, tree):
    member = MemberFactory(union=tree.zhili_factory, name="转接人")
    transfer = transfer_request(
        member=member,
        to_union=tree.shuanglin_factory,
        to_enterprise=None,
        note="",
        by=staff["township_admin"],
    )
    transfer_approve_out(transfer=transfer, by=staff["township_admin"])
    client.force_login(staff["township_admin"])

    html = client.get(f"/admin/members/membertransfer/{transfer.pk}/change/").content.decode()

    assert "等待转入工会接收" in html
    assert 'name="decision"' not in html and 'name="_save"' not in html
