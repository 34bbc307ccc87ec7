import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members.actors import system
from members.models import Member, MemberTransfer
from members.services import (
    transfer_accept_in,
    transfer_approve_out,
    transfer_refuse,
    transfer_request,
)
from tests.factories import EnterpriseFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(tree):
    return MemberFactory(
        union=tree.zhili_factory, enterprise=EnterpriseFactory(union=tree.zhili_factory)
    )


def test_a_transfer_moves_the_member_after_both_unions_agree(tree, staff, member):
    # given: 南浔's new employer
    new_employer = EnterpriseFactory(union=tree.shuanglin_factory)
    # when: 织里 asks, 织里 lets go, 南浔 takes in
    transfer = transfer_request(
        member=member,
        to_union=tree.shuanglin_factory,
        to_enterprise=new_employer,
        by=staff["township_admin"],
    )
    transfer = transfer_approve_out(transfer=transfer, by=staff["township_admin"])
    member.refresh_from_db()
    assert member.union == tree.zhili_factory  # not moved until the union joined accepts
    transfer = transfer_accept_in(transfer=transfer, by=staff["nanxun_admin"])
    # then
    member.refresh_from_db()
    assert member.union == tree.shuanglin_factory
    assert member.enterprise == new_employer
    assert transfer.status == MemberTransfer.Status.COMPLETED
    assert transfer.from_union == tree.zhili_factory
    assert transfer.requested_by == staff["township_admin"]
    assert transfer.out_decided_by == staff["township_admin"]
    assert transfer.in_decided_by == staff["nanxun_admin"]
    assert transfer.out_decided_at <= transfer.in_decided_at


def test_the_union_joined_cannot_approve_the_move_out(tree, staff, member):
    transfer = transfer_request(
        member=member, to_union=tree.shuanglin_factory, by=staff["township_admin"]
    )
    with pytest.raises(PermissionDenied):
        transfer_approve_out(transfer=transfer, by=staff["nanxun_admin"])
    transfer.refresh_from_db()
    assert transfer.status == MemberTransfer.Status.PENDING_OUT


def test_accepting_before_the_move_out_is_approved_is_refused(tree, staff, member):
    transfer = transfer_request(
        member=member, to_union=tree.shuanglin_factory, by=staff["township_admin"]
    )
    with pytest.raises(ValidationError):
        transfer_accept_in(transfer=transfer, by=staff["nanxun_admin"])
    member.refresh_from_db()
    assert member.union == tree.zhili_factory


def test_the_union_left_may_refuse_with_a_reason(tree, staff, member):
    transfer = transfer_request(
        member=member, to_union=tree.shuanglin_factory, by=staff["township_admin"]
    )
    with pytest.raises(ValidationError):
        transfer_refuse(transfer=transfer, reason="  ", by=staff["township_admin"])
    transfer = transfer_refuse(transfer=transfer, reason="会费未结清", by=staff["township_admin"])
    assert transfer.status == MemberTransfer.Status.REFUSED_OUT
    assert transfer.refusal_reason == "会费未结清"
    assert transfer.out_decided_by == staff["township_admin"]
    member.refresh_from_db()
    assert member.union == tree.zhili_factory


def test_the_union_joined_may_refuse_with_a_reason(tree, staff, member):
    transfer = transfer_request(
        member=member, to_union=tree.shuanglin_factory, by=staff["township_admin"]
    )
    transfer = transfer_approve_out(transfer=transfer, by=staff["township_admin"])
    transfer = transfer_refuse(
        transfer=transfer, reason="查无此人入职记录", by=staff["nanxun_admin"]
    )
    assert transfer.status == MemberTransfer.Status.REFUSED_IN
    assert transfer.in_decided_by == staff["nanxun_admin"]
    member.refresh_from_db()
    assert member.union == tree.zhili_factory


def test_only_one_open_transfer_per_member(tree, staff, member):
    transfer_request(member=member, to_union=tree.shuanglin_factory, by=staff["township_admin"])
    with pytest.raises(ValidationError):
        transfer_request(member=member, to_union=tree.balidian_factory, by=staff["township_admin"])
    assert MemberTransfer.objects.count() == 1


def test_a_clerk_party_to_neither_side_cannot_open_a_transfer(tree, staff):
    member = MemberFactory(union=tree.balidian_factory)
    with pytest.raises(PermissionDenied):
        transfer_request(member=member, to_union=tree.shuanglin_factory, by=staff["township_admin"])
    assert MemberTransfer.objects.count() == 0


def test_a_member_who_left_cannot_be_transferred(tree):
    member = MemberFactory(union=tree.zhili_factory)
    Member.objects.filter(pk=member.pk).update(status=Member.Status.LEFT, left_on="2024-01-01")
    with pytest.raises(ValidationError):
        transfer_request(member=member, to_union=tree.shuanglin_factory, by=system("test"))
    assert MemberTransfer.objects.count() == 0
