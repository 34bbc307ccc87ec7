"""Factories for the dashboard's own rows; the records behind figures come from the apps' factories."""

import datetime as dt
import itertools

import factory
from django.utils import timezone

from dashboard.models import Indicator, IndicatorTarget, RollupRun, Snapshot
from members.models import Member
from members.validators import id_check_char
from tests.factories import MemberFactory

_own_numbers = itertools.count(1)


def member(**kwargs) -> Member:
    """A member whose ID number comes from the dashboard tests' own sequence (region 330599,
    born 1 January 1985). The shared make_id_number sequence shifts birth dates once a session has
    drawn 500 numbers, and a members test asserts an exact birth date from it; the dashboard's
    record fixtures, run first in the suite, drew enough to push it past that."""
    first17 = f"33059919850101{next(_own_numbers) % 1000:03d}"
    return MemberFactory(id_number=first17 + id_check_char(first17), **kwargs)


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
