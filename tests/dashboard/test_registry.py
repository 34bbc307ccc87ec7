import importlib
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django_celery_beat.models import PeriodicTask

from dashboard.models import Indicator, IndicatorTarget
from dashboard.registry import read_report_card

pytestmark = pytest.mark.django_db

load = importlib.import_module("dashboard.migrations.0002_report_card_registry")
schedule = importlib.import_module("dashboard.migrations.0003_nightly_rollup_schedule")


def test_the_registry_holds_every_key_of_the_report_card_with_its_line_of_work():
    # given
    card = read_report_card()

    # then
    assert (
        Indicator.objects.filter(app__in=["members", "activities", "skills", "welfare"]).count()
        == len(card)
        == 51
    )
    themes = dict(Indicator.objects.values_list("key", "theme"))
    assert themes["pre_shift_person_times"] == Indicator.Theme.IDEOLOGY
    assert themes["wage_contracts"] == Indicator.Theme.INDUSTRY
    assert themes["registered_members"] == Indicator.Theme.SERVICE
    assert themes["new_gig_worker_members"] == Indicator.Theme.GRASSROOTS
    assert Indicator.objects.get(key="pre_shift_person_times").get_theme_display() == "思政引领"


def test_published_figures_and_targets_are_rows_per_year():
    # when
    pre_shift = {
        (t.year, t.kind): (t.comparator, t.value)
        for t in IndicatorTarget.objects.filter(indicator__key="pre_shift_person_times")
    }
    recuperation = IndicatorTarget.objects.get(
        indicator__key="recuperation_participants", year=2025, kind="target"
    )

    # then
    assert pre_shift == {
        (2024, "published"): (">=", Decimal("271000")),
        (2025, "target"): (">=", Decimal("350000")),
    }
    assert (recuperation.comparator, recuperation.value) == (">", Decimal("110000"))
    assert not IndicatorTarget.objects.filter(
        indicator__key="new_gig_worker_members", kind="published"
    ).exists()


def test_the_data_migration_is_reversible_and_keeps_staff_edits_when_rerun():
    # given: staff changed a target in the admin
    IndicatorTarget.objects.filter(
        indicator__key="mutual_aid_enrollments", year=2025, kind="target"
    ).update(value=720000)

    # when: loading again
    load.load(apps, None)

    # then: the edit stands, nothing is duplicated
    assert IndicatorTarget.objects.get(
        indicator__key="mutual_aid_enrollments", year=2025, kind="target"
    ).value == Decimal("720000")
    assert Indicator.objects.count() == 51

    # when: unloading
    load.unload(apps, None)

    # then
    assert Indicator.objects.count() == 0
    assert IndicatorTarget.objects.count() == 0


def test_stock_figures_are_not_projected():
    # then
    flags = dict(Indicator.objects.values_list("key", "accumulates"))
    assert flags["registered_members"] is False
    assert flags["wage_contract_coverage"] is False
    assert flags["pre_shift_person_times"] is True


def test_the_nightly_rollup_of_the_current_year_is_scheduled():
    # given: the schedule as its data migration writes it (run again here: a transactional test
    # earlier in the session may have flushed the row; running twice must not duplicate it)
    schedule.schedule(apps, None)
    schedule.schedule(apps, None)

    # when
    task = PeriodicTask.objects.get(task="dashboard.tasks.rollup_year_task")

    # then
    assert task.enabled
    assert json.loads(task.kwargs) == {}
    assert (task.crontab.hour, task.crontab.minute) == ("2", "30")
    assert str(task.crontab.timezone) == "Asia/Shanghai"
