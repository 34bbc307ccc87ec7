"""Demo activities for the synthetic Huzhou that members.demo builds. Deterministic
(random.Random(seed)), idempotent (a second run adds nothing), bulk-written.

For 2024 each figure the report card gives an actual for equals actual_2024 × scale rounded half
up (members.demo.scaled):
pre_shift_person_times (271,000), culture_to_grassroots_events (208), double_hundred_activities
(2,158), township_culture_positions (30). The figures without a 2024 actual get plausible
volumes a little below the 2025 targets: about 2,000 organisations reached by pre-shift sessions,
400 model-worker lectures and 4,000 interest-group activities (× scale), and one 工会会员日 event a
month at the city (12: a frequency, not a volume, so not scaled).

A fast path used only by seed_demo: records are bulk-inserted, not written through the
services, except where a rule is the point (README: "What the demo data goes through")."""

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from activities.demo_2025 import seed_2025
from activities.kinds import BUILTIN_KINDS, builtin_kind
from activities.models import (
    Activity,
    ActivityKind,
    ActivityReach,
    Attendance,
    CulturePosition,
    SharedCultureCentre,
)
from common.bulk_copy import bulk_copy
from common.demo_progress import PROGRESS_DAY, PROGRESS_YEAR
from common.report_card import actual
from members.demo import scaled
from members.models import Enterprise, Member, Union

DEMO_NOTE = "演示数据"

# The card's 2024 figures, from its one copy in the repository.
PRE_SHIFT_PERSON_TIMES_2024 = actual("pre_shift_person_times")
CULTURE_SHOWS_2024 = actual("culture_to_grassroots_events")
DOUBLE_HUNDRED_2024 = actual("double_hundred_activities")
CULTURE_POSITIONS_2024 = actual("township_culture_positions")
# Plausible volumes where the card gives only a 2025 target.
PRE_SHIFT_ORGANISATIONS = 2_000
PRE_SHIFT_SESSIONS = 9_000  # about 30 person-times a session
MODEL_WORKER_LECTURES = 400
OTHER_LECTURES = 150
INTEREST_GROUP_ACTIVITIES = 4_000

PRE_SHIFT_TOPICS = [
    "守好红色根脉·安全生产第一课",
    "守好红色根脉·学习二十届三中全会精神",
    "班前十分钟·工匠精神进班组",
    "班前十分钟·职工权益知多少",
    "班前十分钟·节能降耗小妙招",
    "班前十分钟·劳动法律进车间",
]
LECTURE_TOPICS = ["劳模工匠“开学第一课”", "劳模工匠进校园", "工匠精神宣讲", "劳模故事会"]
SHOW_TOPICS = ["送文化下基层·文艺汇演", "送戏进企业", "电影进园区", "书画送福"]
GROUP_TOPICS = ["职工书法兴趣小组", "职工摄影兴趣小组", "职工羽毛球兴趣小组", "职工合唱团排练"]
DOUBLE_HUNDRED_TOPICS = ["“唱响劳动美”职工文化展演", "职工文化建设成果展示", "百场职工文艺进基层"]
SPEAKERS = ["沈建国", "姚美华", "钱晓东", "吴志强", "陆秀英", "潘国良", "朱丽萍"]


def _at(rng: random.Random, year: int, hour: int, minute: int = 0) -> dt.datetime:
    days = rng.randrange(0, 365 if year != 2024 else 366)
    if year == PROGRESS_YEAR:
        # 2025 is a year in progress (common/demo_progress.py): folded into its first half, with
        # the same draw, so every later draw, and every 2024 record, stays as it was.
        days %= (PROGRESS_DAY - dt.date(year, 1, 1)).days + 1
    day = dt.date(year, 1, 1) + dt.timedelta(days=days)
    tz = timezone.get_default_timezone()
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` non-negative integers that add up exactly."""
    if parts <= 0:
        return []
    cuts = sorted(rng.randrange(0, total + 1) for _ in range(parts - 1))
    bounds = [0, *cuts, total]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


def seed(*, scale: float, seed: int) -> str:
    if Activity.objects.filter(note=DEMO_NOTE).exists():
        return "活动演示数据已存在，未重复生成。"
    rng = random.Random(seed * 7 + 4)
    with transaction.atomic():
        counts = _seed(scale=scale, rng=rng)
        # 2025 to PROGRESS_DAY, from its own generator: the 2024 records above stay as they were.
        in_2025 = seed_2025(scale=scale, rng=random.Random(seed * 7 + 2025), note=DEMO_NOTE)
    return (
        f"活动 {counts['activities']} 场，签到 {counts['attendances']} 人次，"
        f"文化阵地 {counts['positions']} 个，共享文体中心 {counts['centres']} 个；"
        f"2025年截至{PROGRESS_DAY:%m月%d日}活动 {in_2025} 场"
    )


def _seed(*, scale: float, rng: random.Random) -> dict[str, int]:
    city = Union.objects.get(level=Union.Level.CITY, parent__isnull=True)
    districts = list(Union.objects.filter(level=Union.Level.DISTRICT).order_by("code"))
    townships = list(Union.objects.filter(level=Union.Level.TOWNSHIP).order_by("code"))
    enterprises = list(Enterprise.objects.select_related("union").order_by("pk"))
    # Members eligible for 2024 attendance: joined before 2024 and still in.
    members_by_enterprise: dict[int, list[int]] = defaultdict(list)
    for pk, enterprise_id in (
        Member.objects.filter(
            status=Member.Status.ACTIVE,
            enterprise__isnull=False,
            joined_on__lt=dt.date(2024, 1, 1),
        )
        .order_by("pk")
        .values_list("pk", "enterprise_id")
    ):
        members_by_enterprise[enterprise_id].append(pk)

    kinds = {code: builtin_kind(code) for code, *_rest in BUILTIN_KINDS}
    activities: list[Activity] = []
    reaches: list[tuple[int, int, str]] = []  # (activity index, enterprise pk, team)
    named: list[tuple[int, list[int]]] = []  # (activity index, member pks)

    def add(kind: str, title: str, union: Union, starts_at: dt.datetime, minutes: int, **extra):
        activities.append(
            Activity(
                kind=kinds[kind],
                title=title,
                union=union,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=minutes),
                note=DEMO_NOTE,
                **extra,
            )
        )
        return len(activities) - 1

    # 班前十分钟: sessions held by enterprise unions in their own enterprise; every one of the
    # chosen organisations gets at least one session; person-times hit the target exactly.
    target = scaled(PRE_SHIFT_PERSON_TIMES_2024, scale)
    n_orgs = min(len(enterprises), max(1, round(PRE_SHIFT_ORGANISATIONS * scale)))
    reached = rng.sample(enterprises, n_orgs) if enterprises else []
    n_sessions = max(n_orgs, round(PRE_SHIFT_SESSIONS * scale)) if target else 0
    sizes = _split(target, n_sessions, rng)
    for i, size in enumerate(sizes):
        enterprise = reached[i % len(reached)]
        pool = members_by_enterprise.get(enterprise.pk, [])
        # Most sessions are scanned in by name; about one in five only counts heads.
        n_named = 0 if rng.random() < 0.2 else min(size, len(pool))
        index = add(
            ActivityKind.PRE_SHIFT,
            rng.choice(PRE_SHIFT_TOPICS),
            enterprise.union,
            _at(rng, 2024, 7, 50),
            10,
            place=rng.choice(["一车间", "二车间", "装配线", "仓储班组", "食堂门口"]),
            speaker=rng.choice(SPEAKERS),
            speaker_kind=rng.choice(list(Activity.SpeakerKind.values)),
            headcount=size - n_named,
        )
        reaches.append((index, enterprise.pk, rng.choice(["", "", "一班组", "二班组"])))
        if n_named:
            named.append((index, rng.sample(pool, n_named)))
    # A few sessions in 2025 so far: they do not count for 2024.
    for enterprise in reached[: max(1, n_orgs // 10)]:
        index = add(
            ActivityKind.PRE_SHIFT,
            rng.choice(PRE_SHIFT_TOPICS),
            enterprise.union,
            _at(rng, 2025, 7, 50),
            10,
            speaker=rng.choice(SPEAKERS),
            speaker_kind=Activity.SpeakerKind.GRASSROOTS_CADRE,
            headcount=rng.randrange(10, 40),
        )
        reaches.append((index, enterprise.pk, ""))

    # Lectures: model workers and craftsmen (counted), and other speakers (not counted).
    lecture_unions = [city, *districts, *townships]
    for n, speaker_kind in (
        (round(MODEL_WORKER_LECTURES * scale), Activity.SpeakerKind.MODEL_WORKER),
        (round(OTHER_LECTURES * scale), None),
    ):
        for _ in range(n):
            add(
                ActivityKind.LECTURE,
                rng.choice(LECTURE_TOPICS),
                rng.choice(lecture_unions),
                _at(rng, 2024, 14, 0),
                90,
                place="职工学校报告厅",
                speaker=rng.choice(SPEAKERS),
                speaker_kind=speaker_kind
                or rng.choice(
                    [
                        Activity.SpeakerKind.PARTY_SCHOOL,
                        Activity.SpeakerKind.SCHOOL,
                        Activity.SpeakerKind.GRASSROOTS_CADRE,
                    ]
                ),
                headcount=rng.randrange(40, 200),
            )

    # 送文化下基层 and “双百引领”: shows whose audience nobody lists (headcount only).
    # The enterprises under each possible host, listed once (not once per show: 2,366 shows ×
    # 18,000 enterprises was the slowest loop of seed_demo --scale 1.0), in the same order.
    local_to = {
        u.pk: [e for e in enterprises if e.union.path.startswith(u.path)]
        for u in [city, *districts]
    }
    for kind, n, topics in (
        (ActivityKind.CULTURE_SHOW, scaled(CULTURE_SHOWS_2024, scale), SHOW_TOPICS),
        (ActivityKind.DOUBLE_HUNDRED, scaled(DOUBLE_HUNDRED_2024, scale), DOUBLE_HUNDRED_TOPICS),
    ):
        for _ in range(n):
            union = rng.choice([city, *districts])
            index = add(
                kind,
                rng.choice(topics),
                union,
                _at(rng, 2024, 18, 30),
                120,
                place="企业广场",
                headcount=rng.randrange(150, 600),
            )
            local = local_to[union.pk]
            for enterprise in rng.sample(local, min(len(local), 2)):
                reaches.append((index, enterprise.pk, ""))

    # 兴趣小组: small named groups in enterprises.
    group_enterprises = [e for e in enterprises if members_by_enterprise.get(e.pk)]
    for _ in range(round(INTEREST_GROUP_ACTIVITIES * scale) if group_enterprises else 0):
        enterprise = rng.choice(group_enterprises)
        pool = members_by_enterprise[enterprise.pk]
        index = add(
            ActivityKind.INTEREST_GROUP,
            rng.choice(GROUP_TOPICS),
            enterprise.union,
            _at(rng, 2024, 19, 0),
            90,
            place="职工之家",
        )
        reaches.append((index, enterprise.pk, ""))
        named.append((index, rng.sample(pool, min(len(pool), rng.randrange(4, 12)))))

    # 工会会员日: the 20th of every month, at the city, alternately online and offline.
    tz = timezone.get_default_timezone()
    for month in range(1, 13):
        add(
            ActivityKind.MEMBER_DAY,
            f"2024年{month}月“工会会员日”",
            city,
            dt.datetime(2024, month, 20, 19, 0, tzinfo=tz),
            120,
            is_online=month % 2 == 0,
            place="线上直播" if month % 2 == 0 else "湖州市职工服务中心",
            headcount=rng.randrange(200, 1000),
        )

    # Districts hold their own member days too: on the 20th in spring and autumn (each district's
    # figure is its months, 2), and one on another day, which the card's 每月20日 does not count.
    for district in districts:
        for month, day in ((3, 20), (9, 20), (9, 21)):
            add(
                ActivityKind.MEMBER_DAY,
                f"2024年{month}月{district.name[:-3]}“工会会员日”",
                district,
                dt.datetime(2024, month, day, 19, 0, tzinfo=tz),
                90,
                place=f"{district.name[:-3]}职工服务中心",
                headcount=rng.randrange(100, 400),
            )

    Activity.objects.bulk_create(activities, batch_size=2000)
    # Plain tuples written by COPY (common/bulk_copy.py): no model instance per row.
    bulk_copy(
        ActivityReach,
        ("activity_id", "enterprise_id", "team"),
        [(activities[i].pk, e, team) for i, e, team in dict.fromkeys(reaches)],
    )
    attendances = [
        (
            activities[i].pk,
            m,
            rng.choice([Attendance.Method.QR] * 4 + [Attendance.Method.STAFF]),
        )
        for i, members in named
        for m in members
    ]
    bulk_copy(Attendance, ("activity_id", "member_id", "method"), attendances)

    # Culture positions built by township unions in 2024, and the shared 永艺-style centre.
    built = rng.sample(townships, min(len(townships), scaled(CULTURE_POSITIONS_2024, scale) + 2))
    positions = [
        CulturePosition(
            name=f"{town.name[:-3]}职工文化活动阵地",
            union=town,
            address=f"{town.name[:-3]}职工服务中心",
            # The first two were built before 2024 (so the admin has some to show at any
            # scale); the rest are the year's scaled(30, scale).
            opened_on=dt.date(2023 if i < 2 else 2024, 1, 1)
            + dt.timedelta(days=rng.randrange(0, 365)),
            note=DEMO_NOTE,
        )
        for i, town in enumerate(built)
    ]
    # A township may complete a second position in the year: the figure counts township unions,
    # so it still counts once.
    if len(built) > 2:
        positions.append(
            CulturePosition(
                name=f"{built[2].name[:-3]}职工书屋",
                union=built[2],
                address=f"{built[2].name[:-3]}文化礼堂",
                opened_on=dt.date(2024, 12, 1),
                note=DEMO_NOTE,
            )
        )
    CulturePosition.objects.bulk_create(positions)
    centres = 0
    # The 永艺 centre is in 安吉; at a small scale 安吉 may have no enterprise yet: any will do.
    anji = [e for e in enterprises if e.union.code.startswith("330523")] or enterprises
    if anji:
        lead = anji[0].union
        centre = SharedCultureCentre.objects.create(
            name="永艺职工文体中心",
            union=lead,
            workers_served=30_000,
            address="安吉县递铺街道",
            opened_on=dt.date(2024, 4, 1),
        )
        centre.co_builders.set(Union.objects.filter(Q(pk=lead.parent_id)))
        centre.enterprises.set(anji[:100])
        centres = 1
    return {
        "activities": len(activities),
        "attendances": len(attendances),
        "positions": len(positions),
        "centres": centres,
    }
