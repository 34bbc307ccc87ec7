"""Two requests through the member API for the same limited place at the same moment: real
threads, each on its own PostgreSQL connection and in its own request transaction, the second
arriving while the first holds the programme's lock (tests.concurrency.race). The first request
is held just before it writes its place, after it has passed every check, locked the programme
and counted the places; the second then passes the same checks (the place is still free as far
as it can see) and is let go. With the lock it waits for the first to commit, counts its place
and is refused in Chinese; without it, it counts the same free place and both write: each test
fails every run if `_lock_programme` is removed."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from members.tokens import token_issue
from tests.concurrency import race
from tests.factories import MemberFactory
from welfare.models import RecuperationParticipant, RecuperationProgramme

SIGN_UP = "/api/v1/me/recuperation/"
# The place's own INSERT: the token check and the request's other reads come before it.
WRITES_THE_PLACE = re.compile(r'^\s*INSERT INTO "welfare_recuperationparticipant"', re.IGNORECASE)


def _app(member) -> APIClient:
    _token, key = token_issue(member_id_hash=member.id_number_hash)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _programme(union, capacity: int) -> RecuperationProgramme:
    starts = timezone.localdate() + dt.timedelta(days=20)
    return RecuperationProgramme.objects.create(
        union=union,
        kind=RecuperationProgramme.Kind.INCLUSIVE,
        name="安吉普惠性疗休养",
        destination="安吉",
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=3),
        capacity=capacity,
    )


def _sign_up(member, programme):
    app = _app(member)
    return lambda: app.post(SIGN_UP, {"programme": programme.pk}, format="json")


def _outcome(results) -> tuple[list[int], list[str]]:
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    return sorted(r.status_code for r in results), [
        str(r.json()) for r in results if r.status_code != 201
    ]


@pytest.mark.django_db(transaction=True)
def test_two_members_asking_for_the_last_place_at_once_get_it_once(tree):
    # given: one place left, two members of the programme's district
    last = _programme(tree.wuxing, capacity=1)
    a, b = MemberFactory(union=tree.zhili_factory), MemberFactory(union=tree.balidian_factory)
    # when
    results = race(_sign_up(a, last), _sign_up(b, last), at=WRITES_THE_PLACE)
    # then: exactly one place written; the other told in Chinese that the places are gone
    statuses, refusals = _outcome(results)
    assert statuses == [201, 400]
    assert refusals == ["{'detail': ['该疗休养项目名额（1人）已满。']}"]
    assert RecuperationParticipant.objects.filter(programme=last).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_sign_up_sent_twice_at_once_takes_one_place(tree):
    # given: places enough, and a phone that sends the same sign-up twice (a double tap)
    programme = _programme(tree.wuxing, capacity=5)
    me = MemberFactory(union=tree.zhili_factory, name="钱师傅")
    # when
    results = race(_sign_up(me, programme), _sign_up(me, programme), at=WRITES_THE_PLACE)
    # then
    statuses, refusals = _outcome(results)
    assert statuses == [201, 400]
    assert refusals == ["{'detail': ['钱师傅已在该疗休养名单中。']}"]
    assert RecuperationParticipant.objects.filter(programme=programme, member=me).count() == 1
