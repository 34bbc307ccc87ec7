"""Lockout after repeated failed sign-ins, per account and per address, on the admin and the API
token endpoint (django-axes), and the city admin's unlock (issue 10.6)."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.test import APIClient

from members.models import AccessToken

pytestmark = pytest.mark.django_db

RIGHT = "pw-12345678"


def _admin_sign_in(username: str, password: str, ip: str = "10.0.0.1"):
    client = Client(REMOTE_ADDR=ip)
    answer = client.post("/admin/login/?next=/admin/", {"username": username, "password": password})
    return client, answer


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_twenty_wrong_passwords_then_the_right_one_is_refused_on_the_admin(staff):
    # given
    for _ in range(20):
        _client, answer = _admin_sign_in("zhili", "wrong-password")
    # when
    client, answer = _admin_sign_in("zhili", RIGHT)
    # then
    assert answer.status_code == 429
    assert "登录失败次数过多" in answer.content.decode()
    assert not _signed_in(client)


def test_the_account_is_locked_from_any_address(staff):
    for n in range(5):
        _admin_sign_in("zhili", "wrong-password", ip=f"10.0.1.{n}")
    client, answer = _admin_sign_in("zhili", RIGHT, ip="10.0.9.9")
    assert answer.status_code == 429
    assert not _signed_in(client)


def test_an_address_trying_many_accounts_is_locked_for_all_of_them(staff):
    for name in ["a1", "a2", "a3", "a4", "a5"]:
        _admin_sign_in(name, "wrong-password", ip="10.0.2.1")
    client, answer = _admin_sign_in("zhili", RIGHT, ip="10.0.2.1")
    assert answer.status_code == 429
    assert not _signed_in(client)
    # another address is not affected
    client, answer = _admin_sign_in("zhili", RIGHT, ip="10.0.2.2")
    assert _signed_in(client)


def test_fewer_failures_than_the_limit_do_not_lock(staff):
    for _ in range(4):
        _admin_sign_in("zhili", "wrong-password")
    client, answer = _admin_sign_in("zhili", RIGHT)
    assert answer.status_code == 302
    assert _signed_in(client)


def test_twenty_wrong_passwords_then_the_right_one_gets_no_api_token(staff):
    api = APIClient(REMOTE_ADDR="10.0.3.1")
    for _ in range(20):
        api.post("/api/v1/auth/token/", {"username": "zhili", "password": "wrong-password"})
    answer = api.post("/api/v1/auth/token/", {"username": "zhili", "password": RIGHT})
    assert answer.status_code == 429
    assert "登录失败次数过多" in answer.json()["detail"]
    assert not AccessToken.objects.exists()


def test_admin_failures_lock_the_api_too(staff):
    for _ in range(5):
        _admin_sign_in("zhili", "wrong-password", ip="10.0.4.1")
    answer = APIClient(REMOTE_ADDR="10.0.4.2").post(
        "/api/v1/auth/token/", {"username": "zhili", "password": RIGHT}
    )
    assert answer.status_code == 429
    assert not AccessToken.objects.exists()


def test_the_city_admin_unlocks_an_account(staff):
    # given: zhili is locked out
    for _ in range(20):
        _admin_sign_in("zhili", "wrong-password")
    assert _admin_sign_in("zhili", RIGHT)[1].status_code == 429
    city = Client()
    city.force_login(staff["city_admin"])
    listing = city.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "zhili" in listing.content.decode()
    # when: the city admin deletes the attempts (解除锁定)
    ids = list(AccessAttempt.objects.filter(username="zhili").values_list("pk", flat=True))
    answer = city.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert answer.status_code == 302
    # then
    assert not AccessAttempt.objects.filter(username="zhili").exists()
    client, answer = _admin_sign_in("zhili", RIGHT)
    assert answer.status_code == 302
    assert _signed_in(client)


@pytest.mark.parametrize("role", ["district_admin", "township_admin", "leadership"])
def test_lower_roles_cannot_see_or_clear_lockouts(staff, role):
    for _ in range(5):
        _admin_sign_in("zhili", "wrong-password")
    client = Client()
    client.force_login(staff[role])
    assert client.get("/admin/axes/accessattempt/").status_code == 403
    ids = list(AccessAttempt.objects.values_list("pk", flat=True))
    client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert AccessAttempt.objects.count() == len(ids)


def test_behind_a_proxy_the_forwarded_address_is_the_one_locked(staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4").post(
            "/admin/login/", {"username": "nobody", "password": "x"}
        )
    locked = Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert locked.post("/admin/login/", {"username": "zhili", "password": RIGHT}).status_code == 429
    other = Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="5.6.7.8")
    assert other.post("/admin/login/", {"username": "zhili", "password": RIGHT}).status_code == 302


def test_a_successful_sign_in_does_not_wipe_an_addresss_failures(staff):
    # given: four guesses from one address, then a sign-in with a known password from there
    for name in ["a1", "a2", "a3", "a4"]:
        _admin_sign_in(name, "wrong-password", ip="10.0.5.1")
    _client, answer = _admin_sign_in("wuxing", RIGHT, ip="10.0.5.1")
    assert answer.status_code == 302
    # when: one more guess
    _admin_sign_in("a5", "wrong-password", ip="10.0.5.1")
    # then: the address is locked out, even for the known password
    client, answer = _admin_sign_in("wuxing", RIGHT, ip="10.0.5.1")
    assert answer.status_code == 429
    assert not _signed_in(client)
