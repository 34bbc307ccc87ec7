"""Figures counted in persons (人) count a worker once, even one who left and rejoined and so has
two membership rows under one ID number."""

import datetime as dt

import pytest

from common.figures import load_all
from members.models import Member
from skills.models import SkillCertification
from tests.factories import MemberFactory, make_id_number
from welfare.models import RecuperationParticipant, RecuperationProgramme, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def rejoined(tree):
    """One person: a membership that ended in March 2024 and a new one from April."""
    number = make_id_number()
    first = MemberFactory(
        union=tree.zhili_factory,
        id_number=number,
        name="再入会",
        joined_on=dt.date(2020, 1, 1),
        status=Member.Status.LEFT,
        left_on=dt.date(2024, 3, 31),
    )
    second = MemberFactory(
        union=tree.balidian_factory, id_number=number, name="再入会", joined_on=dt.date(2024, 4, 1)
    )
    other = MemberFactory(union=tree.balidian_factory, name="另一人")
    return first, second, other


def test_a_worker_visited_under_two_memberships_counts_once(tree, rejoined):
    # given: the same person visited once under each membership, and one other worker
    for member in rejoined:
        Visit.objects.create(
            member=member,
            union=member.union,
            visited_on=dt.date(2024, 6, 1),
            occasion=Visit.Occasion.SUMMER,
            visitor="市总工会",
            frontline=True,
        )
    # when
    figure = load_all()["hardship_workers_visited"]
    # then: two persons, and the drill-down lists the later membership
    assert figure.compute(year=2024, union=tree.city) == 2
    assert set(figure.records(year=2024, union=tree.city)) == {rejoined[1], rejoined[2]}


def test_a_worker_on_recuperation_under_two_memberships_counts_once(tree, rejoined):
    programme = RecuperationProgramme.objects.create(
        union=tree.wuxing,
        kind=RecuperationProgramme.Kind.INCLUSIVE,
        name="普惠疗休养",
        destination="安吉",
        starts_on=dt.date(2024, 5, 1),
        ends_on=dt.date(2024, 5, 5),
    )
    second_programme = RecuperationProgramme.objects.create(
        union=tree.wuxing,
        kind=RecuperationProgramme.Kind.INCLUSIVE,
        name="普惠疗休养二期",
        destination="德清",
        starts_on=dt.date(2024, 9, 1),
        ends_on=dt.date(2024, 9, 5),
    )
    RecuperationParticipant.objects.create(
        programme=programme, member=rejoined[0], union=rejoined[0].union
    )
    RecuperationParticipant.objects.create(
        programme=second_programme, member=rejoined[1], union=rejoined[1].union
    )
    RecuperationParticipant.objects.create(
        programme=programme, member=rejoined[2], union=rejoined[2].union
    )
    assert load_all()["recuperation_participants"].compute(year=2024, union=tree.city) == 2


def test_a_worker_certified_under_two_memberships_counts_once(tree, rejoined):
    for i, member in enumerate(rejoined):
        SkillCertification.objects.create(
            member=member,
            union=member.union,
            level=SkillCertification.Level.LEVEL4,
            occupation=f"工种{i}",
            certified_on=dt.date(2024, 6, 1 + i),
        )
    assert load_all()["new_skilled_talents"].compute(year=2024, union=tree.city) == 2
