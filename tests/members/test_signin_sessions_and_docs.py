"""Staff sessions end after two idle hours; the API schema and docs need sign-in in production
(issue 10.6)."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from members.tokens import token_issue

pytestmark = pytest.mark.django_db


def _signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_sessions_last_two_idle_hours(settings):
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_each_request_restarts_the_idle_clock(staff):
    # given: a session with ten minutes left
    client = _signed_in_client(staff["township_admin"])
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=10))
    # when
    assert client.get("/admin/").status_code == 200
    # then: two hours from now again
    left = Session.objects.get().expire_date - timezone.now()
    assert timedelta(minutes=119) < left <= timedelta(hours=2)


def test_a_session_idle_for_two_hours_is_signed_out(staff):
    # given: the last request was two hours and a second ago
    client = _signed_in_client(staff["township_admin"])
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    # when
    answer = client.get("/admin/")
    # then
    assert answer.status_code == 302
    assert answer["Location"].startswith("/admin/login/")


def test_in_production_the_schema_needs_sign_in(settings, staff):
    settings.API_DOCS_PUBLIC = False
    assert APIClient().get("/api/schema/").status_code in {401, 403}
    _token, key = token_issue(user=staff["township_admin"])
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert by_token.get("/api/schema/").status_code == 200
    assert _signed_in_client(staff["township_admin"]).get("/api/schema/").status_code == 200


def test_in_production_the_docs_page_sends_a_visitor_to_sign_in(settings, staff):
    settings.API_DOCS_PUBLIC = False
    answer = Client().get("/api/docs/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/admin/login/?next=/api/docs/")
    page = _signed_in_client(staff["township_admin"]).get("/api/docs/")
    assert page.status_code == 200
    assert b"swagger-ui" in page.content


def test_on_a_local_run_the_docs_are_open(settings):
    settings.API_DOCS_PUBLIC = True
    assert Client().get("/api/schema/").status_code == 200
    assert Client().get("/api/docs/").status_code == 200


def test_production_defaults_close_the_docs():
    import os
    import subprocess
    import sys
    from pathlib import Path

    from members.crypto import new_hash_key, new_key

    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "s" * 10 + "-a-long-random-production-secret-key-0123456789-xyz",
        "MEMBER_ID_KEYS": new_key("k1"),
        "MEMBER_ID_HASH_KEY": new_hash_key(),
        "DJANGO_SETTINGS_MODULE": "huzhou_union.settings",
    }
    env.pop("API_DOCS_PUBLIC", None)
    code = (
        "from huzhou_union import settings as s; "
        "print(s.API_DOCS_PUBLIC, s.SESSION_COOKIE_AGE, s.SESSION_SAVE_EVERY_REQUEST)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["False", "7200", "True"], result.stderr
