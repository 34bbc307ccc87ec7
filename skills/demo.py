"""Deterministic demo records for the skills line, on top of the unions, enterprises and members
that members.demo created. For 2024 each figure whose report card gives `actual_2024` comes out
at actual_2024 × scale rounded half up (members.demo.scaled); `city_innovation_studios` has no
2024 figure (only a 2025 target of 20), so max(1, round(20 × scale)) city studios are named in
2024. A few records of 2023 (and one competition spanning New Year into 2025, when there are
enough) are added besides so that every kind of record shows in the admin even at small scales;
they do not touch the 2024 figures.

A fast path used only by seed_demo: records are bulk-inserted, not written through the
services, except where a rule is the point (README: "What the demo data goes through")."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from common.report_card import actual
from members.actors import system
from members.demo import scaled
from members.models import Enterprise, Member, Union
from skills import services
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
    StudioAlliance,
    TechnicalProblem,
)

YEAR = 2024
# The card's 2024 figures, from its one copy in the repository.
ACTUAL_2024 = {
    key: actual(key)
    for key in (
        "city_competitions",
        "provincial_competitions_hosted",
        "merit_competitions_provincial_demo",
        "technical_experts",
        "golden_blue_collar",
        "new_zhejiang_craftsmen",
        "new_huzhou_craftsmen",
        "great_craftsman_candidates",
        "provincial_model_workers",
        "provincial_model_collectives",
        "national_may_day_medals",
        "national_pioneer_teams",
        "new_skilled_talents",
        "skill_training_sessions",
        "job_drill_events",
        "job_drill_person_times",
        "craftsman_academies",
        "craftsman_enterprise_visits",
        "golden_ideas",
        "innovation_results",
        "technical_problems_solved",
    )
}
CITY_STUDIOS_TARGET_2025 = 20

OCCUPATIONS = [
    "电工",
    "焊工",
    "车工",
    "钳工",
    "数控铣工",
    "服装制版师",
    "缝纫工",
    "木工",
    "叉车司机",
    "快递员",
    "网约配送员",
    "养老护理员",
    "中式烹调师",
    "茶艺师",
    "碳汇计量评估师",
    "工业机器人系统运维员",
    "电池制造工",
    "汽车维修工",
]
KEY_PROJECTS = [
    "沪苏湖高铁",
    "湖杭铁路",
    "申苏浙皖高速扩容",
    "湖州港航物流中心",
    "南太湖新区长东片区",
    "安吉两山未来科技城",
]
CHAINS = ["新能源汽车及关键零部件", "绿色家居", "生物医药", "新材料", "高端装备", "数字经济"]
HONOUR_BODIES = {
    Honour.Kind.TECHNICAL_EXPERT: services.TECHNICAL_EXPERT_BODY,
    Honour.Kind.GOLDEN_BLUE_COLLAR: "浙江省总工会",
    Honour.Kind.ZHEJIANG_CRAFTSMAN: "浙江省人民政府",
    Honour.Kind.HUZHOU_CRAFTSMAN: "湖州市人民政府",
    Honour.Kind.GREAT_CRAFTSMAN_CANDIDATE: "浙江省总工会",
    Honour.Kind.PROVINCIAL_MODEL_WORKER: "浙江省人民政府",
    Honour.Kind.PROVINCIAL_MODEL_COLLECTIVE: "浙江省人民政府",
    Honour.Kind.MAY_DAY_MEDAL: "中华全国总工会",
    Honour.Kind.MAY_DAY_AWARD: "中华全国总工会",
    Honour.Kind.PIONEER_TEAM: "中华全国总工会",
}
TEAM_WORDS = ["装配班组", "质检班组", "研发团队", "维修班组", "生产车间", "项目部"]


def _day(rng: random.Random, year: int, first_month: int = 1, last_month: int = 12) -> dt.date:
    start = dt.date(year, first_month, 1)
    end = dt.date(year, last_month, 28)
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` positive, uneven integers that add up exactly."""
    if parts == 0:
        return []
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    shares = [max(1, int(total * w / sum(weights))) for w in weights]
    diff = total - sum(shares)
    i = 0
    while diff:
        j = i % parts
        if diff > 0:
            shares[j] += 1
            diff -= 1
        elif shares[j] > 1:
            shares[j] -= 1
            diff += 1
        i += 1
    return shares


class _Pool:
    """Members to draw from, without drawing anyone twice for the same purpose."""

    def __init__(self, rows: list[tuple], rng: random.Random):
        self.rows = rows
        self.rng = rng
        self._within: dict[str, list[tuple]] = {"": rows}

    def sample(self, k: int, *, within: str = "") -> list[tuple]:
        if within not in self._within:  # one pass per subtree, not one per competition
            self._within[within] = [r for r in self.rows if r[3].startswith(within)]
        rows = self._within[within]
        return self.rng.sample(rows, min(k, len(rows)))


SEEDER = system("seed_demo")


def seed(*, scale: float, seed: int) -> str:
    if Competition.objects.exists():
        return "技能条线演示数据已存在，未重复生成"
    rng = random.Random(seed)
    with transaction.atomic():
        facts = _seed(scale=scale, rng=rng)
        # Its own generator, so the figures' random sequence above is exactly what it was.
        facts["劳模评选"] = _selections(random.Random(seed + 15))
    return "，".join(f"{label}{n}" for label, n in facts.items())


def _seed(*, scale: float, rng: random.Random) -> dict[str, int]:
    n = {key: scaled(value, scale) for key, value in ACTUAL_2024.items()}
    city = Union.objects.get(level=Union.Level.CITY)
    districts = list(Union.objects.filter(level=Union.Level.DISTRICT).order_by("code"))
    enterprises = list(Enterprise.objects.select_related("union").order_by("pk"))
    members = list(
        Member.objects.filter(status=Member.Status.ACTIVE, joined_on__lte=dt.date(YEAR, 1, 1))
        .order_by("pk")
        .values_list("pk", "union_id", "enterprise_id", "union__path", "name")
    )
    pool = _Pool(members, rng)

    comps = _competitions(n, rng, city, districts)
    entries, experts = _entries_and_experts(n, comps, pool, rng)
    honours = _honours(n, pool, enterprises, rng)
    certs = _certifications(n, pool, rng)
    sessions = _sessions(n, rng, enterprises)
    others = _innovation(n, scale, rng, city, districts, enterprises, pool)
    return {
        "竞赛": len(comps),
        "参赛选手": entries,
        "技术能手": experts,
        "其他荣誉": honours,
        "技能人才登记": certs,
        "培训与练兵": sessions,
        "创新类记录": others,
    }


def _selections(rng: random.Random) -> int:
    """A few candidates for next year's 省劳动模范, at each stage up to the 公示 (none conferred:
    a conferral records an Honour, which the card's figures count), one stopped by an upheld
    objection."""

    by = system("seed_demo")
    candidates = list(
        Member.objects.filter(status=Member.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    chosen = rng.sample(candidates, min(4, len(candidates)))
    made = 0
    for i, pk in enumerate(chosen):
        member = Member.objects.select_related("union", "enterprise").get(pk=pk)
        selection = services.selection_nominate(
            kind=Honour.Kind.PROVINCIAL_MODEL_WORKER,
            year=YEAR + 1,
            awarding_body="浙江省人民政府",
            member=member,
            nominated_on=dt.date(YEAR, 11, 10),
            nominator=f"{member.union.name}",
            deeds="扎根一线，技术革新成果显著，带徒传艺。",
            by=by,
        )
        made += 1
        if i == 0:
            continue
        services.selection_review(
            selection=selection, reviewed_on=dt.date(YEAR, 12, 1), passed=True, by=by
        )
        if i == 1:
            continue
        services.selection_notice(
            selection=selection,
            starts_on=dt.date(YEAR, 12, 10),
            ends_on=dt.date(YEAR, 12, 16),
            by=by,
        )
        if i == 3:
            objection = services.selection_objection_receive(
                selection=selection,
                received_on=dt.date(YEAR, 12, 12),
                content="反映其曾有违规记录",
                by=by,
            )
            services.selection_objection_handle(
                objection=objection,
                handled_on=dt.date(YEAR, 12, 15),
                upheld=True,
                handling="经核实情况属实，终止推荐。",
                by=by,
            )
    return made


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


def _quotas(total: int, parts: int) -> list[int]:
    if parts == 0:
        return []
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _honours(n, pool, enterprises, rng) -> int:
    K = Honour.Kind
    person = {
        K.GOLDEN_BLUE_COLLAR: n["golden_blue_collar"],
        K.ZHEJIANG_CRAFTSMAN: n["new_zhejiang_craftsmen"],
        K.HUZHOU_CRAFTSMAN: n["new_huzhou_craftsmen"],
        K.GREAT_CRAFTSMAN_CANDIDATE: n["great_craftsman_candidates"],
        K.PROVINCIAL_MODEL_WORKER: n["provincial_model_workers"],
    }
    medals_total = n["national_may_day_medals"]
    medals = (medals_total * 3 + 4) // 5  # of the card's 5 奖章(奖状), about 3 to persons
    person[K.MAY_DAY_MEDAL] = medals
    collective = {
        K.MAY_DAY_AWARD: medals_total - medals,
        K.PROVINCIAL_MODEL_COLLECTIVE: n["provincial_model_collectives"],
        K.PIONEER_TEAM: n["national_pioneer_teams"],
    }
    rows: list[Honour] = []
    for year, counts in ((YEAR, person), (YEAR - 1, {k: max(1, v) for k, v in person.items()})):
        for kind, count in counts.items():
            for pk, union_id, enterprise_id, _path, _name in pool.sample(count):
                rows.append(
                    Honour(
                        kind=kind,
                        year=year,
                        awarding_body=HONOUR_BODIES[kind],
                        member_id=pk,
                        enterprise_id=enterprise_id,
                        union_id=union_id,
                    )
                )
    for year, counts in (
        (YEAR, collective),
        (YEAR - 1, {k: max(1, v) for k, v in collective.items()}),
    ):
        for kind, count in counts.items():
            for enterprise in rng.sample(enterprises, min(count, len(enterprises))):
                team = "" if kind == K.MAY_DAY_AWARD else rng.choice(TEAM_WORDS)
                rows.append(
                    Honour(
                        kind=kind,
                        year=year,
                        awarding_body=HONOUR_BODIES[kind],
                        collective_name=f"{enterprise.name}{team}",
                        enterprise=enterprise,
                        union_id=enterprise.union_id,
                    )
                )
    Honour.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _certifications(n, pool, rng) -> int:
    L = SkillCertification.Level
    levels = [L.LEVEL5, L.LEVEL4, L.LEVEL3, L.LEVEL2, L.LEVEL1]
    rows: list[SkillCertification] = []
    people = pool.sample(n["new_skilled_talents"])
    for i, (pk, union_id, *_rest) in enumerate(people):
        occupation = OCCUPATIONS[i % len(OCCUPATIONS)]
        level_index = rng.choices(range(5), weights=[30, 35, 25, 7, 3])[0]
        rows.append(
            SkillCertification(
                member_id=pk,
                union_id=union_id,
                level=levels[level_index],
                occupation=occupation,
                certified_on=_day(rng, YEAR),
                certificate_no=f"S{YEAR}{i:07d}",
            )
        )
        if i % 10 == 0 and level_index > 0:  # came up from the level below, certified in 2023
            rows.append(
                SkillCertification(
                    member_id=pk,
                    union_id=union_id,
                    level=levels[level_index - 1],
                    occupation=occupation,
                    certified_on=_day(rng, YEAR - 1),
                )
            )
        if i % 25 == 0:  # a second occupation the same year: still one new skilled talent
            rows.append(
                SkillCertification(
                    member_id=pk,
                    union_id=union_id,
                    level=L.LEVEL5,
                    occupation="其他工种",
                    certified_on=_day(rng, YEAR),
                )
            )
    SkillCertification.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _sessions(n, rng, enterprises) -> int:
    rows: list[SkillSession] = []
    for i in range(n["skill_training_sessions"]):
        enterprise = rng.choice(enterprises)
        rows.append(
            SkillSession(
                kind=SkillSession.Kind.TRAINING,
                title=f"{rng.choice(OCCUPATIONS)}技术培训（第{i + 1}期）",
                union_id=enterprise.union_id,
                enterprise=enterprise,
                held_on=_day(rng, YEAR),
                headcount=rng.randrange(15, 80),
            )
        )
    for i, headcount in enumerate(_split(n["job_drill_person_times"], n["job_drill_events"], rng)):
        enterprise = rng.choice(enterprises)
        occupation = rng.choice(OCCUPATIONS)
        rows.append(
            SkillSession(
                kind=SkillSession.Kind.DRILL,
                title=f"{occupation}岗位练兵（{i + 1}）",
                union_id=enterprise.union_id,
                enterprise=enterprise,
                occupation=occupation,
                held_on=_day(rng, YEAR),
                headcount=headcount,
            )
        )
    SkillSession.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


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
