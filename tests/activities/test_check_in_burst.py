"""A burst of check-ins to one big session at shift start, on real PostgreSQL with real threads:
none lost, none duplicated, duplicates answered with the first record. One pair of scans of
the same member is forced to collide (see tests.concurrency.race), so the test fails every run
if the unique constraint that guards it is dropped."""

from collections import Counter

import pytest

from activities import services
from activities.models import Attendance
from members.actors import MemberActor
from tests.activities.factories import ActivityFactory
from tests.concurrency import race
from tests.factories import MemberFactory

THREADS = 20
MEMBERS_PER_THREAD = 6


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_concurrent_scans_loses_none_and_duplicates_none(tree):
    # given: 60 members; every member's scan is sent by two different threads (120 scans)
    union = tree.zhili_factory
    activity = ActivityFactory(union=union)
    members = [MemberFactory(union=union) for _ in range(THREADS * MEMBERS_PER_THREAD // 2)]
    token = services.check_in_token(activity=activity)
    now = activity.starts_at
    plan = [
        [members[(t * MEMBERS_PER_THREAD + i) % len(members)] for i in range(MEMBERS_PER_THREAD)]
        for t in range(THREADS)
    ]

    def scan(batch) -> list[tuple[int, bool]]:
        return [
            (
                member.pk,
                services.attendance_check_in(
                    token=token, member=member, now=now, by=MemberActor(member)
                ).created,
            )
            for member in batch
        ]

    # when: all at once, and forced to collide: the first thread has looked for its first
    # member's record and found none, and holds there until the thread sending the same member
    # (plan[THREADS // 2]) has looked too and is writing it
    results = race(*[lambda batch=batch: scan(batch) for batch in plan])

    # then
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    outcomes = [outcome for thread_outcomes in results for outcome in thread_outcomes]
    assert len(outcomes) == THREADS * MEMBERS_PER_THREAD
    created = Counter(pk for pk, was_created in outcomes if was_created)
    assert created == Counter({m.pk: 1 for m in members})
    assert Attendance.objects.filter(activity=activity).count() == len(members)
    assert set(Attendance.objects.values_list("member_id", flat=True)) == {m.pk for m in members}
