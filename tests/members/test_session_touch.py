"""The idle clock is restarted at most once a minute (common/sessions.py): a burst of requests
writes the session row once, a session whose expiry is a minute or more behind is written, and a
session whose data changed is written at once."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.sessions import SessionStore

pytestmark = pytest.mark.django_db


def session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


def test_requests_within_a_minute_of_the_last_save_do_not_write_the_session(staff):
    # given: a session saved just now (the sign-in)
    client = Client()
    client.force_login(staff["township_admin"])
    saved = Session.objects.get().expire_date

    # when: three pages in a row
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get("/admin/").status_code == 200

    # then: the row was not written again
    assert session_writes(queries) == []
    assert Session.objects.get().expire_date == saved


def test_a_session_last_saved_over_a_minute_ago_is_saved_again(staff):
    # given: the last save was 61 seconds ago
    client = Client()
    client.force_login(staff["township_admin"])
    Session.objects.update(expire_date=timezone.now() + timedelta(hours=2, seconds=-61))

    # when
    assert client.get("/admin/").status_code == 200

    # then: two hours from now again
    left = Session.objects.get().expire_date - timezone.now()
    assert timedelta(minutes=119, seconds=50) < left <= timedelta(hours=2)


def test_a_changed_session_is_saved_at_once_however_recent_the_last_save():
    # given: a session saved just now
    store = SessionStore()
    store["seen"] = 1
    store.create()
    loaded = SessionStore(session_key=store.session_key)
    assert loaded["seen"] == 1

    # when: its data changes and it is saved within the minute
    loaded["seen"] = 2
    loaded.save()

    # then: the change is kept
    assert SessionStore(session_key=store.session_key)["seen"] == 2
