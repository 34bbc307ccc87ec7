"""The indicator registry as the product carries it: dashboard/data/report-card.yaml, a copy of
the report card's figures with their keys, lines of work, units and the 2024/2025 numbers. The data
migration loads it into Indicator and IndicatorTarget rows, which staff then edit in the admin."""

from decimal import Decimal
from pathlib import Path

import yaml

REPORT_CARD = Path(__file__).resolve().parent / "data" / "report-card.yaml"

# Figures that are a level at a date (a register, a rate, a count of places that exist) rather than
# a sum over the year: they are not projected to the year's end at the current pace.
STOCK_KEYS = frozenset(
    {
        "registered_members",
        "outdoor_stations_total",
        "soe_reform_pilots",
        "craftsman_academies",
        "wage_contract_coverage",
    }
)


def read_report_card(path: Path = REPORT_CARD) -> list[dict]:
    """One dict per indicator: the Indicator fields, plus `targets`, a list of
    (year, kind, comparator, value) read from every `actual_YYYY` and `target_YYYY` entry."""
    with path.open(encoding="utf-8") as fh:
        card = yaml.safe_load(fh)
    rows = []
    for position, item in enumerate(card["indicators"], start=1):
        targets = []
        for name, value in item.items():
            if value is None:
                continue
            if name.startswith("actual_"):
                targets.append((int(name[7:]), "published", ">=", Decimal(str(value))))
            elif name.startswith("target_"):
                targets.append(
                    (int(name[7:]), "target", value["comparator"], Decimal(str(value["value"])))
                )
        rows.append(
            {
                "key": item["key"],
                "name_zh": item["name_zh"],
                "theme": item["theme"],
                "unit": item["unit"],
                "app": item["app"],
                "quote": (item.get("quote") or "")[:300],
                "accumulates": item["unit"] != "percent" and item["key"] not in STOCK_KEYS,
                "position": position,
                "targets": targets,
            }
        )
    return rows


def sync(indicator_model, target_model, path: Path = REPORT_CARD) -> int:
    """Create the indicators and their published figures/targets the file names, leaving rows that
    already exist as staff edited them (a target changed in the admin stays changed). Takes the
    models so the data migration can pass its historical ones. Returns the number of indicators."""
    rows = read_report_card(path)
    for row in rows:
        targets = row.pop("targets")
        indicator, _ = indicator_model.objects.get_or_create(key=row.pop("key"), defaults=row)
        # The file holds the city's figures; a data migration from before targets could be split
        # to districts passes a model without the field.
        city = {"union__isnull": True} if _has_field(target_model, "union") else {}
        for year, kind, comparator, value in targets:
            target_model.objects.get_or_create(
                indicator=indicator,
                year=year,
                kind=kind,
                **city,
                defaults={"comparator": comparator, "value": value},
            )
    return len(rows)


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def unsync(indicator_model, path: Path = REPORT_CARD) -> None:
    """Remove the indicators the file names (and, by cascade, their targets)."""
    keys = [row["key"] for row in read_report_card(path)]
    indicator_model.objects.filter(key__in=keys).delete()
