"""Issue 13: a cached indicators read is a handful of statements, as a signed-in leader's browser
or app makes it (session cookie, verified two-factor device), and their number does not grow with
the number of indicators. It was twelve: the session, the user, the device, two permission
lookups, the staff profile, its union, the snapshot, two aggregates for the targets version and
the session's save (two statements)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from dashboard import services
from dashboard.models import Snapshot
from tests.dashboard.factories import IndicatorFactory
from tests.dashboard.test_api import URL, by_key, rolled_up  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    """`client` with a session as the sign-in page and /admin/2fa/ leave it for `user`."""
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def statements(client, params) -> tuple[int, object]:
    """The SQL statements of one GET, without the savepoint pair: ATOMIC_REQUESTS inside the
    test's own transaction makes the request's BEGIN/COMMIT a savepoint."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    counted = [q for q in queries if "SAVEPOINT" not in q["sql"]]
    return len(counted), response


def test_a_cached_read_costs_four_statements_whatever_the_number_of_indicators(
    settings,
    client,
    staff,
    rolled_up,  # noqa: F811
    member_figures,
):
    # given: two-factor sign-in required (as in production), a verified session, a cached board
    settings.OTP_REQUIRED = True
    signed_in(client, staff["city_admin"])
    assert client.get(URL, {"year": 2024}).status_code == 200

    # when: read again, by default union and by its code
    count, response = statements(client, {"year": 2024})
    by_code, response_by_code = statements(client, {"year": 2024, "union": "330500"})

    # then: the session, the user with its scope, the device, the snapshot with the targets
    # version; nothing written
    assert response.status_code == 200 and response_by_code.status_code == 200
    assert count <= 4, count
    assert by_code == count
    rows = by_key(response)

    # when: ten more indicators and a new snapshot
    IndicatorFactory.create_batch(10)
    services.rollup_year(year=2024, figures=member_figures)
    assert Snapshot.objects.get(year=2024, is_current=True).pk != rolled_up.pk
    assert client.get(URL, {"year": 2024}).status_code == 200  # builds the new board
    count_after, response = statements(client, {"year": 2024})

    # then: the new snapshot's board, for the same number of statements
    assert len(by_key(response)) == len(rows) + 10
    assert count_after == count


def test_a_new_snapshot_is_served_at_once_not_the_cached_board_of_the_old_one(
    client,
    staff,
    rolled_up,  # noqa: F811
    member_figures,
):
    # given: the board of the current snapshot is cached
    signed_in(client, staff["leadership"])
    first = client.get(URL, {"year": 2024})
    assert first.status_code == 200

    # when: a roll-up publishes a new snapshot
    services.rollup_year(year=2024, figures=member_figures)

    # then: the next read carries the new snapshot (its ETag names it)
    second = client.get(URL, {"year": 2024})
    current = Snapshot.objects.get(year=2024, is_current=True)
    assert current.pk != rolled_up.pk
    assert f":{current.pk}:" in second["ETag"]
    assert second["ETag"] != first["ETag"]
    assert second.json()["computed_at"] != first.json()["computed_at"]
