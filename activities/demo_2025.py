"""The demo's 2025 so far (common/demo_progress.py): 班前十分钟 sessions and the organisations they
reach, model-worker lectures, 送文化下基层 shows, interest-group activities, each at a share of
its 2025 target × scale, and the city's 工会会员日 on the 20th of each month to PROGRESS_DAY.
Headcount-only records: the 2024 seed names attendees; the progress figures need no names. Its
own random generator, so the 2024 records are exactly what they were."""

import datetime as dt
import random

from django.utils import timezone

from activities.kinds import builtin_kind
from activities.models import Activity, ActivityKind, ActivityReach
from common.demo_progress import PROGRESS_DAY, PROGRESS_YEAR, progress_count, progress_day
from members.models import Enterprise, Union


def seed_2025(*, scale: float, rng: random.Random, note: str) -> int:
    from activities.demo import (
        GROUP_TOPICS,
        LECTURE_TOPICS,
        PRE_SHIFT_TOPICS,
        SHOW_TOPICS,
        SPEAKERS,
    )

    city = Union.objects.get(level=Union.Level.CITY, parent__isnull=True)
    districts = list(Union.objects.filter(level=Union.Level.DISTRICT).order_by("code"))
    townships = list(Union.objects.filter(level=Union.Level.TOWNSHIP).order_by("code"))
    enterprises = list(Enterprise.objects.select_related("union").order_by("pk"))
    tz = timezone.get_default_timezone()
    activities: list[Activity] = []
    reaches: list[tuple[int, int]] = []  # (activity index, enterprise pk)

    def add(kind: str, title: str, union: Union, hour: int, minutes: int, **extra) -> int:
        day = progress_day(rng)
        starts_at = dt.datetime(day.year, day.month, day.day, hour, tzinfo=tz)
        activities.append(
            Activity(
                kind=builtin_kind(kind),
                title=title,
                union=union,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=minutes),
                note=note,
                **extra,
            )
        )
        return len(activities) - 1

    if enterprises:
        n_orgs = min(len(enterprises), progress_count("pre_shift_organisations", scale, rng))
        person_times = progress_count("pre_shift_person_times", scale, rng)
        reached = rng.sample(enterprises, n_orgs)
        n_sessions = max(n_orgs, person_times // 30)
        for i in range(n_sessions):
            enterprise = reached[i % n_orgs]
            # Person-times add up exactly: the last session takes the remainder.
            size = person_times // n_sessions + (1 if i < person_times % n_sessions else 0)
            index = add(
                ActivityKind.PRE_SHIFT,
                rng.choice(PRE_SHIFT_TOPICS),
                enterprise.union,
                7,
                10,
                speaker=rng.choice(SPEAKERS),
                speaker_kind=Activity.SpeakerKind.GRASSROOTS_CADRE,
                headcount=size,
            )
            reaches.append((index, enterprise.pk))
    for _ in range(progress_count("model_worker_lectures", scale, rng)):
        add(
            ActivityKind.LECTURE,
            rng.choice(LECTURE_TOPICS),
            rng.choice([city, *districts, *townships]),
            14,
            90,
            place="职工学校报告厅",
            speaker=rng.choice(SPEAKERS),
            speaker_kind=Activity.SpeakerKind.MODEL_WORKER,
            headcount=rng.randrange(40, 200),
        )
    for _ in range(progress_count("culture_to_grassroots_events", scale, rng)):
        add(
            ActivityKind.CULTURE_SHOW,
            rng.choice(SHOW_TOPICS),
            rng.choice([city, *districts]),
            18,
            120,
            place="企业广场",
            headcount=rng.randrange(150, 600),
        )
    if enterprises:
        for _ in range(progress_count("interest_group_activities", scale, rng)):
            enterprise = rng.choice(enterprises)
            index = add(
                ActivityKind.INTEREST_GROUP,
                rng.choice(GROUP_TOPICS),
                enterprise.union,
                19,
                90,
                place="职工之家",
                headcount=rng.randrange(4, 12),
            )
            reaches.append((index, enterprise.pk))
    # 工会会员日: the 20th of each month to PROGRESS_DAY (a frequency, not scaled).
    for month in range(1, PROGRESS_DAY.month + 1):
        starts_at = dt.datetime(PROGRESS_YEAR, month, 20, 19, 0, tzinfo=tz)
        activities.append(
            Activity(
                kind=builtin_kind(ActivityKind.MEMBER_DAY),
                title=f"{PROGRESS_YEAR}年{month}月“工会会员日”",
                union=city,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=120),
                is_online=month % 2 == 0,
                place="线上直播" if month % 2 == 0 else "湖州市职工服务中心",
                headcount=rng.randrange(200, 1000),
                note=note,
            )
        )
    Activity.objects.bulk_create(activities, batch_size=2000)
    ActivityReach.objects.bulk_create(
        [ActivityReach(activity=activities[i], enterprise_id=e) for i, e in dict.fromkeys(reaches)],
        batch_size=2000,
    )
    return len(activities)
