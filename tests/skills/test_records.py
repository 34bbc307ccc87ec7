"""Honours, certifications, sessions and the plain records, written through the services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members.actors import SYSTEM
from skills import services
from skills.models import CraftsmanAcademy, Honour, SkillCertification, SkillSession
from tests.factories import EnterpriseFactory, MemberFactory

pytestmark = pytest.mark.django_db
K = Honour.Kind


def test_a_personal_title_is_counted_under_the_members_union(tree, staff):
    # given
    member = MemberFactory(union=tree.zhili_factory)
    # when
    honour = services.honour_award(
        kind=K.ZHEJIANG_CRAFTSMAN,
        year=2024,
        awarding_body="浙江省人民政府",
        member=member,
        by=staff["district_admin"],
    )
    # then
    assert (honour.union, honour.member, honour.collective_name) == (
        tree.zhili_factory,
        member,
        "",
    )


def test_a_collective_honour_goes_to_an_enterprise_or_team_not_a_person(tree):
    # given
    enterprise = EnterpriseFactory(union=tree.balidian_factory)
    # when
    honour = services.honour_award(
        kind=K.PIONEER_TEAM,
        year=2024,
        awarding_body="中华全国总工会",
        collective_name="电机厂装配班组",
        enterprise=enterprise,
        by=SYSTEM,
    )
    # then
    assert (honour.union, honour.is_collective) == (tree.balidian_factory, True)
    with pytest.raises(ValidationError) as caught:
        services.honour_award(
            kind=K.PIONEER_TEAM,
            year=2024,
            awarding_body="中华全国总工会",
            member=MemberFactory(union=tree.zhili_factory),
            by=SYSTEM,
        )
    assert "集体称号" in str(caught.value)
    assert Honour.objects.count() == 1


def test_a_personal_title_needs_a_person(tree):
    # when / then
    with pytest.raises(ValidationError, match="个人称号"):
        services.honour_award(
            kind=K.HUZHOU_CRAFTSMAN,
            year=2024,
            awarding_body="湖州市人民政府",
            collective_name="某班组",
            union=tree.wuxing,
            by=SYSTEM,
        )
    assert Honour.objects.count() == 0


def test_the_same_title_twice_in_a_year_is_refused_in_words(tree):
    # given
    member = MemberFactory(union=tree.zhili_factory, name="张伟")
    services.honour_award(
        kind=K.HUZHOU_CRAFTSMAN, year=2024, awarding_body="市政府", member=member, by=SYSTEM
    )
    # when / then
    with pytest.raises(ValidationError, match="张伟 已获得2024年度“湖州工匠”称号"):
        services.honour_award(
            kind=K.HUZHOU_CRAFTSMAN, year=2024, awarding_body="市政府", member=member, by=SYSTEM
        )
    assert Honour.objects.count() == 1


def test_a_clerk_may_not_record_a_title_outside_their_tree(tree, staff):
    # given
    member = MemberFactory(union=tree.shuanglin_factory)
    # when / then
    with pytest.raises(PermissionDenied):
        services.honour_award(
            kind=K.HUZHOU_CRAFTSMAN,
            year=2024,
            awarding_body="市政府",
            member=member,
            by=staff["district_admin"],
        )
    assert Honour.objects.count() == 0


def test_a_certification_is_registered_once_per_occupation_and_level(tree):
    # given
    member = MemberFactory(union=tree.zhili_factory, name="李娜")
    services.skill_certification_register(
        member=member, level="3", occupation="电工", certified_on=dt.date(2024, 5, 1), by=SYSTEM
    )
    # when / then
    with pytest.raises(ValidationError, match="李娜 已登记电工高级工"):
        services.skill_certification_register(
            member=member, level="3", occupation="电工", certified_on=dt.date(2024, 6, 1), by=SYSTEM
        )
    assert SkillCertification.objects.get().union == tree.zhili_factory


def test_a_drill_with_participants_counts_them(tree):
    # given
    people = [MemberFactory(union=tree.zhili_factory) for _ in range(3)]
    # when
    drill = services.skill_session_record(
        kind=SkillSession.Kind.DRILL,
        title="焊工岗位练兵",
        union=tree.zhili_factory,
        held_on=dt.date(2024, 4, 1),
        headcount=50,
        participants=[*people, people[0]],
        by=SYSTEM,
    )
    # then
    assert drill.headcount == 3
    assert set(drill.participants.all()) == set(people)


def test_a_session_without_headcount_or_participants_is_refused(tree):
    # when / then
    with pytest.raises(ValidationError, match="参加人次"):
        services.skill_session_record(
            kind=SkillSession.Kind.TRAINING,
            title="培训",
            union=tree.zhili,
            held_on=dt.date(2024, 4, 1),
            by=SYSTEM,
        )
    assert SkillSession.objects.count() == 0


def test_a_record_may_not_be_moved_out_of_the_clerks_tree(tree, staff):
    # given
    academy = services.academy_create(
        name="吴兴工匠学院",
        level="district",
        union=tree.wuxing,
        established_on=dt.date(2024, 1, 1),
        by=staff["district_admin"],
    )
    # when / then
    with pytest.raises(PermissionDenied):
        services.academy_update(
            academy=academy, data={"union": tree.nanxun}, by=staff["district_admin"]
        )
    assert CraftsmanAcademy.objects.get().union == tree.wuxing


def test_a_merit_competition_needs_its_key_project(tree):
    # given
    from skills.models import Competition

    # when / then
    with pytest.raises(ValidationError) as caught:
        services.competition_create(
            name="立功竞赛",
            level="city",
            union=tree.city,
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2024, 12, 31),
            is_merit=True,
            by=SYSTEM,
        )
    assert set(caught.value.message_dict) == {"key_project"}
    assert Competition.objects.count() == 0
