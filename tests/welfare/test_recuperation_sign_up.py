"""A member signs themselves up for a recuperation programme (疗休养报名) from the portal: first
come first served within the places (名额), only on programmes organised for their union, once,
and two members taking the last place at the same moment get one place between them."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from members.actors import SYSTEM, MemberActor
from tests.concurrency import race
from tests.factories import MemberFactory
from welfare import services
from welfare.models import RecuperationParticipant, RecuperationProgramme

pytestmark = pytest.mark.django_db

INSERT_PARTICIPANT = re.compile(r'^INSERT INTO "welfare_recuperationparticipant"')


def programme(union, capacity, *, starts_in_days=30):
    starts = timezone.localdate() + dt.timedelta(days=starts_in_days)
    return RecuperationProgramme.objects.create(
        union=union,
        kind=RecuperationProgramme.Kind.INCLUSIVE,
        name="普惠性疗休养第1批",
        destination="安吉",
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=4),
        capacity=capacity,
    )


def test_a_member_signs_up_for_a_programme_of_a_union_above_theirs(tree):
    # given: a district programme, a member of a factory below it
    offered = programme(tree.wuxing, capacity=2)
    member = MemberFactory(union=tree.zhili_factory)
    # when
    place = services.recuperation_sign_up(programme=offered, by=MemberActor(member))
    # then
    assert place.member == member
    assert place.union == tree.zhili_factory
    assert list(offered.participants.all()) == [place]


def test_the_last_place_taken_refuses_the_next_member_and_adds_nothing(tree):
    # given: one place, taken
    offered = programme(tree.wuxing, capacity=1)
    services.recuperation_sign_up(
        programme=offered, by=MemberActor(MemberFactory(union=tree.zhili_factory))
    )
    late = MemberFactory(union=tree.zhili_factory)
    # when / then
    with pytest.raises(ValidationError, match="名额（1人）已满"):
        services.recuperation_sign_up(programme=offered, by=MemberActor(late))
    assert offered.participants.count() == 1
    assert not RecuperationParticipant.objects.filter(member=late).exists()


def test_signing_up_twice_is_refused(tree):
    offered = programme(tree.wuxing, capacity=5)
    member = MemberFactory(union=tree.zhili_factory)
    services.recuperation_sign_up(programme=offered, by=MemberActor(member))
    with pytest.raises(ValidationError, match="已在该疗休养名单中"):
        services.recuperation_sign_up(programme=offered, by=MemberActor(member))
    assert offered.participants.count() == 1


def test_a_programme_of_another_district_is_refused(tree):
    # given: a programme organised by 织里 township; a member outside it
    elsewhere = programme(tree.zhili, capacity=5)
    outsider = MemberFactory(union=tree.nanxun)
    # when / then
    with pytest.raises(ValidationError, match="不在您可报名的范围内"):
        services.recuperation_sign_up(programme=elsewhere, by=MemberActor(outsider))
    assert elsewhere.participants.count() == 0


def test_a_programme_already_started_is_refused(tree):
    started = programme(tree.wuxing, capacity=5, starts_in_days=0)
    with pytest.raises(ValidationError, match="已开始"):
        services.recuperation_sign_up(
            programme=started, by=MemberActor(MemberFactory(union=tree.zhili_factory))
        )
    assert started.participants.count() == 0


def test_only_a_member_may_sign_themselves_up(tree, staff):
    offered = programme(tree.wuxing, capacity=5)
    for actor in (staff["district_admin"], SYSTEM):
        with pytest.raises(PermissionDenied):
            services.recuperation_sign_up(programme=offered, by=actor)
    assert offered.participants.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_members_taking_the_last_place_at_once_get_one_place(tree):
    # given: one place left
    offered = programme(tree.wuxing, capacity=1)
    first = MemberFactory(union=tree.zhili_factory)
    second = MemberFactory(union=tree.zhili_factory)

    def sign_up(member):
        return lambda: services.recuperation_sign_up(programme=offered, by=MemberActor(member))

    # when: the second arrives while the first is about to write its place, holding the
    # programme's lock (without the lock, the second would count no participant and insert too)
    results = race(sign_up(first), sign_up(second), at=INSERT_PARTICIPANT)
    # then: one place, one clear refusal
    assert isinstance(results[0], RecuperationParticipant), results
    assert isinstance(results[1], ValidationError), results
    assert "名额（1人）已满" in str(results[1])
    assert RecuperationParticipant.objects.filter(programme=offered).count() == 1
