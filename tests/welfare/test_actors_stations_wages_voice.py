"""Explicit actors in the services of stations, services, wages and voice: a member raises a
concern only as themselves (MemberActor), staff services take a staff user or the system, and
no service runs without saying who acts."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from members.actors import MemberActor, system
from members.scoping import NOT_IN_SCOPE
from tests.factories import EnterpriseFactory, MemberFactory
from welfare import services
from welfare.models import Concern, ServiceStation

pytestmark = pytest.mark.django_db


def test_a_member_raises_a_concern_only_as_a_member_actor(tree, staff):
    member = MemberFactory(union=tree.zhili_factory)
    concern = services.concern_raise(by=MemberActor(member), subject="加班", body="加班费")
    assert (concern.member, concern.union) == (member, tree.zhili_factory)
    with pytest.raises(PermissionDenied):
        services.concern_raise(by=staff["township_admin"], subject="加班", body="加班费")
    assert Concern.objects.count() == 1


def test_a_staff_service_refuses_a_member_actor_with_a_message_naming_nothing(tree):
    member = MemberFactory(union=tree.zhili_factory)
    with pytest.raises(PermissionDenied) as refused:
        services.concern_record(
            union=tree.zhili_factory,
            raised_by_name="王",
            subject="s",
            body="b",
            by=MemberActor(member),
        )
    assert str(refused.value) == str(NOT_IN_SCOPE)
    assert Concern.objects.count() == 0


def test_the_system_acts_anywhere_and_nobody_is_not_an_actor(tree):
    enterprise = EnterpriseFactory(union=tree.shuanglin_factory)
    contract = services.wage_contract_sign(
        enterprise=enterprise,
        signed_on=dt.date(2024, 1, 1),
        expires_on=dt.date(2025, 1, 1),
        employees_covered=10,
        by=system("seed_demo"),
    )
    assert contract.union == tree.shuanglin_factory
    with pytest.raises(TypeError):
        services.station_create(  # no `by`: a bug, not the system
            union=tree.zhili,
            kind="outdoor_worker",
            name="驿站",
            address="某路",
            built_on=dt.date(2024, 1, 1),
        )
    with pytest.raises(TypeError):  # None is not the system either
        services.station_create(
            union=tree.zhili,
            kind="outdoor_worker",
            name="驿站",
            address="某路",
            built_on=dt.date(2024, 1, 1),
            by=None,
        )
    assert ServiceStation.objects.count() == 0
