"""The dashboard's demo data: the city's 2025 targets (from report-card.yaml, loaded by the
registry migration) split to the districts, so a district's board shows its own target and % of
target. Run by seed_demo after the records, which the split weighs by."""

from dashboard.services import targets_split_to_districts
from members.actors import system

TARGET_YEAR = 2025  # the first year the report card sets targets for
BASIS_YEAR = 2024  # the year the demo's records are the report card's


def seed(*, scale: float, seed: int) -> str:
    written = targets_split_to_districts(
        year=TARGET_YEAR, basis_year=BASIS_YEAR, by=system("seed_demo")
    )
    return f"{TARGET_YEAR}年度目标分解到区县 {written} 项"
