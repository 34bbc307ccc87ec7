"""A recuperation programme takes no more participants than its places (名额), on every path: the
service, the admin inline, the API, and two clerks adding the last place at the same moment."""

import contextlib
import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from tests.factories import MemberFactory
from tests.welfare.test_concurrency import run_together
from welfare import services
from welfare.models import RecuperationParticipant, RecuperationProgramme

pytestmark = pytest.mark.django_db
BASE = "/api/v1/welfare"


def programme(union, capacity):
    return RecuperationProgramme.objects.create(
        union=union,
        kind=RecuperationProgramme.Kind.INCLUSIVE,
        name="普惠性疗休养第1批",
        destination="安吉",
        starts_on=dt.date(2024, 5, 6),
        ends_on=dt.date(2024, 5, 10),
        capacity=capacity,
    )


def test_the_service_refuses_a_participant_beyond_capacity(tree, staff):
    # given: a programme of two places, both taken
    full = programme(tree.zhili, capacity=2)
    clerk = staff["township_admin"]
    for _ in range(2):
        services.recuperation_participant_add(
            programme=full, member=MemberFactory(union=tree.zhili_factory), by=clerk
        )
    # when / then
    with pytest.raises(ValidationError, match="名额"):
        services.recuperation_participant_add(
            programme=full, member=MemberFactory(union=tree.zhili_factory), by=clerk
        )
    assert RecuperationParticipant.objects.filter(programme=full).count() == 2


def test_the_admin_inline_refuses_a_participant_beyond_capacity(client, tree, staff):
    full = programme(tree.zhili, capacity=1)
    services.recuperation_participant_add(
        programme=full, member=MemberFactory(union=tree.zhili_factory), by=staff["township_admin"]
    )
    late = MemberFactory(union=tree.zhili_factory)
    client.force_login(staff["township_admin"])
    # when: the clerk adds one more on the programme's page
    response = client.post(
        reverse("admin:welfare_recuperationprogramme_change", args=[full.pk]),
        {
            "union": tree.zhili.pk,
            "kind": "inclusive",
            "name": full.name,
            "destination": full.destination,
            "starts_on": "2024-05-06",
            "ends_on": "2024-05-10",
            "capacity": "1",
            "participants-TOTAL_FORMS": "2",
            "participants-INITIAL_FORMS": "1",
            "participants-0-id": full.participants.get().pk,
            "participants-0-programme": full.pk,
            "participants-1-member": late.pk,
            "participants-1-programme": full.pk,
        },
        follow=True,
    )
    # then: refused with the reason, nothing added
    assert "名额（1人）已满" in response.content.decode()
    assert not RecuperationParticipant.objects.filter(member=late).exists()
    assert full.participants.count() == 1


def test_the_api_refuses_a_participant_beyond_capacity_and_a_capacity_below_the_list(
    api, tree, staff
):
    full = programme(tree.zhili, capacity=1)
    client = api(staff["township_admin"])
    first = client.post(
        f"{BASE}/recuperation-programmes/{full.pk}/participants/",
        {"member": MemberFactory(union=tree.zhili_factory).pk},
        format="json",
    )
    second = client.post(
        f"{BASE}/recuperation-programmes/{full.pk}/participants/",
        {"member": MemberFactory(union=tree.zhili_factory).pk},
        format="json",
    )
    full.participants.create(  # a second one entered around the rules, e.g. by the demo
        member=MemberFactory(union=tree.zhili_factory), union=tree.zhili_factory
    )
    shrunk = client.patch(
        f"{BASE}/recuperation-programmes/{full.pk}/", {"capacity": 1}, format="json"
    )
    assert (first.status_code, second.status_code) == (201, 400)
    assert "名额" in second.content.decode()
    assert shrunk.status_code == 400 and "名额不能少于2" in shrunk.content.decode()
    full.refresh_from_db()
    assert full.capacity == 1


@pytest.mark.django_db(transaction=True)
def test_two_clerks_adding_the_last_place_at_once_fill_it_once(tree, staff):
    # given: one place left, two clerks adding two different members at the same moment
    last = programme(tree.zhili, capacity=1)
    a, b = MemberFactory(union=tree.zhili_factory), MemberFactory(union=tree.zhili_factory)
    # Force the interleaving: each thread, once past the programme lock, waits right before it
    # counts the participants until the other has got there too. With the lock the other is
    # still blocked on it, so the wait times out and the first commits; without the lock both
    # count zero and both insert, every run.
    both_past_the_lock = threading.Barrier(2, timeout=2)

    def pause_before_counting(execute, sql, params, many, context):
        if "COUNT(*)" in sql and "welfare_recuperationparticipant" in sql:
            with contextlib.suppress(threading.BrokenBarrierError):
                both_past_the_lock.wait()
        return execute(sql, params, many, context)

    def add(member, clerk):
        def call():
            with connection.execute_wrapper(pause_before_counting):
                return services.recuperation_participant_add(
                    programme=last, member=member, by=clerk
                )

        return call

    # when
    results = run_together(add(a, staff["township_admin"]), add(b, staff["district_admin"]))
    # then: exactly one added, the other refused for want of a place
    assert RecuperationParticipant.objects.filter(programme=last).count() == 1
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], ValidationError), results
    assert "名额" in refused[0].messages[0]
