"""Issue 14: the demo's 2025 is a year in progress. After `seed_demo --scale 0.002` and a roll-up
of 2025, each of the 13 figures the card sets a 2025 target for shows progress at the city (more
than nothing) and does not yet meet its target × scale (the demo's records are the card's × scale;
the 工会会员日 months and the coverage percentage are not scaled). Where target × scale is under 2
(e.g. 送文化下基层 200 × 0.002 = 0.4) the only figure that shows progress is 1. Nothing of 2025 is
dated after PROGRESS_DAY, and the 2024 figures are those of a roll-up of 2024 alone."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from activities.models import Activity
from common.demo_progress import PROGRESS_DAY
from common.report_card import target
from dashboard.selectors import board
from members.actors import SYSTEM
from members.models import Member, Union
from welfare.models import Enrolment, RecuperationProgramme, StationUpgrade, TrainingCourse

pytestmark = pytest.mark.django_db

SCALE = 0.002
TARGETED = (
    "pre_shift_person_times",
    "pre_shift_organisations",
    "model_worker_lectures",
    "culture_to_grassroots_events",
    "interest_group_activities",
    "city_innovation_studios",
    "wage_contract_coverage",
    "outdoor_stations_upgraded",
    "recuperation_participants",
    "mutual_aid_enrollments",
    "reemployment_training",
    "new_gig_worker_members",
    "member_day_events",
)
NOT_SCALED = {"wage_contract_coverage", "member_day_events"}


def city_figures(year: int) -> dict[str, Decimal | None]:
    city = Union.objects.get(level=Union.Level.CITY, parent__isnull=True)
    return {r.indicator.key: r.value for r in board(viewer=SYSTEM, year=year, union=city).rows}


def test_demo_2025_shows_progress_towards_every_target_and_meets_none_and_keeps_2024():
    out = io.StringIO()
    call_command("seed_demo", scale=SCALE, seed=2024, stdout=out)
    call_command("rollup", year=2024, stdout=out)
    before = city_figures(2024)

    call_command("rollup", year=2025, stdout=out)
    figures = city_figures(2025)

    for key in TARGETED:
        value = figures[key]
        goal = Decimal(target(key)) * (1 if key in NOT_SCALED else Decimal(str(SCALE)))
        assert value is not None and value > 0, key
        if goal >= 2:
            assert value < goal, (key, value, goal)
        else:
            assert value == 1, (key, value, goal)
    assert figures["member_day_events"] == PROGRESS_DAY.month
    # The 2024 snapshot is untouched by the 2025 roll-up.
    assert city_figures(2024) == before


def test_demo_2025_has_nothing_dated_after_progress_day():
    """(The portal's demo worker is enrolled, in the real calendar, in the plan of the current
    year, from the November before: not 2025's plan.)"""
    call_command("seed_demo", scale=SCALE, seed=2024, stdout=io.StringIO())
    rest = (PROGRESS_DAY + dt.timedelta(days=1), dt.date(2025, 12, 31))
    tz = timezone.get_default_timezone()
    starts_at = [dt.datetime(d.year, d.month, d.day, tzinfo=tz) for d in rest]
    starts_at[1] += dt.timedelta(days=1)
    assert not Activity.objects.filter(
        starts_at__gte=starts_at[0], starts_at__lt=starts_at[1]
    ).exists()
    assert not Member.objects.filter(joined_on__range=rest).exists()
    assert not StationUpgrade.objects.filter(upgraded_on__range=rest).exists()
    assert not RecuperationProgramme.objects.filter(ends_on__range=rest).exists()
    assert not TrainingCourse.objects.filter(ends_on__range=rest).exists()
    assert not Enrolment.objects.filter(
        line__plan__year=2025, enrolled_on__gt=PROGRESS_DAY
    ).exists()
