"""SMS codes: 6 digits, kept only as a hash, 5 minutes, one per 60 s and 10 a day per number, and
five wrong tries void the code."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from portal import services
from portal.models import SmsCode, SmsMessage
from tests.portal.helpers import last_code

pytestmark = pytest.mark.django_db
PHONE = "13912345678"
SIGN_IN = SmsCode.Purpose.SIGN_IN


def test_a_code_is_sent_through_the_outbox_and_only_its_hash_is_kept():
    # when
    sms_code = services.sms_code_send(phone=PHONE, purpose=SIGN_IN)

    # then
    code = last_code(PHONE)
    assert len(code) == 6 and code.isdigit()
    assert code not in sms_code.code_hash
    assert SmsMessage.objects.get().backend == "OutboxBackend"
    assert sms_code.expires_at - sms_code.created_at == dt.timedelta(minutes=5)


def test_the_right_code_signs_in_once():
    services.sms_code_send(phone=PHONE, purpose=SIGN_IN)
    code = last_code(PHONE)

    services.sms_code_check(phone=PHONE, purpose=SIGN_IN, code=code)

    with pytest.raises(ValidationError) as used:
        services.sms_code_check(phone=PHONE, purpose=SIGN_IN, code=code)
    assert "验证码已失效" in str(used.value)


def test_a_code_expires_after_five_minutes():
    # given
    sent = timezone.now() - dt.timedelta(minutes=5, seconds=1)
    services.sms_code_send(phone=PHONE, purpose=SIGN_IN, now=sent)

    # when / then
    with pytest.raises(ValidationError) as exc:
        services.sms_code_check(phone=PHONE, purpose=SIGN_IN, code=last_code(PHONE))
    assert "验证码已失效，请重新获取。" in exc.value.messages
    assert SmsCode.objects.get().used_at is None


def test_a_second_code_within_60_seconds_is_refused_and_not_sent():
    now = timezone.now()
    services.sms_code_send(phone=PHONE, purpose=SIGN_IN, now=now)

    with pytest.raises(ValidationError) as exc:
        services.sms_code_send(phone=PHONE, purpose=SIGN_IN, now=now + dt.timedelta(seconds=59))

    assert "秒后再获取" in exc.value.messages[0]
    assert SmsMessage.objects.count() == 1
    services.sms_code_send(phone=PHONE, purpose=SIGN_IN, now=now + dt.timedelta(seconds=61))
    assert SmsMessage.objects.count() == 2


def test_at_most_ten_codes_a_day_per_number():
    # given: ten codes today, two minutes apart
    start = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    for i in range(10):
        services.sms_code_send(
            phone=PHONE, purpose=SIGN_IN, now=start + dt.timedelta(minutes=2 * i)
        )

    # when / then
    with pytest.raises(ValidationError) as exc:
        services.sms_code_send(phone=PHONE, purpose=SIGN_IN, now=start + dt.timedelta(hours=3))
    assert "今天获取验证码已达10次" in exc.value.messages[0]
    assert SmsMessage.objects.count() == 10
    # the next day the number may ask again
    services.sms_code_send(phone=PHONE, purpose=SIGN_IN, now=start + dt.timedelta(days=1))


def test_a_new_code_voids_the_previous_one():
    now = timezone.now() - dt.timedelta(minutes=2)
    services.sms_code_send(phone=PHONE, purpose=SIGN_IN, now=now)
    first = last_code(PHONE)
    services.sms_code_send(phone=PHONE, purpose=SIGN_IN)
    second = last_code(PHONE)

    if first != second:
        with pytest.raises(ValidationError):
            services.sms_code_check(phone=PHONE, purpose=SIGN_IN, code=first)
    services.sms_code_check(phone=PHONE, purpose=SIGN_IN, code=second)


def test_five_wrong_tries_void_the_code_even_the_right_one_after():
    # given
    services.sms_code_send(phone=PHONE, purpose=SIGN_IN)
    code = last_code(PHONE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    # when: five wrong tries
    for attempt in range(1, 6):
        with pytest.raises(ValidationError) as exc:
            services.sms_code_check(phone=PHONE, purpose=SIGN_IN, code=wrong)
        if attempt < 5:
            assert exc.value.messages == [f"验证码不正确，还可以再试{5 - attempt}次。"]
    assert exc.value.messages == ["验证码已输错5次，已作废，请重新获取。"]

    # then: the right code no longer works
    with pytest.raises(ValidationError):
        services.sms_code_check(phone=PHONE, purpose=SIGN_IN, code=code)
    stored = SmsCode.objects.get()
    assert stored.failed_attempts == 5 and stored.voided_at is not None


def test_sms_outbox_command_prints_the_numbers_last_code(capsys):
    services.sms_code_send(phone=PHONE, purpose=SIGN_IN)

    call_command("sms_outbox", PHONE)

    assert capsys.readouterr().out.strip() == last_code(PHONE)


def test_sms_backend_is_pluggable(settings):
    sent = []

    class Recorder:
        def send(self, phone, body):
            sent.append((phone, body))

    settings.SMS_BACKEND = f"{__name__}.RECORDER"
    globals()["RECORDER"] = lambda: Recorder()
    from portal import sms

    sms._backend_class.cache_clear()
    try:
        services.sms_code_send(phone=PHONE, purpose=SIGN_IN)
    finally:
        sms._backend_class.cache_clear()

    assert len(sent) == 1 and sent[0][0] == PHONE
    assert SmsMessage.objects.count() == 0
