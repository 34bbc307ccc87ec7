"""Many phones behind one address (a carrier's NAT, or the WeChat / 浙里办 servers for the
member API): the portal's lockout counts failures by phone number and by device, so workers
mistyping their codes on their own phones never lock each other out; the address alone is refused
only past a much higher ceiling (PORTAL_ADDRESS_FAILURE_LIMIT an hour), which still stops a
script that throws away its cookies."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from portal import lockout
from portal.models import PortalDevice, RateHit, SmsCode, SmsMessage
from tests.factories import MemberFactory
from tests.portal.helpers import last_code

pytestmark = pytest.mark.django_db
SIGN_IN = "/portal/sign-in/"
API_SIGN_IN = "/api/v1/me/sign-in/"
LOCKED = "登录失败次数过多"


def _phones(tree, count: int, start: int = 0) -> list[str]:
    phones = [f"1381234{start + i:04d}" for i in range(count)]
    for phone in phones:
        MemberFactory(union=tree.zhili_factory, phone=phone)
    return phones


def _fail(client, phone: str, times: int) -> list:
    """Ask a code for `phone` on this phone's browser, then enter a wrong one `times` times."""
    client.post(SIGN_IN, {"action": "send", "phone": phone})
    return [client.post(SIGN_IN, {"action": "verify", "code": "000000"}) for _ in range(times)]


def test_six_phones_behind_one_address_each_failing_four_times_are_not_locked_out(tree):
    # given: six workers on six phones, one carrier address, each mistyping 4 times
    phones = _phones(tree, 6)
    browsers = [Client(REMOTE_ADDR="100.64.0.7") for _ in phones]
    for browser, phone in zip(browsers, phones, strict=True):
        answers = _fail(browser, phone, 4)
        assert all(a.status_code == 200 for a in answers)
        assert "验证码不正确" in answers[-1].content.decode()
    # when: each then types the right code
    answers = [
        browser.post(SIGN_IN, {"action": "verify", "code": last_code(phone)})
        for browser, phone in zip(browsers, phones, strict=True)
    ]
    # then: nobody is locked out (24 failures from the address); each goes on to the next step
    assert [a.status_code for a in answers] == [302] * 6
    assert all(LOCKED not in a.content.decode() for a in answers)


def test_one_number_failing_five_times_is_locked_out_whichever_phone_tries(tree):
    # given: one number, each wrong code from a different phone behind the address
    (phone,) = _phones(tree, 1)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        browser = Client(REMOTE_ADDR="100.64.0.7")
        browser.post(SIGN_IN, {"action": "send", "phone": phone})
        browser.post(SIGN_IN, {"action": "verify", "code": "000000"})
        # the next phone may ask for a code at once (as a minute later)
        SmsCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
    # when: a sixth phone asks for a code for the same number
    answer = Client(REMOTE_ADDR="100.64.0.8").post(SIGN_IN, {"action": "send", "phone": phone})
    # then: the number is locked, from any phone and any address
    assert answer.status_code == 429 and LOCKED in answer.content.decode()
    assert not PortalDevice.objects.filter(signed_in_until__isnull=False).exists()


def test_the_address_ceiling_still_locks_a_script_that_drops_its_cookies(tree, settings):
    # given: a small ceiling for the test (the real one is 100 an hour)
    settings.PORTAL_ADDRESS_FAILURE_LIMIT = 8
    phones = _phones(tree, 9)
    # when: a script tries one wrong code per number, a fresh cookie jar each time
    for phone in phones[:8]:
        _fail(Client(REMOTE_ADDR="100.64.0.9"), phone, 1)
    # then: the address is refused, even for a number never tried, and sent no code
    answer = Client(REMOTE_ADDR="100.64.0.9").post(SIGN_IN, {"action": "send", "phone": phones[8]})
    assert answer.status_code == 429 and LOCKED in answer.content.decode()
    assert not SmsMessage.objects.filter(phone=phones[8]).exists()
    # and a phone on another address is not
    elsewhere = Client(REMOTE_ADDR="100.64.1.1")
    elsewhere.post(SIGN_IN, {"action": "send", "phone": phones[8]})
    code = last_code(phones[8])
    assert elsewhere.post(SIGN_IN, {"action": "verify", "code": code}).status_code == 302


def test_the_ceiling_is_a_hundred_failures_in_the_hour_and_the_next_hour_starts_afresh(tree):
    # given: 99 failures from one address on 99 numbers, counted directly
    request = RequestFactory().post(SIGN_IN, REMOTE_ADDR="100.64.0.10")
    assert settings.PORTAL_ADDRESS_FAILURE_LIMIT == 100
    for i in range(99):
        lockout.failed(request, f"1371234{i:04d}", sender=None)
    fresh = "13712349999"
    assert not lockout.is_locked(request, fresh)
    # when: the hundredth
    lockout.failed(request, "13712340100", sender=None)
    # then
    assert lockout.is_locked(request, fresh)
    # and once the hour has turned, last hour's count no longer holds the address
    RateHit.objects.filter(key__startswith="lockout-address:").update(
        window_start=timezone.now() - dt.timedelta(hours=1, minutes=1)
    )
    assert not lockout.is_locked(request, fresh)


def test_the_member_api_counts_by_device_key_not_by_address(tree):
    phones = _phones(tree, 6, start=100)
    # given: six API clients (one server address), each with its own device key, 3 failures each
    for i, phone in enumerate(phones):
        client = APIClient(REMOTE_ADDR="100.64.0.11")
        client.post("/api/v1/me/sign-in/code/", {"phone": phone})
        for _ in range(3):
            answer = client.post(
                API_SIGN_IN, {"phone": phone, "code": "000000", "device_key": f"device-{i}"}
            )
            assert answer.status_code == 400
    # then: none of them is locked out
    client = APIClient(REMOTE_ADDR="100.64.0.11")
    right = client.post(
        API_SIGN_IN, {"phone": phones[0], "code": last_code(phones[0]), "device_key": "device-0"}
    )
    assert right.status_code == 400 and "id_last6" in right.json()  # the next step, not 429
    # but one device key trying number after number is
    for phone in _phones(tree, settings.AXES_FAILURE_LIMIT, start=200):
        client.post(API_SIGN_IN, {"phone": phone, "code": "000000", "device_key": "roaming"})
    locked = client.post(
        API_SIGN_IN, {"phone": phones[1], "code": last_code(phones[1]), "device_key": "roaming"}
    )
    assert locked.status_code == 429 and LOCKED in locked.json()["detail"]
