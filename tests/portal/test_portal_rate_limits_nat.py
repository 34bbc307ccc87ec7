"""The portal's rate limits under a carrier's NAT (one public address for thousands of phones):
codes sent, codes entered and join applications are counted by number and by device, so honest
workers on one address never refuse each other; the address only meets a high ceiling
(PORTAL_ADDRESS_*_LIMIT), which still stops a script that drops its cookies. A lockout says how
long it really lasts."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from portal import lockout, ratelimits
from portal.models import PortalDevice, RateHit, SmsMessage
from tests.factories import MemberFactory, make_id_number
from tests.portal.helpers import last_code

pytestmark = pytest.mark.django_db
SIGN_IN = "/portal/sign-in/"
CARRIER = "100.64.0.7"
TOO_OFTEN = "操作太频繁"


def _workers(tree, count: int, start: int = 0) -> list[tuple[str, str]]:
    """`count` members, each with their own phone: (phone, last 6 of the ID number)."""
    workers = []
    for i in range(count):
        id_number = make_id_number()
        phone = f"1391234{start + i:04d}"
        MemberFactory(union=tree.zhili_factory, name="王师傅", phone=phone, id_number=id_number)
        workers.append((phone, id_number[-6:]))
    return workers


def test_fifty_phones_on_one_carrier_address_each_get_a_code_and_sign_in(tree):
    # given: fifty workers on fifty phones behind one carrier address
    workers = _workers(tree, 50)
    for phone, last6 in workers:
        browser = Client(REMOTE_ADDR=CARRIER)
        # when: each asks for a code, enters it, and confirms name + last 6 on a new device
        sent = browser.post(SIGN_IN, {"action": "send", "phone": phone})
        assert sent.status_code == 302, sent.content.decode()
        verified = browser.post(SIGN_IN, {"action": "verify", "code": last_code(phone)})
        assert verified.status_code == 302
        bound = browser.post(SIGN_IN, {"action": "bind", "name": "王师傅", "id_last6": last6})
        # then: signed in, nobody refused for sharing the address
        assert bound.status_code == 302
    assert PortalDevice.objects.filter(signed_in_until__gt=timezone.now()).count() == 50
    assert SmsMessage.objects.count() == 50


def test_one_phone_asking_codes_for_number_after_number_is_stopped(tree):
    # given: one phone (its browser keeps its cookies) and twelve numbers
    workers = _workers(tree, 12)
    browser = Client(REMOTE_ADDR=CARRIER)
    answers = [browser.post(SIGN_IN, {"action": "send", "phone": p}) for p, _ in workers]
    # then: ten codes an hour from one device, the rest refused with a reason and not sent
    assert [a.status_code for a in answers[:10]] == [302] * 10
    assert all(TOO_OFTEN in a.content.decode() for a in answers[10:])
    assert SmsMessage.objects.count() == 10
    assert not SmsMessage.objects.filter(phone__in=[p for p, _ in workers[10:]]).exists()
    # and another phone on the same address is not held back by it
    other = Client(REMOTE_ADDR=CARRIER)
    assert other.post(SIGN_IN, {"action": "send", "phone": workers[11][0]}).status_code == 302


def test_one_api_device_key_asking_codes_for_many_numbers_is_stopped(tree):
    workers = _workers(tree, 11, start=100)
    client = APIClient(REMOTE_ADDR=CARRIER)
    codes = [
        client.post("/api/v1/me/sign-in/code/", {"phone": p, "device_key": "roaming"})
        for p, _ in workers
    ]
    assert [c.status_code for c in codes[:10]] == [204] * 10
    assert codes[10].status_code == 400 and TOO_OFTEN in str(codes[10].json())
    assert not SmsMessage.objects.filter(phone=workers[10][0]).exists()


def test_one_phone_entering_codes_for_number_after_number_is_stopped(tree, settings):
    # given: a lockout that does not step in first, so the rate limit is what is seen
    settings.AXES_FAILURE_LIMIT = 1000
    workers = _workers(tree, 31, start=200)
    for phone, _ in workers:  # codes asked from many phones (the 60 s rule is per number)
        Client(REMOTE_ADDR=CARRIER).post(SIGN_IN, {"action": "send", "phone": phone})
    browser = Client(REMOTE_ADDR=CARRIER)
    answers = []
    for phone, _ in workers:
        session = browser.session
        session["portal_sign_in"] = {"phone": phone}
        session.save()
        answers.append(browser.post(SIGN_IN, {"action": "verify", "code": "000000"}))
    # then: thirty tries in ten minutes from one device, then refused
    assert all("验证码不正确" in a.content.decode() for a in answers[:30])
    assert TOO_OFTEN in answers[30].content.decode()


def test_the_address_ceiling_still_stops_a_script_that_drops_its_cookies(tree, settings):
    # given: a small ceiling for the test (the real one is 1000 an hour)
    settings.PORTAL_ADDRESS_SMS_LIMIT = 5
    workers = _workers(tree, 7, start=300)
    # when: a script asks a code per number with a fresh cookie jar each time
    answers = [
        Client(REMOTE_ADDR="100.64.0.9").post(SIGN_IN, {"action": "send", "phone": p})
        for p, _ in workers[:6]
    ]
    # then: the sixth is refused and not sent
    assert [a.status_code for a in answers[:5]] == [302] * 5
    assert TOO_OFTEN in answers[5].content.decode()
    assert not SmsMessage.objects.filter(phone=workers[5][0]).exists()
    # and a phone on another address is not
    elsewhere = Client(REMOTE_ADDR="100.64.1.1")
    assert elsewhere.post(SIGN_IN, {"action": "send", "phone": workers[6][0]}).status_code == 302


def test_a_locked_address_is_told_the_time_its_hour_really_has_left(tree, settings, monkeypatch):
    # given: it is ten past the hour, and the address reached its ceiling in this hour
    settings.PORTAL_ADDRESS_FAILURE_LIMIT = 3
    ((phone, _),) = _workers(tree, 1, start=400)
    ten_past = timezone.now().replace(minute=10, second=0, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: ten_past)
    RateHit.objects.create(
        key=f"lockout-address:{CARRIER}", window_start=ten_past.replace(minute=0), count=3
    )
    # when
    answer = Client(REMOTE_ADDR=CARRIER).post(SIGN_IN, {"action": "send", "phone": phone})
    # then: the 50 minutes left of the hour, not the number's 30-minute cool-off
    assert answer.status_code == 429
    assert "请 50 分钟后再试" in answer.content.decode()
    assert "30 分钟" not in answer.content.decode()


def test_a_locked_number_is_told_its_cool_off(tree, settings):
    settings.AXES_FAILURE_LIMIT = 2
    ((phone, _),) = _workers(tree, 1, start=500)
    browser = Client(REMOTE_ADDR=CARRIER)
    browser.post(SIGN_IN, {"action": "send", "phone": phone})
    for _ in range(2):
        browser.post(SIGN_IN, {"action": "verify", "code": "000000"})
    answer = browser.post(SIGN_IN, {"action": "verify", "code": last_code(phone)})
    assert answer.status_code == 429 and "请 30 分钟后再试" in answer.content.decode()
    assert lockout.locked_for(answer.wsgi_request, phone) == dt.timedelta(minutes=30)


def _apply(address: str, phone: str, device: str) -> str:
    """One join application's rate check; the refusal's code, or "" when let through."""
    request = RequestFactory().post("/portal/join/", REMOTE_ADDR=address)
    try:
        ratelimits.hit(request, ratelimits.JOIN_APPLY, phone=phone, device=device)
    except ValidationError as exc:
        return exc.code or ""
    return ""


def test_join_applications_are_counted_by_number_and_device_not_by_carrier_address():
    # fifty workers on one address, each on their own phone: all let through (was 10 a day)
    assert all(_apply(CARRIER, f"1371234{i:04d}", f"phone-{i}") == "" for i in range(50))
    # one phone applying for number after number: the sixth refused
    tries = [_apply(CARRIER, f"1361234{i:04d}", "one-phone") for i in range(6)]
    assert tries == [""] * 5 + ["rate_limited"]
    # one number from phone after phone: the fourth refused
    tries = [_apply(CARRIER, "13512340000", f"phone-x{i}") for i in range(4)]
    assert tries == [""] * 3 + ["rate_limited"]


def test_join_applications_from_one_address_stop_at_its_ceiling(settings):
    settings.PORTAL_ADDRESS_JOIN_LIMIT = 5
    tries = [_apply("100.64.0.9", f"1341234{i:04d}", "") for i in range(6)]
    assert tries == [""] * 5 + ["rate_limited"]
    assert _apply("100.64.1.1", "13412349999", "") == ""
