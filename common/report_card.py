"""The report card's published figures, read from the one copy in the repository
(`dashboard/data/report-card.yaml`). The demo seeders scale these; nothing else keeps a copy."""

import functools
from pathlib import Path

import yaml

REPORT_CARD = Path(__file__).resolve().parent.parent / "dashboard" / "data" / "report-card.yaml"


@functools.cache
def _indicators() -> dict[str, dict]:
    with REPORT_CARD.open(encoding="utf-8") as fh:
        return {item["key"]: item for item in yaml.safe_load(fh)["indicators"]}


def actual(key: str, year: int = 2024) -> int:
    """The figure the card publishes for `key` in `year` (an error if it publishes none)."""
    value = _indicators()[key].get(f"actual_{year}")
    if value is None:
        raise KeyError(f"the report card publishes no {year} figure for {key!r}")
    return value


def target(key: str, year: int = 2025) -> int:
    """The card's `year` target for `key` (an error if it sets none)."""
    value = (_indicators()[key].get(f"target_{year}") or {}).get("value")
    if value is None:
        raise KeyError(f"the report card sets no {year} target for {key!r}")
    return value
