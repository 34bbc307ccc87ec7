"""Demo welfare records for the synthetic Huzhou that members.demo builds: for 2024, each of the
welfare figures equals the report card's figure × scale.

- counts (person-times, persons, events, items): actual_2024 × scale rounded half up
  (members.demo.scaled: 50 × 0.01 = 0.5 gives 1, where Python's round() gives 0);
- 万元 figures: actual_2024 × scale rounded to 0.01 万元 (e.g. 2,683 万元 × 0.01 = 26.83 万元, paid
  as exactly 268,300.00 yuan), since the figure itself is shown to two places;
- the coverage percentage stays the card's 82%: as many above-size enterprises are given a wage
  contract in force on 31 December 2024 as brings the share nearest to 82 (with few such
  enterprises, e.g. 13 at scale 0.002, the nearest whole percentage may be a point or two off).

Deterministic (random.Random(seed)), idempotent (a second run finds the 2024 demo plan and adds
nothing), bulk_create throughout, and COPY (common/bulk_copy.py) for the large tables.

A fast path used only by seed_demo: records are bulk-inserted, not written through the
services, except where a rule is the point (README: "What the demo data goes through")."""

import random

from django.db import transaction

from members.models import Union
from welfare.demo._common import ACTUAL, YEAR, nearest_share
from welfare.demo.assistance import AssistanceSeeder
from welfare.demo.mutual_aid import MutualAidSeeder
from welfare.demo.records import _records
from welfare.demo.services import ServicesSeeder
from welfare.demo.voice import VoiceSeeder
from welfare.demo.wages import WagesSeeder
from welfare.demo.year_2025 import Year2025Seeder
from welfare.models import MutualAidPlan


def seed(*, scale: float, seed: int) -> str:
    city = Union.objects.filter(level=Union.Level.CITY).first()
    if city is None:
        return "没有工会组织，请先生成会员数据。"
    if MutualAidPlan.objects.filter(union=city, year=YEAR).exists():
        return "2024年度演示数据已存在，未重复生成。"
    rng = random.Random(seed)
    with transaction.atomic():
        ctx = _Context(city=city, rng=rng, scale=scale)
        facts = {
            "参保": ctx.mutual_aid(),
            "帮扶慰问": ctx.assistance(),
            "站点": ctx.stations(),
            "疗休养": ctx.recuperation(),
            "就业": ctx.employment(),
            "法律": ctx.legal_and_contracts(),
            "心声": ctx.concerns(),
        }
        # The records the report card describes but no figure counts: their own generator,
        # so the figures' random sequence above is exactly what it was.
        facts.update(_records(city=city, rng=random.Random(seed + 15)))
        # 2025 to PROGRESS_DAY (common/demo_progress.py), from a generator of its own too.
        facts["2025年截至6月30日"] = _Context(
            city=city, rng=random.Random(seed + 2025), scale=scale
        ).year_2025()
    return "，".join(f"{k}{v}" for k, v in facts.items())


class _Context(
    MutualAidSeeder, AssistanceSeeder, ServicesSeeder, WagesSeeder, VoiceSeeder, Year2025Seeder
):
    """One seeder for the whole welfare line, each line of work's part from its own module."""


# Re-exported for the demo tests: the card's figures and the share rule.
__all__ = ["ACTUAL", "nearest_share", "seed"]
