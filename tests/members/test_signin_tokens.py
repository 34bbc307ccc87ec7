"""API tokens (issue 10.6): stored hashed, expiring, revocable, with a last-used time; one model for
staff and (the member portal) members."""

import hashlib
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from members.models import AccessToken
from members.tokens import token_issue, token_revoke, token_revoke_all

pytestmark = pytest.mark.django_db


def _client(key: str, keyword: str = "Token") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


def test_the_token_endpoint_issues_a_key_that_opens_the_api(staff):
    # given / when
    answer = APIClient().post(
        "/api/v1/auth/token/", {"username": "zhili", "password": "pw-12345678"}
    )
    # then
    assert answer.status_code == 200
    key = answer.json()["token"]
    assert _client(key).get("/api/v1/members/").status_code == 200
    assert _client(key, "Bearer").get("/api/v1/members/").status_code == 200


def test_only_the_digest_is_stored_never_the_key(staff):
    key = (
        APIClient()
        .post("/api/v1/auth/token/", {"username": "zhili", "password": "pw-12345678"})
        .json()["token"]
    )
    token = AccessToken.objects.get()
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8]
    stored = [str(v) for v in AccessToken.objects.values_list().get()]
    assert key not in stored


def test_a_staff_token_expires_after_the_configured_hours(staff, settings):
    settings.STAFF_TOKEN_TTL_HOURS = 8
    before = timezone.now()
    token, _key = token_issue(user=staff["township_admin"])
    assert timedelta(hours=8) <= token.expires_at - before < timedelta(hours=8, seconds=5)


def test_an_expired_token_is_refused_with_401(staff):
    # given
    token, key = token_issue(user=staff["township_admin"])
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    # when
    answer = _client(key).get("/api/v1/members/")
    # then
    assert answer.status_code == 401
    assert "已过期" in answer.json()["detail"]


def test_a_revoked_token_is_refused_with_401(staff):
    token, key = token_issue(user=staff["township_admin"])
    assert _client(key).get("/api/v1/members/").status_code == 200
    token_revoke(token=token)
    assert _client(key).get("/api/v1/members/").status_code == 401


def test_signing_out_revokes_the_token_used(staff):
    token, key = token_issue(user=staff["township_admin"])
    assert _client(key).delete("/api/v1/auth/token/").status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _client(key).get("/api/v1/members/").status_code == 401


def test_revoke_all_ends_every_token_of_a_user(staff):
    keys = [token_issue(user=staff["township_admin"])[1] for _ in range(3)]
    _other_token, other_key = token_issue(user=staff["city_admin"])
    assert token_revoke_all(user=staff["township_admin"]) == 3
    assert all(_client(k).get("/api/v1/members/").status_code == 401 for k in keys)
    assert _client(other_key).get("/api/v1/members/").status_code == 200


def test_an_unknown_key_is_refused_with_401(staff):
    assert _client("not-a-real-key").get("/api/v1/members/").status_code == 401


def test_a_deactivated_users_token_is_refused(staff):
    _token, key = token_issue(user=staff["township_admin"])
    staff["township_admin"].is_active = False
    staff["township_admin"].save()
    assert _client(key).get("/api/v1/members/").status_code == 401


def test_using_a_token_records_when(staff):
    token, key = token_issue(user=staff["township_admin"])
    assert token.last_used_at is None
    _client(key).get("/api/v1/members/")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_wrong_password_gets_no_token(staff):
    answer = APIClient().post("/api/v1/auth/token/", {"username": "zhili", "password": "wrong"})
    assert answer.status_code == 400
    assert not AccessToken.objects.exists()


def test_a_member_token_names_a_person_and_opens_no_staff_api(staff):
    token, key = token_issue(member_id_hash="a" * 64)
    assert token.kind == AccessToken.Kind.MEMBER
    assert token.user is None
    assert _client(key).get("/api/v1/members/").status_code in {401, 403}


def test_a_token_belongs_to_exactly_one_subject(staff):
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessToken.objects.create(
            kind=AccessToken.Kind.STAFF,
            digest="d" * 64,
            prefix="dddddddd",
            user=staff["township_admin"],
            member_id_hash="a" * 64,
            expires_at=timezone.now() + timedelta(hours=1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessToken.objects.create(
            kind=AccessToken.Kind.MEMBER,
            digest="e" * 64,
            prefix="eeeeeeee",
            expires_at=timezone.now() + timedelta(hours=1),
        )
    assert not AccessToken.objects.exists()


@pytest.mark.parametrize("body", ["null", "[]", "7", '{"username": 1, "password": ["x"]}'])
def test_a_token_request_whose_body_is_not_an_object_of_strings_is_a_chinese_400(staff, body):
    # found by the API fuzz: a JSON body of null answered 500
    answer = APIClient().post("/api/v1/auth/token/", body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["detail"] == "请填写用户名和密码。"
    assert not AccessToken.objects.exists()
