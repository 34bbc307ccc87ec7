"""The skills demo in one transaction: each line of work's seeder in a fixed order, so one seed
gives one data set."""

import datetime as dt
import random

from django.db import transaction

from common.demo_progress import PROGRESS_YEAR, progress_count
from members.demo import scaled
from members.models import Enterprise, Member, Union
from skills.demo._common import ACTUAL_2024, YEAR, _Pool
from skills.demo.competitions import _competitions, _entries_and_experts
from skills.demo.honours import _honours
from skills.demo.innovation import _innovation
from skills.demo.selections import _selections
from skills.demo.talents import _certifications, _sessions
from skills.models import Competition, InnovationStudio


def seed(*, scale: float, seed: int) -> str:
    if Competition.objects.exists():
        return "技能条线演示数据已存在，未重复生成"
    rng = random.Random(seed)
    with transaction.atomic():
        facts = _seed(scale=scale, rng=rng)
        # Its own generator, so the figures' random sequence above is exactly what it was.
        facts["劳模评选"] = _selections(random.Random(seed + 15))
        facts["2025年市级创新工作室"] = _city_studios_2025(scale, random.Random(seed + 2025))
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


def _city_studios_2025(scale: float, rng: random.Random) -> int:
    """2025 so far (common/demo_progress.py): a share of the 2025 target × scale named at city
    level, from a generator of its own so the 2024 records stay as they were."""
    enterprises = list(Enterprise.objects.order_by("pk"))
    if not enterprises:
        return 0
    studios = []
    for i in range(progress_count("city_innovation_studios", scale, rng)):
        enterprise = rng.choice(enterprises)
        studios.append(
            InnovationStudio(
                name=f"{enterprise.name.removeprefix('湖州')}职工创新工作室（{PROGRESS_YEAR}-{i + 1}）",
                kind=rng.choice(list(InnovationStudio.Kind.values)),
                level=InnovationStudio.Level.CITY,
                recognised_year=PROGRESS_YEAR,
                union_id=enterprise.union_id,
                enterprise=enterprise,
            )
        )
    return len(InnovationStudio.objects.bulk_create(studios))
