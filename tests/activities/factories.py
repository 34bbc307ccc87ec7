"""factory_boy factories for activities, built on the registry's factories."""

import datetime as dt

import factory
from django.utils import timezone

from activities.kinds import builtin_kind
from activities.models import (
    Activity,
    ActivityKind,
    ActivityReach,
    Attendance,
    CulturePosition,
)
from tests.factories import UnionFactory

SHANGHAI = timezone.get_default_timezone()


def local(year: int, month: int, day: int, hour: int = 8, minute: int = 0) -> dt.datetime:
    """An aware datetime in Huzhou time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    class Params:
        code = ActivityKind.PRE_SHIFT

    kind = factory.LazyAttribute(lambda o: builtin_kind(o.code))
    title = factory.Sequence(lambda n: f"班前十分钟·第{n}讲")
    union = factory.SubFactory(UnionFactory)
    starts_at = factory.LazyFunction(lambda: local(2024, 6, 3, 8, 0))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=10))
    place = "车间门口"
    speaker = factory.LazyAttribute(lambda o: "王师傅" if o.kind.has_speaker else "")
    speaker_kind = factory.LazyAttribute(
        lambda o: Activity.SpeakerKind.MODEL_WORKER if o.kind.has_speaker else ""
    )
    headcount = 0


class ReachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityReach

    activity = factory.SubFactory(ActivityFactory)
    team = ""


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    activity = factory.SubFactory(ActivityFactory)
    method = Attendance.Method.STAFF


class CulturePositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CulturePosition

    name = factory.Sequence(lambda n: f"职工文化家园{n}")
    opened_on = dt.date(2024, 6, 1)
