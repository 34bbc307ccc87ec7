"""A staff session's idle clock restarts with each request, but the row is rewritten only when its
stored expiry has fallen a minute behind (common/sessions.py): a clerk paging through a list does
not write to the database on every page. Changed session data is always saved."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.sessions import REFRESH_AFTER, SessionStore

pytestmark = pytest.mark.django_db


def _session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and q["sql"].startswith(("UPDATE", "INSERT"))
    ]


def _expiry_left() -> timedelta:
    return Session.objects.get().expire_date - timezone.now()


def test_a_request_soon_after_the_last_save_does_not_rewrite_the_session(client, staff):
    # given: a session saved a moment ago
    client.force_login(staff["township_admin"])
    stored = Session.objects.get().expire_date
    # when
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/members/member/").status_code == 200
    # then
    assert _session_writes(queries) == []
    assert Session.objects.get().expire_date == stored


def test_a_request_once_the_expiry_is_a_minute_behind_restarts_the_idle_clock(client, staff):
    # given: the last save was just over a minute ago
    client.force_login(staff["township_admin"])
    Session.objects.update(expire_date=timezone.now() + timedelta(hours=2) - REFRESH_AFTER * 1.1)
    # when
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/members/member/").status_code == 200
    # then: two full hours from now again, in one write
    assert len(_session_writes(queries)) == 1
    assert timedelta(hours=2) - timedelta(seconds=5) < _expiry_left() <= timedelta(hours=2)


def test_a_shorter_idle_time_set_by_the_operator_is_written_at_once(client, staff, settings):
    client.force_login(staff["township_admin"])
    settings.SESSION_COOKIE_AGE = 30 * 60

    assert client.get("/admin/members/member/").status_code == 200

    assert _expiry_left() <= timedelta(minutes=30)


def test_changed_session_data_is_saved_even_right_after_a_save(db):
    # given: a session saved a moment ago
    first = SessionStore()
    first["step"] = 1
    first.save(must_create=True)
    # when: the next request reads it, changes it and saves it
    again = SessionStore(session_key=first.session_key)
    assert again["step"] == 1
    again["step"] = 2
    again.save()
    # then
    assert SessionStore(session_key=first.session_key)["step"] == 2


def test_an_unchanged_session_read_right_after_a_save_is_not_written(db):
    first = SessionStore()
    first["step"] = 1
    first.save(must_create=True)
    again = SessionStore(session_key=first.session_key)

    with CaptureQueriesContext(connection) as queries:
        again.save()

    assert _session_writes(queries) == []
    assert [q["sql"] for q in queries if q["sql"].startswith("SELECT")]  # it did read the row


def test_a_value_changed_inside_a_stored_dict_is_written_though_modified_is_not_set(client, staff):
    # given: a session holding a dict, saved a moment ago
    client.force_login(staff["township_admin"])
    session = client.session
    session["box"] = {"at": "before"}
    session.save()

    # when: a value inside the dict changes (Django does not mark the session modified for that)
    session = SessionStore(session_key=client.session.session_key)
    session["box"]["at"] = "after"
    assert not session.modified
    session.save()

    # then: the change is stored, as SESSION_SAVE_EVERY_REQUEST always did
    assert SessionStore(session_key=session.session_key)["box"] == {"at": "after"}
