"""Demo competitions (百业千匠 and merit competitions), their entries and the 技术能手 awarded from the
rankings."""

import datetime as dt
from decimal import Decimal

from members.models import Union
from skills import services
from skills.demo._common import OCCUPATIONS, SEEDER, YEAR, _day, _quotas
from skills.models import (
    BAIYE_QIANJIANG,
    Competition,
    CompetitionEntry,
)

KEY_PROJECTS = [
    "沪苏湖高铁",
    "湖杭铁路",
    "申苏浙皖高速扩容",
    "湖州港航物流中心",
    "南太湖新区长东片区",
    "安吉两山未来科技城",
]


def _competitions(n, rng, city, districts) -> list[Competition]:
    comps: list[Competition] = []

    def add(year, level, union, *, merit=False, demo_year=None, span=False, series=BAIYE_QIANJIANG):
        occupation = rng.choice(OCCUPATIONS)
        start = _day(rng, year, 3, 11)
        if span:
            start = dt.date(year, 12, 20)
        end = start + dt.timedelta(days=rng.randrange(12, 20) if span else rng.randrange(0, 5))
        if merit:
            project = rng.choice(KEY_PROJECTS)
            end = dt.date(year + 1, 12, 31)
            name = f"{project}建设劳动和技能立功竞赛"
        else:
            project = ""
            prefix = (
                "湖州市" if level == Competition.Level.CITY else union.name.removesuffix("总工会")
            )
            if level in (Competition.Level.PROVINCIAL, Competition.Level.NATIONAL):
                prefix = "浙江省"
            name = (
                f"{year}年{prefix}“{series}”{occupation}职业技能竞赛"
                if series
                else (f"{year}年{prefix}{occupation}职业技能竞赛")
            )
        comps.append(
            Competition(
                name=name,
                series="" if merit else series,
                level=level,
                occupation="" if merit else occupation,
                union=union,
                sponsor="浙江省总工会" if level == Competition.Level.PROVINCIAL else union.name,
                # A provincial competition counts as hosted (承办) only when its 承办单位 is the
                # union (or one under it, `host_union`): the city federation hosts these.
                host=union.name
                if level in (Competition.Level.PROVINCIAL, Competition.Level.NATIONAL)
                else f"{union.name.removesuffix('总工会')}职业技术学校",
                host_union=union
                if level in (Competition.Level.PROVINCIAL, Competition.Level.NATIONAL)
                else None,
                start_date=start,
                end_date=end,
                is_merit=merit,
                key_project=project,
                provincial_demo_year=demo_year,
            )
        )

    for i in range(n["city_competitions"]):
        district = i % 3 != 0 and districts
        union = districts[i % len(districts)] if district else city
        level = Competition.Level.DISTRICT if district else Competition.Level.CITY
        # With enough competitions, the last one opens in late December and ends in January:
        # it counts in 2024, the year it starts.
        add(
            YEAR, level, union, span=n["city_competitions"] >= 3 and i == n["city_competitions"] - 1
        )
    for _ in range(n["provincial_competitions_hosted"]):
        add(YEAR, Competition.Level.PROVINCIAL, city, series="")
    for _ in range(n["merit_competitions_provincial_demo"]):
        add(YEAR - 1, Competition.Level.CITY, city, merit=True, demo_year=YEAR)
    add(YEAR - 1, Competition.Level.CITY, city, merit=True)  # a merit competition not (yet) a demo
    for i in range(2):  # last year's, so the admin has results and titles at any scale
        add(
            YEAR - 1,
            Competition.Level.CITY if i == 0 else Competition.Level.DISTRICT,
            city if i == 0 else districts[0],
        )
    return Competition.objects.bulk_create(comps)


def _entries_and_experts(n, comps, pool, rng) -> tuple[int, int]:
    """Entrants for every skills competition (nobody enters two), scores all different, ranks from
    the service; then the 技术能手 title to the top of each competition that ended in 2024 (or
    2023), again through the service, so that 2024 holds exactly scaled(107, scale)."""
    used: set[int] = set()
    rows: list[CompetitionEntry] = []
    for comp in comps:
        if comp.is_merit:
            continue
        within = "" if comp.union.level == Union.Level.CITY else comp.union.path
        candidates = [r for r in pool.sample(40, within=within) if r[0] not in used][:12]
        scores = rng.sample(range(6000, 10000), len(candidates))
        for (pk, union_id, *_rest), score in zip(candidates, scores, strict=True):
            used.add(pk)
            rows.append(
                CompetitionEntry(
                    competition=comp,
                    member_id=pk,
                    union_id=union_id,
                    score=Decimal(score) / 100,
                )
            )
    CompetitionEntry.objects.bulk_create(rows, batch_size=2000)
    for comp in comps:
        if not comp.is_merit:
            services.competition_rank(competition=comp, by=SEEDER)
    awards = {1: "first", 2: "second", 3: "second", 4: "third", 5: "third", 6: "third"}
    ranked = list(CompetitionEntry.objects.filter(rank__isnull=False))
    for entry in ranked:
        entry.award = awards.get(entry.rank, "excellence" if entry.rank <= 9 else "")
    CompetitionEntry.objects.bulk_update(ranked, ["award"], batch_size=2000)

    experts = 0
    awarding = [
        c for c in comps if not c.is_merit and c.end_date.year == YEAR and c.entries.exists()
    ]
    for comp, quota in zip(awarding, _quotas(n["technical_experts"], len(awarding)), strict=True):
        if quota:
            experts += len(
                services.technical_experts_award(competition=comp, top_n=quota, by=SEEDER)
            )
    for comp in comps:
        if comp.end_date.year == YEAR - 1 and not comp.is_merit and comp.entries.exists():
            experts += len(services.technical_experts_award(competition=comp, top_n=2, by=SEEDER))
    return len(rows), experts
