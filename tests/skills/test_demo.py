"""The demo seed: for 2024 every skills figure with a reported value is round(actual × scale),
the same seed twice adds nothing, and the records show in the admin."""

from pathlib import Path

import pytest
import yaml

from common.figures import REGISTRY, load_all
from members.demo import seed_members
from members.models import Union
from skills import demo
from skills.models import Competition, CompetitionEntry, Honour, InnovationStudio

pytestmark = pytest.mark.django_db

REPORT_CARD = Path(__file__).resolve().parents[2] / "dashboard" / "data" / "report-card.yaml"
SCALE = 0.005


def test_the_demo_meets_the_report_card_at_scale_and_runs_once():
    # given
    seed_members(scale=SCALE, seed=7)
    load_all()
    card = yaml.safe_load(REPORT_CARD.read_text())["indicators"]
    city = Union.objects.get(level=Union.Level.CITY)
    # when
    demo.seed(scale=SCALE, seed=7)
    counts = (Competition.objects.count(), CompetitionEntry.objects.count(), Honour.objects.count())
    again = demo.seed(scale=SCALE, seed=7)
    # then
    for item in card:
        if item["app"] != "skills":
            continue
        got = REGISTRY[item["key"]].compute(year=2024, union=city)
        if item["actual_2024"] is not None:
            assert got == round(item["actual_2024"] * SCALE), item["key"]
    assert REGISTRY["city_innovation_studios"].compute(year=2024, union=city) == 1
    assert again == "技能条线演示数据已存在，未重复生成"
    assert (
        Competition.objects.count(),
        CompetitionEntry.objects.count(),
        Honour.objects.count(),
    ) == counts
    # every kind of honour shows somewhere (last year's at small scales), with entrants to see
    assert set(Honour.objects.values_list("kind", flat=True)) == set(Honour.Kind.values)
    assert CompetitionEntry.objects.filter(rank=1).count() >= 3
    assert InnovationStudio.objects.filter(alliance__isnull=False).exists()
