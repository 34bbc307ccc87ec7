"""factory_boy factories for the skills records, on top of the registry's (tests/factories.py).
A record built without a union gets a root (city-level) union of its own, which the tree allows;
tests pass the `tree` fixture's unions wherever the place in the tree matters."""

import datetime as dt
from decimal import Decimal

import factory

from members.models import Union
from skills.models import (
    BAIYE_QIANJIANG,
    Competition,
    CompetitionEntry,
    CraftsmanAcademy,
    CraftsmanVisit,
    GoldenIdea,
    Honour,
    InnovationResult,
    InnovationStudio,
    SkillCertification,
    SkillSession,
    TechnicalProblem,
)
from tests.factories import EnterpriseFactory, MemberFactory, UnionFactory


class CompetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competition

    name = factory.Sequence(lambda n: f"“百业千匠”测试竞赛{n}")
    series = BAIYE_QIANJIANG
    level = Competition.Level.CITY
    occupation = "电工"
    union = factory.SubFactory(UnionFactory, level=Union.Level.CITY)
    start_date = dt.date(2024, 5, 10)
    end_date = dt.date(2024, 5, 12)


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetitionEntry

    competition = factory.SubFactory(CompetitionFactory)
    member = factory.SubFactory(MemberFactory)
    union = factory.LazyAttribute(lambda o: o.member.union)
    score = None


class HonourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Honour

    kind = Honour.Kind.HUZHOU_CRAFTSMAN
    year = 2024
    awarding_body = "湖州市人民政府"
    member = factory.SubFactory(MemberFactory)
    union = factory.LazyAttribute(lambda o: o.member.union if o.member else None)


class CollectiveHonourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Honour

    kind = Honour.Kind.PIONEER_TEAM
    year = 2024
    awarding_body = "中华全国总工会"
    member = None
    enterprise = factory.SubFactory(EnterpriseFactory)
    collective_name = factory.LazyAttribute(lambda o: f"{o.enterprise.name}装配班组")
    union = factory.LazyAttribute(lambda o: o.enterprise.union)


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillCertification

    member = factory.SubFactory(MemberFactory)
    union = factory.LazyAttribute(lambda o: o.member.union)
    level = SkillCertification.Level.LEVEL4
    occupation = factory.Sequence(lambda n: f"工种{n}")
    certified_on = dt.date(2024, 6, 1)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillSession

    kind = SkillSession.Kind.TRAINING
    title = factory.Sequence(lambda n: f"技术培训{n}")
    union = factory.SubFactory(UnionFactory, level=Union.Level.CITY)
    held_on = dt.date(2024, 4, 1)
    headcount = 30


class AcademyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CraftsmanAcademy

    name = factory.Sequence(lambda n: f"工匠学院{n}")
    level = CraftsmanAcademy.Level.DISTRICT
    union = factory.SubFactory(UnionFactory, level=Union.Level.CITY)
    established_on = dt.date(2024, 3, 1)


class StudioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InnovationStudio

    name = factory.Sequence(lambda n: f"创新工作室{n}")
    kind = InnovationStudio.Kind.MODEL_WORKER
    level = InnovationStudio.Level.CITY
    recognised_year = 2024
    union = factory.SubFactory(UnionFactory, level=Union.Level.CITY)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CraftsmanVisit

    title = factory.Sequence(lambda n: f"劳模工匠助企行{n}")
    union = factory.SubFactory(UnionFactory, level=Union.Level.CITY)
    held_on = dt.date(2024, 7, 1)


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoldenIdea

    member = factory.SubFactory(MemberFactory)
    union = factory.LazyAttribute(lambda o: o.member.union)
    title = factory.Sequence(lambda n: f"金点子{n}")
    content = "缩短换模时间"
    submitted_on = dt.date(2024, 8, 1)


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InnovationResult

    title = factory.Sequence(lambda n: f"创新成果{n}")
    kind = InnovationResult.Kind.INNOVATION
    union = factory.SubFactory(UnionFactory, level=Union.Level.CITY)
    achieved_on = dt.date(2024, 9, 1)


class ProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechnicalProblem

    title = factory.Sequence(lambda n: f"技术难题{n}")
    enterprise = factory.SubFactory(EnterpriseFactory)
    union = factory.LazyAttribute(lambda o: o.enterprise.union)
    solved_on = dt.date(2024, 10, 1)


def scored(competition, union, scores: list[str]) -> list[CompetitionEntry]:
    """Entrants from `union` with the given scores (None for no score yet), in order."""
    return [
        EntryFactory(
            competition=competition,
            member=MemberFactory(union=union),
            score=Decimal(s) if s is not None else None,
        )
        for s in scores
    ]
