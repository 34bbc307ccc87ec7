"""What every skills seeder shares: the card's 2024 figures, the year, the random helpers and the
member pool."""

import datetime as dt
import random

from common.report_card import actual
from members.actors import system

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


def _quotas(total: int, parts: int) -> list[int]:
    if parts == 0:
        return []
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]
