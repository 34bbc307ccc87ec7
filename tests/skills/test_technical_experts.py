"""Awarding 技术能手 to a competition's top entrants is one service call: ties at the cut-off
qualify, a second call adds nothing, and the database allows one title of a kind per person per
year."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from members.actors import SYSTEM
from skills import services
from skills.models import Honour
from tests.concurrency import race
from tests.factories import MemberFactory
from tests.skills.factories import CompetitionFactory, HonourFactory, scored

pytestmark = pytest.mark.django_db

EXPERT = Honour.Kind.TECHNICAL_EXPERT
INSERT_HONOUR = re.compile(r'^INSERT INTO "skills_honour"')


def test_top_n_are_named_with_ties_at_the_cut_off(tree, staff):
    # given: ranks 1, 2, 2, 4
    competition = CompetitionFactory(union=tree.wuxing)
    entries = scored(competition, tree.zhili_factory, ["95", "90", "90", "80"])
    # when
    created = services.technical_experts_award(
        competition=competition, top_n=2, by=staff["district_admin"]
    )
    # then
    assert len(created) == 3
    honours = Honour.objects.filter(kind=EXPERT)
    assert {h.member_id for h in honours} == {e.member_id for e in entries[:3]}
    assert {(h.year, h.competition_id, h.union_id) for h in honours} == {
        (2024, competition.pk, tree.zhili_factory.pk)
    }


def test_awarding_twice_adds_nothing(tree):
    # given
    competition = CompetitionFactory(union=tree.wuxing)
    scored(competition, tree.zhili_factory, ["95", "90", "85"])
    services.technical_experts_award(competition=competition, top_n=2, by=SYSTEM)
    # when
    again = services.technical_experts_award(competition=competition, top_n=2, by=SYSTEM)
    # then
    assert again == []
    assert Honour.objects.filter(kind=EXPERT).count() == 2


def test_a_person_already_named_that_year_is_skipped(tree):
    # given: the winner already holds the 2024 title from another competition
    competition = CompetitionFactory(union=tree.wuxing)
    winner, runner_up = scored(competition, tree.zhili_factory, ["95", "90"])
    HonourFactory(member=winner.member, kind=EXPERT, year=2024)
    # when
    created = services.technical_experts_award(competition=competition, top_n=2, by=SYSTEM)
    # then
    assert [h.member_id for h in created] == [runner_up.member_id]
    assert Honour.objects.filter(kind=EXPERT, member=winner.member).count() == 1


def test_the_year_follows_the_end_of_a_competition_spanning_new_year(tree):
    # given
    import datetime as dt

    competition = CompetitionFactory(
        union=tree.wuxing, start_date=dt.date(2024, 12, 28), end_date=dt.date(2025, 1, 3)
    )
    scored(competition, tree.zhili_factory, ["95"])
    # when
    created = services.technical_experts_award(competition=competition, top_n=1, by=SYSTEM)
    # then
    assert created[0].year == 2025


def test_a_competition_without_scores_is_refused_and_nothing_is_named(tree):
    # given
    competition = CompetitionFactory(union=tree.wuxing)
    scored(competition, tree.zhili_factory, [None, None])
    # when / then
    with pytest.raises(ValidationError):
        services.technical_experts_award(competition=competition, top_n=3, by=SYSTEM)
    assert Honour.objects.count() == 0


@pytest.mark.parametrize("who", ["nanxun_admin", "leadership"])
def test_out_of_tree_or_read_only_staff_are_refused(tree, staff, who):
    # given
    competition = CompetitionFactory(union=tree.wuxing)
    scored(competition, tree.zhili_factory, ["95"])
    # when / then
    with pytest.raises(PermissionDenied):
        services.technical_experts_award(competition=competition, top_n=1, by=staff[who])
    assert Honour.objects.count() == 0


def test_the_database_allows_one_title_of_a_kind_per_person_per_year(tree):
    # given
    member = MemberFactory(union=tree.zhili_factory)
    HonourFactory(member=member, kind=EXPERT, year=2024)
    # when / then
    with pytest.raises(IntegrityError):
        HonourFactory(member=member, kind=EXPERT, year=2024)


@pytest.mark.django_db(transaction=True)
def test_two_clerks_awarding_at_once_name_each_entrant_once(tree):
    # given: a ranked competition (so awarding writes nothing before the titles themselves)
    competition = CompetitionFactory(union=tree.wuxing)
    scored(competition, tree.zhili_factory, [str(Decimal(90 - i)) for i in range(6)])
    services.competition_rank(competition=competition, by=SYSTEM)

    def award():
        return len(services.technical_experts_award(competition=competition, top_n=5, by=SYSTEM))

    # when: the second clerk arrives while the first is about to write the titles, holding the
    # competition's lock
    results = race(award, award, at=INSERT_HONOUR)
    # then
    assert not any(isinstance(r, BaseException) for r in results), results
    assert sorted(results) == [0, 5]
    assert Honour.objects.filter(kind=EXPERT).count() == 5
