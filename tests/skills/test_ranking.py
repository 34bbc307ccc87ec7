"""Ranks follow from scores by standard competition ranking: equal scores share a rank and the
next rank skips (100, 100, 90 → 1, 1, 3); a higher score is better; no score, no rank."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from members.actors import SYSTEM
from skills import services
from skills.models import CompetitionEntry
from skills.services import standard_competition_ranks
from tests.skills.factories import CompetitionFactory, scored

pytestmark = pytest.mark.django_db


def test_standard_competition_ranking_shares_ties_and_skips():
    # given
    scores = [Decimal(x) for x in ("98.5", "98.5", "90", "90", "90", "70")]
    # when
    ranks = standard_competition_ranks(scores)
    # then
    assert ranks == [1, 1, 3, 3, 3, 6]


def test_competition_rank_orders_by_score_and_leaves_unscored_unranked(tree):
    # given
    competition = CompetitionFactory(union=tree.wuxing)
    a, b, c, d, e = scored(competition, tree.zhili_factory, ["88", "95.5", "88", None, "60"])
    # when
    ranked = services.competition_rank(competition=competition, by=SYSTEM)
    # then
    assert ranked == 4
    ranks = dict(CompetitionEntry.objects.values_list("pk", "rank"))
    assert [ranks[x.pk] for x in (a, b, c, d, e)] == [2, 1, 2, None, 4]


def test_changing_a_score_reranks_the_competition(tree, staff):
    # given
    competition = CompetitionFactory(union=tree.wuxing)
    first, second = scored(competition, tree.zhili_factory, ["90", "80"])
    services.competition_rank(competition=competition, by=SYSTEM)
    # when
    entry = services.entry_set_result(
        entry=second, score=Decimal("99"), award="first", by=staff["district_admin"]
    )
    # then
    assert entry.rank == 1
    first.refresh_from_db()
    assert first.rank == 2
    assert entry.award == "first"


def test_ranking_is_refused_outside_the_clerks_tree_and_changes_nothing(tree, staff):
    # given
    competition = CompetitionFactory(union=tree.wuxing)
    scored(competition, tree.zhili_factory, ["90", "80"])
    # when / then
    with pytest.raises(PermissionDenied):
        services.competition_rank(competition=competition, by=staff["nanxun_admin"])
    assert list(CompetitionEntry.objects.values_list("rank", flat=True)) == [None, None]


def test_leadership_may_not_rank(tree, staff):
    # given
    competition = CompetitionFactory(union=tree.wuxing)
    scored(competition, tree.zhili_factory, ["90"])
    # when / then
    with pytest.raises(PermissionDenied):
        services.competition_rank(competition=competition, by=staff["leadership"])
    assert CompetitionEntry.objects.get().rank is None
