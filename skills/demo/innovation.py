"""Demo academies, studios and alliances, craftsman visits, golden ideas, results and problems
solved."""

import datetime as dt

from skills.demo._common import CITY_STUDIOS_TARGET_2025, OCCUPATIONS, YEAR, _day
from skills.models import (
    CraftsmanAcademy,
    CraftsmanVisit,
    GoldenIdea,
    InnovationResult,
    InnovationStudio,
    StudioAlliance,
    TechnicalProblem,
)

CHAINS = ["新能源汽车及关键零部件", "绿色家居", "生物医药", "新材料", "高端装备", "数字经济"]


def _innovation(n, scale, rng, city, districts, enterprises, pool) -> int:
    created = 0
    academies = [
        CraftsmanAcademy(
            name="湖州工匠学院",
            level=CraftsmanAcademy.Level.CITY,
            union=city,
            host="湖州职业技术学院",
            established_on=dt.date(2022, 5, 1),
        )
    ][: n["craftsman_academies"]]
    for district in districts[: max(0, n["craftsman_academies"] - len(academies))]:
        academies.append(
            CraftsmanAcademy(
                name=f"{district.name.removesuffix('总工会')}工匠学院",
                level=CraftsmanAcademy.Level.DISTRICT,
                union=district,
                established_on=_day(rng, YEAR - 1),
            )
        )
    while len(academies) < n["craftsman_academies"]:  # scale > 1: more district academies
        district = districts[len(academies) % len(districts)]
        academies.append(
            CraftsmanAcademy(
                name=f"{district.name.removesuffix('总工会')}工匠学院（分院{len(academies)}）",
                level=CraftsmanAcademy.Level.DISTRICT,
                union=district,
                established_on=_day(rng, YEAR),
            )
        )
    created += len(CraftsmanAcademy.objects.bulk_create(academies))

    leaders = rng.sample(enterprises, min(len(CHAINS), len(enterprises), 3))
    alliances = StudioAlliance.objects.bulk_create(
        [
            StudioAlliance(
                name=f"{chain}产业链劳模工匠创新工作室联盟",
                industry_chain=chain,
                leader_enterprise=leader,
                union_id=leader.union_id,
                founded_on=_day(rng, YEAR),
            )
            for chain, leader in zip(CHAINS, leaders, strict=False)
        ]
    )
    studios = []
    city_studios = max(1, round(CITY_STUDIOS_TARGET_2025 * scale))
    for i in range(city_studios + 2):
        enterprise = rng.choice(enterprises)
        studios.append(
            InnovationStudio(
                name=f"{enterprise.name.removeprefix('湖州')}劳模创新工作室{i + 1}",
                kind=rng.choice(list(InnovationStudio.Kind.values)),
                # two more besides the city ones: a district studio this year, a city one last year
                level=InnovationStudio.Level.DISTRICT if i == city_studios else "city",
                recognised_year=YEAR - 1 if i == city_studios + 1 else YEAR,
                union_id=enterprise.union_id,
                enterprise=enterprise,
                alliance=alliances[i % len(alliances)] if alliances else None,
            )
        )
    studios = InnovationStudio.objects.bulk_create(studios)
    created += len(alliances) + len(studios)

    visits = CraftsmanVisit.objects.bulk_create(
        [
            CraftsmanVisit(
                title=f"劳模工匠助企行·走进{enterprise.name}",
                union_id=enterprise.union_id,
                enterprise=enterprise,
                held_on=_day(rng, YEAR),
                experts="、".join(r[4] for r in pool.sample(3)),
            )
            for enterprise in (
                rng.choice(enterprises) for _ in range(n["craftsman_enterprise_visits"])
            )
        ]
    )
    S = GoldenIdea.Status
    ideas = GoldenIdea.objects.bulk_create(
        [
            GoldenIdea(
                member_id=pk,
                union_id=union_id,
                title=f"关于改进{rng.choice(OCCUPATIONS)}作业流程的建议",
                content="减少工序等待时间，提高一次合格率。",
                submitted_on=_day(rng, YEAR),
                status=rng.choices(
                    [S.SUBMITTED, S.ADOPTED, S.IMPLEMENTED, S.DECLINED], weights=[3, 3, 2, 2]
                )[0],
            )
            for pk, union_id, *_rest in (rng.choice(pool.rows) for _ in range(n["golden_ideas"]))
        ],
        batch_size=5000,
    )
    adopted = [i for i in ideas if i.status in (S.ADOPTED, S.IMPLEMENTED)]
    results = []
    for i in range(n["innovation_results"]):
        enterprise = rng.choice(enterprises)
        results.append(
            InnovationResult(
                title=f"{rng.choice(OCCUPATIONS)}技术革新成果{i + 1}",
                kind=rng.choice(list(InnovationResult.Kind.values)),
                union_id=enterprise.union_id,
                enterprise=enterprise,
                studio=rng.choice(studios) if i % 7 == 0 else None,
                idea=adopted[i] if i < len(adopted) else None,
                achieved_on=_day(rng, YEAR),
            )
        )
    InnovationResult.objects.bulk_create(results, batch_size=5000)
    problems = []
    for i in range(n["technical_problems_solved"]):
        visit = visits[i % len(visits)] if visits and i % 2 == 0 else None
        enterprise = visit.enterprise if visit else rng.choice(enterprises)
        problems.append(
            TechnicalProblem(
                title=f"{rng.choice(OCCUPATIONS)}工艺难题{i + 1}",
                enterprise=enterprise,
                union_id=enterprise.union_id,
                solved_on=visit.held_on if visit else _day(rng, YEAR),
                solver="劳模工匠服务队" if visit else "创新工作室攻关小组",
                visit=visit,
            )
        )
    TechnicalProblem.objects.bulk_create(problems, batch_size=5000)
    return created + len(visits) + len(ideas) + len(results) + len(problems)
