"""Every report-card figure of the skills line, computed from records with known counts: for a
district (its townships and grassroots unions included), with records beside it (another
district) and in other years that must not count."""

import datetime as dt
from pathlib import Path

import pytest
import yaml

from common.figures import REGISTRY, load_all
from skills.models import Competition, CraftsmanAcademy, Honour, InnovationStudio, SkillSession
from tests.factories import EnterpriseFactory, MemberFactory
from tests.skills.factories import (
    AcademyFactory,
    CertificationFactory,
    CollectiveHonourFactory,
    CompetitionFactory,
    HonourFactory,
    IdeaFactory,
    ProblemFactory,
    ResultFactory,
    SessionFactory,
    StudioFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

REPORT_CARD = Path(__file__).resolve().parents[2] / "dashboard" / "data" / "report-card.yaml"


def fig(key, tree, year=2024, union=None):
    return REGISTRY[key].compute(year=year, union=union or tree.wuxing)


def test_every_skills_key_on_the_report_card_has_a_figure():
    # given
    card = yaml.safe_load(REPORT_CARD.read_text())
    wanted = {i["key"] for i in card["indicators"] if i["app"] == "skills"}
    # when
    registry = load_all()
    # then
    assert len(wanted) == 22
    assert {key for key, f in registry.items() if f.app == "skills"} == wanted


def test_honour_figures_count_titles_of_the_year_in_the_union_and_below(tree):
    # given: one person in 吴兴 holding two titles in 2024, counted once in each figure
    K = Honour.Kind
    star = MemberFactory(union=tree.zhili_factory)
    HonourFactory(member=star, kind=K.ZHEJIANG_CRAFTSMAN)
    HonourFactory(member=star, kind=K.HUZHOU_CRAFTSMAN)
    HonourFactory(member=MemberFactory(union=tree.balidian_factory), kind=K.HUZHOU_CRAFTSMAN)
    HonourFactory(member=MemberFactory(union=tree.zhili_joint), kind=K.GOLDEN_BLUE_COLLAR)
    HonourFactory(member=MemberFactory(union=tree.zhili_factory), kind=K.GREAT_CRAFTSMAN_CANDIDATE)
    for _ in range(2):
        HonourFactory(
            member=MemberFactory(union=tree.zhili_factory), kind=K.PROVINCIAL_MODEL_WORKER
        )
    HonourFactory(member=MemberFactory(union=tree.zhili_factory), kind=K.TECHNICAL_EXPERT)
    HonourFactory(member=MemberFactory(union=tree.zhili_factory), kind=K.MAY_DAY_MEDAL)
    # collective honours: an enterprise's 奖状, a team's 先锋号, a 模范集体
    factory_ent = EnterpriseFactory(union=tree.zhili_factory)
    CollectiveHonourFactory(
        enterprise=factory_ent, kind=K.MAY_DAY_AWARD, collective_name="织里童装厂"
    )
    CollectiveHonourFactory(enterprise=factory_ent, kind=K.PIONEER_TEAM)
    CollectiveHonourFactory(
        enterprise=EnterpriseFactory(union=tree.balidian_factory),
        kind=K.PROVINCIAL_MODEL_COLLECTIVE,
    )
    # not counted for 吴兴 in 2024: another district, another year
    HonourFactory(member=MemberFactory(union=tree.shuanglin_factory), kind=K.HUZHOU_CRAFTSMAN)
    HonourFactory(member=MemberFactory(union=tree.shuanglin_factory), kind=K.MAY_DAY_MEDAL)
    CollectiveHonourFactory(
        enterprise=EnterpriseFactory(union=tree.shuanglin_factory), kind=K.PIONEER_TEAM
    )
    HonourFactory(member=star, kind=K.TECHNICAL_EXPERT, year=2023)
    HonourFactory(member=star, kind=K.ZHEJIANG_CRAFTSMAN, year=2025)

    # when / then
    assert fig("new_zhejiang_craftsmen", tree) == 1
    assert fig("new_huzhou_craftsmen", tree) == 2
    assert fig("golden_blue_collar", tree) == 1
    assert fig("great_craftsman_candidates", tree) == 1
    assert fig("provincial_model_workers", tree) == 2
    assert fig("technical_experts", tree) == 1
    assert fig("national_may_day_medals", tree) == 2  # one medal (person) + one 奖状 (collective)
    assert fig("national_pioneer_teams", tree) == 1
    assert fig("provincial_model_collectives", tree) == 1
    # the whole city sees both districts; a township only its own part
    assert fig("new_huzhou_craftsmen", tree, union=tree.city) == 3
    assert fig("national_may_day_medals", tree, union=tree.city) == 3
    assert fig("national_pioneer_teams", tree, union=tree.city) == 2
    assert fig("new_huzhou_craftsmen", tree, union=tree.zhili) == 1
    assert fig("technical_experts", tree, year=2023) == 1
    assert fig("new_zhejiang_craftsmen", tree, year=2025) == 1


def test_competition_figures_count_by_the_year_a_competition_starts(tree):
    # given
    L = Competition.Level
    CompetitionFactory(union=tree.wuxing, level=L.DISTRICT)
    CompetitionFactory(union=tree.city, level=L.CITY)  # above 吴兴: counts for the city only
    # spans New Year: starts 2024-12-28, ends 2025-01-03 → counts in 2024, not in 2025
    CompetitionFactory(
        union=tree.wuxing,
        level=L.DISTRICT,
        start_date=dt.date(2024, 12, 28),
        end_date=dt.date(2025, 1, 3),
    )
    # and one that started in 2023 and ended in 2024 → a 2023 competition
    CompetitionFactory(
        union=tree.zhili,
        level=L.DISTRICT,
        start_date=dt.date(2023, 12, 30),
        end_date=dt.date(2024, 1, 2),
    )
    CompetitionFactory(union=tree.wuxing, level=L.DISTRICT, series="")  # not 百业千匠
    CompetitionFactory(union=tree.nanxun, level=L.DISTRICT)  # beside 吴兴
    # hosted (承办) by a union of the tree: the 承办省级以上竞赛 figure counts them
    CompetitionFactory(
        union=tree.wuxing,
        level=L.PROVINCIAL,
        series="",
        name="省碳汇计量评估师竞赛",
        host=tree.wuxing.name,
        host_union=tree.wuxing,
    )
    CompetitionFactory(
        union=tree.city, level=L.NATIONAL, series="", host=tree.city.name, host_union=tree.city
    )
    CompetitionFactory(
        union=tree.wuxing,
        level=L.PROVINCIAL,
        start_date=dt.date(2023, 6, 1),
        end_date=dt.date(2023, 6, 2),
    )
    # merit competitions: the demo year counts, not the start
    CompetitionFactory(
        union=tree.wuxing,
        is_merit=True,
        key_project="沪苏湖高铁",
        series="",
        start_date=dt.date(2023, 3, 1),
        end_date=dt.date(2025, 12, 31),
        provincial_demo_year=2024,
    )
    CompetitionFactory(union=tree.wuxing, is_merit=True, key_project="湖杭铁路", series="")
    CompetitionFactory(
        union=tree.nanxun, is_merit=True, key_project="湖州港", series="", provincial_demo_year=2024
    )

    # when / then
    assert fig("city_competitions", tree) == 2
    assert fig("city_competitions", tree, union=tree.city) == 4
    assert fig("city_competitions", tree, year=2025) == 0
    assert fig("city_competitions", tree, year=2023) == 1
    assert fig("provincial_competitions_hosted", tree) == 1
    assert fig("provincial_competitions_hosted", tree, union=tree.city) == 2
    assert fig("merit_competitions_provincial_demo", tree) == 1
    assert fig("merit_competitions_provincial_demo", tree, union=tree.city) == 2
    assert fig("merit_competitions_provincial_demo", tree, year=2023) == 0


def test_new_skilled_talents_counts_persons_certified_in_the_year(tree):
    # given: a person certified twice in 2024 counts once; an upgrade in 2024 over a 2023
    # certificate counts; a 2023-only certificate does not; 南浔 is beside 吴兴
    twice = MemberFactory(union=tree.zhili_factory)
    CertificationFactory(member=twice, occupation="电工")
    CertificationFactory(member=twice, occupation="焊工", certified_on=dt.date(2024, 11, 30))
    upgraded = MemberFactory(union=tree.balidian_factory)
    CertificationFactory(member=upgraded, level="4", certified_on=dt.date(2023, 5, 1))
    CertificationFactory(member=upgraded, level="3", certified_on=dt.date(2024, 1, 1))
    CertificationFactory(
        member=MemberFactory(union=tree.zhili_joint), certified_on=dt.date(2024, 12, 31)
    )
    CertificationFactory(
        member=MemberFactory(union=tree.zhili_factory), certified_on=dt.date(2023, 12, 31)
    )
    CertificationFactory(member=MemberFactory(union=tree.shuanglin_factory))

    # when / then
    assert fig("new_skilled_talents", tree) == 3
    assert fig("new_skilled_talents", tree, union=tree.city) == 4
    assert fig("new_skilled_talents", tree, year=2023) == 2


def test_training_and_drill_figures(tree):
    # given
    T, D = SkillSession.Kind.TRAINING, SkillSession.Kind.DRILL
    SessionFactory(union=tree.zhili_factory, kind=T)
    SessionFactory(union=tree.wuxing, kind=T)
    SessionFactory(union=tree.nanxun, kind=T)
    SessionFactory(union=tree.zhili, kind=T, held_on=dt.date(2025, 1, 1))
    SessionFactory(union=tree.zhili_factory, kind=D, headcount=40)
    SessionFactory(union=tree.balidian_factory, kind=D, headcount=25)
    SessionFactory(union=tree.shuanglin_factory, kind=D, headcount=100)
    SessionFactory(union=tree.zhili_factory, kind=D, headcount=7, held_on=dt.date(2023, 12, 31))

    # when / then
    assert fig("skill_training_sessions", tree) == 2
    assert fig("skill_training_sessions", tree, union=tree.city) == 3
    assert fig("job_drill_events", tree) == 2
    assert fig("job_drill_person_times", tree) == 65
    assert fig("job_drill_person_times", tree, union=tree.city) == 165
    assert fig("job_drill_person_times", tree, year=2023) == 7


def test_craftsman_academies_count_those_standing_at_year_end(tree):
    # given
    AcademyFactory(
        union=tree.city, level=CraftsmanAcademy.Level.CITY, established_on=dt.date(2022, 5, 1)
    )
    AcademyFactory(union=tree.wuxing, established_on=dt.date(2024, 12, 31))
    AcademyFactory(union=tree.nanxun, established_on=dt.date(2023, 1, 1))
    AcademyFactory(
        union=tree.wuxing, established_on=dt.date(2021, 1, 1), closed_on=dt.date(2024, 6, 30)
    )
    AcademyFactory(union=tree.wuxing, established_on=dt.date(2025, 1, 1))

    # when / then
    assert fig("craftsman_academies", tree) == 1
    assert fig("craftsman_academies", tree, union=tree.city) == 3
    assert fig("craftsman_academies", tree, year=2023, union=tree.city) == 3


def test_innovation_figures(tree):
    # given
    StudioFactory(union=tree.zhili_factory)
    StudioFactory(union=tree.wuxing)
    StudioFactory(union=tree.zhili_factory, level=InnovationStudio.Level.DISTRICT)
    StudioFactory(union=tree.zhili_factory, recognised_year=2023)
    StudioFactory(union=tree.nanxun)
    VisitFactory(union=tree.wuxing)
    VisitFactory(union=tree.nanxun)
    VisitFactory(union=tree.zhili, held_on=dt.date(2023, 7, 1))
    member = MemberFactory(union=tree.zhili_factory)
    IdeaFactory(member=member)
    IdeaFactory(member=member, status="declined")  # collected, whatever became of it
    IdeaFactory(member=MemberFactory(union=tree.shuanglin_factory))
    ResultFactory(union=tree.zhili_factory)
    ResultFactory(union=tree.zhili_factory, achieved_on=dt.date(2025, 1, 1))
    ResultFactory(union=tree.shuanglin_factory)
    ProblemFactory(enterprise=EnterpriseFactory(union=tree.zhili_factory))
    ProblemFactory(enterprise=EnterpriseFactory(union=tree.balidian_factory))
    ProblemFactory(enterprise=EnterpriseFactory(union=tree.shuanglin_factory))

    # when / then
    assert fig("city_innovation_studios", tree) == 2
    assert fig("city_innovation_studios", tree, union=tree.city) == 3
    assert fig("craftsman_enterprise_visits", tree) == 1
    assert fig("craftsman_enterprise_visits", tree, union=tree.city) == 2
    assert fig("golden_ideas", tree) == 2
    assert fig("golden_ideas", tree, union=tree.city) == 3
    assert fig("innovation_results", tree) == 1
    assert fig("innovation_results", tree, union=tree.city) == 2
    assert fig("technical_problems_solved", tree) == 2
    assert fig("technical_problems_solved", tree, union=tree.city) == 3


def test_a_record_stays_with_the_union_it_was_counted_under(tree):
    # given: a 2024 honour, then the member moves to 南浔
    member = MemberFactory(union=tree.zhili_factory)
    HonourFactory(member=member, kind=Honour.Kind.HUZHOU_CRAFTSMAN)
    member.union = tree.shuanglin_factory
    member.save()
    # when / then
    assert fig("new_huzhou_craftsmen", tree) == 1
    assert fig("new_huzhou_craftsmen", tree, union=tree.nanxun) == 0
