"""TOTP two-factor sign-in (django-otp): required for whoever may reveal full ID numbers, offered to
all staff, asked at the admin sign-in and the API token endpoint (issue 10.6)."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from members.models import AccessToken

pytestmark = pytest.mark.django_db
RIGHT = "pw-12345678"


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.OTP_REQUIRED = True


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, offset):06d}"


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _wait_out_the_throttle(device: TOTPDevice) -> None:
    # django-otp makes a device wait after a wrong code (1 s, doubling); a test does not sleep.
    device.refresh_from_db()
    device.throttle_reset()


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_a_city_admin_without_an_authenticator_is_sent_to_set_one_up(staff):
    # given: the city admin may reveal full ID numbers, and signs in with the password alone
    client = Client()
    answer = client.post("/admin/login/?next=/admin/", {"username": "city", "password": RIGHT})
    assert answer.status_code == 302
    # when
    answer = client.get("/admin/members/member/")
    # then: the setup page, not the admin
    assert answer.status_code == 302
    assert answer["Location"].startswith("/admin/2fa/?next=/admin/members/member/")
    page = client.get(answer["Location"])
    assert page.status_code == 200
    assert "data:image/svg+xml;base64," in page.content.decode()
    assert "须启用两步验证" in page.content.decode()


def test_confirming_the_first_code_enables_it_and_opens_the_admin(staff):
    client = Client()
    client.post("/admin/login/", {"username": "city", "password": RIGHT})
    client.get("/admin/2fa/")
    device = TOTPDevice.objects.get(user=staff["city_admin"])
    assert not device.confirmed
    # a wrong code changes nothing
    client.post("/admin/2fa/", {"otp_token": "000000" if _code(device) != "000000" else "111111"})
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/admin/").status_code == 302
    # the right code
    _wait_out_the_throttle(device)
    answer = client.post("/admin/2fa/", {"otp_token": _code(device), "next": "/admin/"})
    assert answer.status_code == 302 and answer["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_the_admin_sign_in_asks_for_the_code_when_the_user_has_an_authenticator(staff):
    device = _device(staff["city_admin"])
    # without the code: refused
    client = Client()
    answer = client.post("/admin/login/", {"username": "city", "password": RIGHT})
    assert answer.status_code == 200
    assert "动态验证码不正确" in answer.content.decode()
    assert not _signed_in(client)
    # with a wrong code: refused
    wrong = "123456" if _code(device) != "123456" else "654321"
    answer = client.post(
        "/admin/login/", {"username": "city", "password": RIGHT, "otp_token": wrong}
    )
    assert not _signed_in(client)
    # with the code: in, and verified
    _wait_out_the_throttle(device)
    answer = client.post(
        "/admin/login/?next=/admin/",
        {"username": "city", "password": RIGHT, "otp_token": _code(device)},
    )
    assert answer.status_code == 302
    assert client.get("/admin/members/member/").status_code == 200


def test_a_session_counts_as_verified_only_through_django_otp(staff):
    # given: a confirmed authenticator, but a session opened without a code (force_login)
    _device(staff["city_admin"])
    client = Client()
    client.force_login(staff["city_admin"])
    # then: asked for a code before anything else, on pages and the API
    answer = client.get("/admin/")
    assert answer.status_code == 302 and answer["Location"].startswith("/admin/2fa/")
    assert "验证本次登录" in client.get("/admin/2fa/").content.decode()
    api = client.get("/api/v1/members/")
    assert api.status_code == 403
    assert "两步验证" in api.json()["detail"]


def test_roles_that_cannot_reveal_numbers_are_not_forced_but_may_opt_in(staff):
    client = Client()
    client.post("/admin/login/", {"username": "zhili", "password": RIGHT})
    assert client.get("/admin/").status_code == 200
    # opting in
    assert client.get("/admin/2fa/").status_code == 200
    device = TOTPDevice.objects.get(user=staff["township_admin"])
    client.post("/admin/2fa/", {"otp_token": _code(device)})
    device.refresh_from_db()
    assert device.confirmed
    # from now on the sign-in needs the code
    fresh = Client()
    fresh.post("/admin/login/", {"username": "zhili", "password": RIGHT})
    assert not _signed_in(fresh)


def test_an_api_token_needs_the_second_factor_too(staff):
    api = APIClient()
    # the city admin without an authenticator gets no token
    answer = api.post("/api/v1/auth/token/", {"username": "city", "password": RIGHT})
    assert answer.status_code == 403
    device = _device(staff["city_admin"])
    # with one: the code is asked for
    answer = api.post("/api/v1/auth/token/", {"username": "city", "password": RIGHT})
    assert answer.status_code == 400
    assert not AccessToken.objects.exists()
    _wait_out_the_throttle(device)
    answer = api.post(
        "/api/v1/auth/token/", {"username": "city", "password": RIGHT, "otp_token": _code(device)}
    )
    assert answer.status_code == 200
    assert AccessToken.objects.filter(user=staff["city_admin"]).count() == 1


def test_production_enforces_by_default():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "OTP_REQUIRED"}
    env["DJANGO_SETTINGS_MODULE"] = "huzhou_union.settings"
    result = subprocess.run(
        [sys.executable, "-c", "from huzhou_union import settings as s; print(s.OTP_REQUIRED)"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "True", result.stderr
