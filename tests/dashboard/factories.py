"""Factories for the dashboard's own rows; the records behind figures come from the apps' factories."""

import datetime as dt

import factory
from django.utils import timezone

from dashboard.models import Indicator, IndicatorTarget, RollupRun, Snapshot


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ["key"]

    key = factory.Sequence(lambda n: f"test_indicator_{n}")
    name_zh = factory.Sequence(lambda n: f"测试指标{n}")
    theme = Indicator.Theme.SERVICE
    unit = Indicator.Unit.ITEMS
    app = "tests"
    position = 900


class IndicatorTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2025
    kind = IndicatorTarget.Kind.TARGET
    comparator = IndicatorTarget.Comparator.GTE
    value = 100


class RollupRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RollupRun

    year = 2024
    status = RollupRun.Status.SUCCEEDED


class SnapshotFactory(factory.django.DjangoModelFactory):
    """A snapshot as a past roll-up left it (for history: trend, same date last year)."""

    class Meta:
        model = Snapshot

    year = 2024
    run = factory.SubFactory(RollupRunFactory, year=factory.SelfAttribute("..year"))
    computed_at = factory.LazyFunction(timezone.now)
    duration = dt.timedelta(seconds=1)
    is_current = False
