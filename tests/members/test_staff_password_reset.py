"""忘记密码: a staff user sets a new password with an SMS code sent to the phone on file
(members.password_reset), on the portal's code machinery and limits, behind django-axes' lockout,
never telling whether a username exists; recorded; a second factor still asked afterwards."""

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.models import AccessToken, StaffProfile
from members.tokens import token_issue
from portal.models import SmsCode, SmsMessage
from tests.portal.helpers import last_code

pytestmark = pytest.mark.django_db

URL = "/admin/password-reset/"
PHONE = "13912345678"
NEW = "Huzhou-union-2026"


@pytest.fixture
def clerk(staff):
    user = staff["township_admin"]
    StaffProfile.objects.filter(user=user).update(phone=PHONE)
    return User.objects.get(pk=user.pk)


def ask_code(client: Client, username: str):
    return client.post(URL, {"username": username, "send": "1"})


def reset(client: Client, username: str, code: str, password: str = NEW, again: str | None = None):
    return client.post(
        URL,
        {
            "username": username,
            "code": code,
            "new_password1": password,
            "new_password2": again if again is not None else password,
            "reset": "1",
        },
    )


def signs_in(username: str, password: str, otp: str = "") -> bool:
    client = Client()
    client.post("/admin/login/", {"username": username, "password": password, "otp_token": otp})
    return "_auth_user_id" in client.session


def test_the_sign_in_page_offers_forgot_password(db):
    page = Client().get("/admin/login/").content.decode()
    assert 'href="/admin/password-reset/"' in page and "忘记密码" in page


def test_a_code_to_the_phone_on_file_sets_a_new_password(clerk):
    client = Client()
    # when: the clerk asks for a code, then enters it with a new password
    page = ask_code(client, clerk.username).content.decode()
    assert "验证码已发送到该号码" in page
    answer = reset(client, clerk.username, last_code(PHONE))
    # then
    assert answer.status_code == 200
    assert "密码已重置" in answer.content.decode()
    assert signs_in(clerk.username, NEW)
    assert not signs_in(clerk.username, "pw-12345678")
    assert SmsCode.objects.get(phone=PHONE).purpose == SmsCode.Purpose.STAFF_PASSWORD_RESET


def test_an_imported_account_sets_its_first_password_this_way(clerk):
    clerk.set_unusable_password()
    clerk.save()
    client = Client()
    ask_code(client, clerk.username)
    reset(client, clerk.username, last_code(PHONE))
    assert signs_in(clerk.username, NEW)


def test_the_answer_is_the_same_whether_the_username_exists_or_not(clerk, staff):
    # given: an account with a phone, one without, and a name no one has
    answers = []
    for username in (clerk.username, staff["district_admin"].username, "no-such-user"):
        page = ask_code(Client(REMOTE_ADDR="10.9.0.1"), username).content.decode()
        answers.append(page.replace(username, "USERNAME").split('name="csrfmiddlewaretoken"')[0])
    # then: one page for all three; one SMS, to the phone on file only
    assert answers[0] == answers[1] == answers[2]
    assert list(SmsMessage.objects.values_list("phone", flat=True)) == [PHONE]
    # and a wrong code reads exactly like an unknown username
    wrong = reset(Client(), clerk.username, "000000").content.decode()
    unknown = reset(Client(), "no-such-user", "000000").content.decode()
    assert "用户名或验证码不正确，或验证码已失效" in wrong
    assert "用户名或验证码不正确，或验证码已失效" in unknown
    assert "还可以再试" not in wrong


def test_a_second_request_within_the_minute_answers_the_same_and_sends_nothing(clerk):
    client = Client()
    first = ask_code(client, clerk.username).content.decode()
    second = ask_code(client, clerk.username).content.decode()
    assert "验证码已发送到该号码" in first and "验证码已发送到该号码" in second
    assert SmsMessage.objects.filter(phone=PHONE).count() == 1  # the portal's 60 s rule held


def test_a_code_expires_like_the_portals(clerk):
    client = Client()
    ask_code(client, clerk.username)
    code = last_code(PHONE)
    SmsCode.objects.filter(phone=PHONE).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    answer = reset(client, clerk.username, code).content.decode()
    assert "验证码已失效" in answer
    assert not signs_in(clerk.username, NEW)


def test_a_code_for_a_member_sign_in_does_not_reset_a_password(clerk):
    from portal.services import sms_code_send

    sms_code_send(phone=PHONE, purpose=SmsCode.Purpose.SIGN_IN)
    answer = reset(Client(), clerk.username, last_code(PHONE)).content.decode()
    assert "用户名或验证码不正确" in answer
    assert not signs_in(clerk.username, NEW)


def test_the_new_password_must_pass_the_validators(clerk):
    client = Client()
    ask_code(client, clerk.username)
    code = last_code(PHONE)
    short = reset(client, clerk.username, code, password="123").content.decode()
    assert "密码" in short and "密码已重置" not in short
    mismatch = reset(client, clerk.username, code, password=NEW, again=NEW + "x").content.decode()
    assert "两次输入的新密码不一致" in mismatch
    # the code was not spent on refused passwords
    assert "密码已重置" in reset(client, clerk.username, code).content.decode()


def test_failed_codes_lock_out_the_reset_and_the_sign_in(clerk):
    client = Client(REMOTE_ADDR="10.9.1.1")
    ask_code(client, clerk.username)
    code = last_code(PHONE)
    # when: five wrong codes
    for _ in range(5):
        answer = reset(Client(REMOTE_ADDR="10.9.1.1"), clerk.username, "000000")
    # then: locked, the right code and the right password alike
    assert answer.status_code == 429
    assert "登录失败次数过多" in answer.content.decode()
    assert reset(Client(REMOTE_ADDR="10.9.1.2"), clerk.username, code).status_code == 429
    assert not signs_in(clerk.username, "pw-12345678")


def test_unknown_usernames_are_locked_out_the_same_way(db):
    for _ in range(5):
        answer = reset(Client(REMOTE_ADDR="10.9.2.1"), "no-such-user", "000000")
    assert answer.status_code == 429


def test_a_reset_is_recorded_and_revokes_api_tokens(clerk):
    token_issue(user=clerk)
    client = Client()
    ask_code(client, clerk.username)
    reset(client, clerk.username, last_code(PHONE))
    entry = LogEntry.objects.get(user=clerk, object_id=str(clerk.pk))
    assert "通过短信验证码重置密码" in entry.get_change_message()
    assert not AccessToken.objects.filter(user=clerk, revoked_at__isnull=True).exists()


def test_a_user_with_totp_still_needs_it_after_the_reset(clerk, settings):
    settings.OTP_REQUIRED = True
    device = TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    client = Client()
    ask_code(client, clerk.username)
    page = reset(client, clerk.username, last_code(PHONE)).content.decode()
    assert "仍须填写动态验证码" in page
    # then: the new password alone does not sign in; with the authenticator's code it does
    assert not signs_in(clerk.username, NEW)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    device.refresh_from_db()
    device.throttle_reset()
    assert signs_in(clerk.username, NEW, otp=code)
    assert TOTPDevice.objects.filter(user=clerk, confirmed=True).exists()


def test_the_reset_signs_no_one_in(clerk):
    client = Client()
    ask_code(client, clerk.username)
    reset(client, clerk.username, last_code(PHONE))
    assert "_auth_user_id" not in client.session
