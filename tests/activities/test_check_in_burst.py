"""A burst of check-ins to one big session at shift start, on real PostgreSQL with real threads:
none lost, none duplicated, duplicates answered with the first record."""

import threading
from collections import Counter

import pytest
from django.db import connection

from activities import services
from activities.models import Attendance
from members.actors import MemberActor
from tests.activities.factories import ActivityFactory
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
    barrier = threading.Barrier(THREADS)
    outcomes: list[tuple[int, bool]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def scan(batch):
        try:
            barrier.wait()
            for member in batch:
                result = services.attendance_check_in(
                    token=token, member=member, now=now, by=MemberActor(member)
                )
                with lock:
                    outcomes.append((member.pk, result.created))
        except BaseException as exc:  # noqa: BLE001 - reported below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan, args=(batch,)) for batch in plan]

    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert errors == []
    assert len(outcomes) == THREADS * MEMBERS_PER_THREAD
    created = Counter(pk for pk, was_created in outcomes if was_created)
    assert created == Counter({m.pk: 1 for m in members})
    assert Attendance.objects.filter(activity=activity).count() == len(members)
    assert set(Attendance.objects.values_list("member_id", flat=True)) == {m.pk for m in members}
