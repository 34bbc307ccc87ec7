"""What the portal calls for a member: entering a competition and submitting a golden idea."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from members.actors import MemberActor
from skills import services
from skills.models import CompetitionEntry, GoldenIdea
from skills.selectors import member_competitions_open
from tests.factories import MemberFactory
from tests.skills.factories import CompetitionFactory, IdeaFactory

pytestmark = pytest.mark.django_db


def open_competition(union, **kwargs):
    today = timezone.localdate()
    return CompetitionFactory(
        union=union, start_date=today, end_date=today + dt.timedelta(days=10), **kwargs
    )


def test_a_member_enters_a_competition_of_a_union_above_them(tree):
    # given
    competition = open_competition(tree.wuxing)
    member = MemberFactory(union=tree.zhili_factory)
    # when
    entry = services.competition_enter(
        competition=competition, member=member, by=MemberActor(member)
    )
    # then
    assert (entry.member, entry.union, entry.score, entry.rank) == (
        member,
        tree.zhili_factory,
        None,
        None,
    )
    assert list(member_competitions_open(member=member, on=timezone.localdate())) == []


def test_entering_twice_is_refused_and_keeps_one_entry(tree):
    # given
    competition = open_competition(tree.wuxing)
    member = MemberFactory(union=tree.zhili_factory)
    services.competition_enter(competition=competition, member=member, by=MemberActor(member))
    # when / then
    with pytest.raises(ValidationError, match="已报名"):
        services.competition_enter(competition=competition, member=member, by=MemberActor(member))
    assert CompetitionEntry.objects.count() == 1


def test_a_competition_that_is_over_takes_no_entries(tree):
    # given
    competition = CompetitionFactory(
        union=tree.wuxing, start_date=dt.date(2024, 5, 1), end_date=dt.date(2024, 5, 2)
    )
    member = MemberFactory(union=tree.zhili_factory)
    # when / then
    with pytest.raises(ValidationError, match="已于2024-05-02结束"):
        services.competition_enter(competition=competition, member=member, by=MemberActor(member))
    assert CompetitionEntry.objects.count() == 0


def test_a_member_from_beside_the_organisers_tree_may_not_enter(tree):
    # given: a 吴兴 district competition, a 南浔 member
    competition = open_competition(tree.wuxing)
    member = MemberFactory(union=tree.shuanglin_factory)
    # when / then
    with pytest.raises(ValidationError, match="不属于“吴兴区总工会”"):
        services.competition_enter(competition=competition, member=member, by=MemberActor(member))
    assert CompetitionEntry.objects.count() == 0


def test_a_member_who_left_may_not_enter(tree):
    # given
    competition = open_competition(tree.city)
    member = MemberFactory(union=tree.zhili_factory, status="left", left_on=dt.date(2024, 1, 1))
    # when / then
    with pytest.raises(ValidationError, match="已离会"):
        services.competition_enter(competition=competition, member=member, by=MemberActor(member))
    assert CompetitionEntry.objects.count() == 0


def test_staff_may_enter_only_members_of_their_tree(tree, staff):
    # given
    competition = open_competition(tree.city)
    member = MemberFactory(union=tree.shuanglin_factory)
    # when / then
    with pytest.raises(PermissionDenied, match="不存在或不在您的管辖范围内") as caught:
        services.entry_record(competition=competition, member=member, by=staff["township_admin"])
    assert member.name not in str(caught.value)
    assert CompetitionEntry.objects.count() == 0


def test_a_member_enters_only_for_themselves_and_staff_not_through_the_portal(tree, staff):
    # given
    competition = open_competition(tree.city)
    member = MemberFactory(union=tree.zhili_factory)
    other = MemberFactory(union=tree.zhili_factory)
    # when / then
    with pytest.raises(ValidationError, match="只能为本人报名"):
        services.competition_enter(competition=competition, member=other, by=MemberActor(member))
    with pytest.raises(PermissionDenied, match="会员本人"):
        services.competition_enter(
            competition=competition, member=member, by=staff["township_admin"]
        )
    with pytest.raises(PermissionDenied, match="会员本人"):
        services.golden_idea_submit(member=member, title="t", content="c", by=staff["city_admin"])
    assert CompetitionEntry.objects.count() == 0
    assert GoldenIdea.objects.count() == 0


def test_a_member_submits_a_golden_idea(tree):
    # given
    member = MemberFactory(union=tree.zhili_factory)
    # when
    idea = services.golden_idea_submit(
        member=member,
        title=" 缩短换模时间 ",
        content="用快速夹具",
        submitted_on=dt.date(2024, 3, 1),
        by=MemberActor(member),
    )
    # then
    assert (idea.title, idea.union, idea.status, idea.submitted_on) == (
        "缩短换模时间",
        tree.zhili_factory,
        GoldenIdea.Status.SUBMITTED,
        dt.date(2024, 3, 1),
    )


def test_an_empty_golden_idea_is_refused(tree):
    # given
    member = MemberFactory(union=tree.zhili_factory)
    # when / then
    with pytest.raises(ValidationError) as caught:
        services.golden_idea_submit(member=member, title="", content="  ", by=MemberActor(member))
    assert set(caught.value.message_dict) == {"title", "content"}
    assert GoldenIdea.objects.count() == 0


def test_an_idea_is_adopted_then_implemented_but_never_reopened(tree, staff):
    # given
    idea = IdeaFactory(member=MemberFactory(union=tree.zhili_factory))
    by = staff["township_admin"]
    # when
    services.golden_idea_set_status(idea=idea, status="adopted", by=by)
    services.golden_idea_set_status(idea=idea, status="implemented", by=by)
    # then
    with pytest.raises(ValidationError, match="已实施"):
        services.golden_idea_set_status(idea=idea, status="declined", by=by)
    idea.refresh_from_db()
    assert idea.status == "implemented"


def test_the_portal_reads_a_members_own_entries_titles_and_ideas(tree):
    # given
    from skills.selectors import member_entries, member_honours, member_ideas
    from tests.skills.factories import EntryFactory, HonourFactory

    member = MemberFactory(union=tree.zhili_factory)
    other = MemberFactory(union=tree.zhili_factory)
    entry = EntryFactory(competition=CompetitionFactory(union=tree.wuxing), member=member)
    EntryFactory(competition=entry.competition, member=other)
    honour = HonourFactory(member=member)
    HonourFactory(member=other)
    idea = IdeaFactory(member=member)
    # when / then
    assert list(member_entries(member=member)) == [entry]
    assert list(member_honours(member=member)) == [honour]
    assert list(member_ideas(member=member)) == [idea]
