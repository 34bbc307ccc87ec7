"""The portal's SMS flows are covered by the sign-in lockout (django-axes for the number, as for
staff): wrong codes and wrong names / ID numbers count by phone number and by device; past the
limit the number (or the device) gets the Chinese lockout page, even with the right code, and no
more codes are sent to it; the city admin unlocks a number in the admin. Many phones behind one
address: test_portal_lockout_nat.py."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from members import crypto
from members.models import Member
from portal import services
from portal.models import PortalDevice, SmsCode, SmsMessage
from tests.factories import MemberFactory, make_id_number
from tests.portal.helpers import last_code

pytestmark = pytest.mark.django_db
PHONE = "13912340051"
SIGN_IN = "/portal/sign-in/"
LOCKED = "登录失败次数过多"


@pytest.fixture
def worker(tree):
    number = make_id_number()
    member = MemberFactory(union=tree.zhili_factory, name="孙骑手", phone=PHONE, id_number=number)
    member.test_id_number = number
    return member


def _another_code(phone=PHONE, purpose=SmsCode.Purpose.SIGN_IN) -> str:
    """A new code past the 60 s rule (as a minute later)."""
    services.sms_code_send(
        phone=phone, purpose=purpose, now=timezone.now() + dt.timedelta(seconds=61)
    )
    return last_code(phone)


def _wrong_codes(client, times, phone=PHONE):
    client.post(SIGN_IN, {"action": "send", "phone": phone})
    return [client.post(SIGN_IN, {"action": "verify", "code": "000000"}) for _ in range(times)]


def test_repeated_wrong_codes_lock_the_number_even_for_the_right_code(client, worker):
    answers = _wrong_codes(client, settings.AXES_FAILURE_LIMIT)
    assert answers[0].status_code == 200 and "验证码不正确" in answers[0].content.decode()
    assert answers[-1].status_code == 429
    # when: the right code, later
    code = _another_code()
    locked = client.post(SIGN_IN, {"action": "verify", "code": code})
    # then
    assert locked.status_code == 429 and LOCKED in locked.content.decode()
    assert not PortalDevice.objects.exists()
    assert AccessAttempt.objects.filter(username=f"portal:{PHONE}").exists()


def test_a_locked_number_is_sent_no_more_codes(client, worker):
    _wrong_codes(client, settings.AXES_FAILURE_LIMIT)
    sent = SmsMessage.objects.filter(phone=PHONE).count()
    other = Client()  # even from another address's session
    answer = other.post(SIGN_IN, {"action": "send", "phone": PHONE})
    assert answer.status_code == 429
    assert SmsMessage.objects.filter(phone=PHONE).count() == sent


def test_repeated_wrong_names_on_a_new_device_lock_the_number(client, worker):
    client.post(SIGN_IN, {"action": "send", "phone": PHONE})
    client.post(SIGN_IN, {"action": "verify", "code": last_code(PHONE)})
    answers = [
        client.post(SIGN_IN, {"action": "bind", "name": "孙骑手", "id_last6": "000000"})
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert "不一致" in answers[0].content.decode()
    assert answers[-1].status_code == 429
    # starting again: the number is locked
    again = client.post(SIGN_IN, {"action": "send", "phone": PHONE})
    assert again.status_code == 429 and LOCKED in again.content.decode()
    assert not PortalDevice.objects.filter(signed_in_until__isnull=False).exists()


def test_failures_from_one_device_across_numbers_lock_the_device(client, tree):
    # given: one browser tries one wrong code on each of five numbers
    phones = [f"1391234007{i}" for i in range(settings.AXES_FAILURE_LIMIT)]
    for phone in phones:
        MemberFactory(union=tree.zhili_factory, phone=phone)
        _wrong_codes(client, 1, phone=phone)
    fresh = "13912340080"
    MemberFactory(union=tree.zhili_factory, phone=fresh)
    # then: a number never tried is refused on this device
    answer = client.post(SIGN_IN, {"action": "send", "phone": fresh})
    assert answer.status_code == 429 and LOCKED in answer.content.decode()
    assert not SmsMessage.objects.filter(phone=fresh).exists()
    # and another phone behind the same address signs in as usual
    elsewhere = Client()
    elsewhere.post(SIGN_IN, {"action": "send", "phone": fresh})
    assert (
        elsewhere.post(SIGN_IN, {"action": "verify", "code": last_code(fresh)}).status_code == 302
    )


def test_the_city_admin_unlocks_a_number(client, staff, worker):
    _wrong_codes(client, settings.AXES_FAILURE_LIMIT)
    city = Client()
    city.force_login(staff["city_admin"])
    listing = city.get("/admin/axes/accessattempt/")
    assert f"portal:{PHONE}" in listing.content.decode()
    ids = list(
        AccessAttempt.objects.filter(username=f"portal:{PHONE}").values_list("pk", flat=True)
    )
    city.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert not AccessAttempt.objects.exists()
    # then: the worker signs in (code, then name + last 6 on this new device)
    code = _another_code()
    client.post(SIGN_IN, {"action": "verify", "code": code})
    done = client.post(
        SIGN_IN, {"action": "bind", "name": "孙骑手", "id_last6": worker.test_id_number[-6:]}
    )
    assert done.status_code == 302
    assert PortalDevice.objects.filter(signed_in_until__isnull=False).count() == 1


def test_repeated_wrong_codes_on_a_phone_change_lock_the_new_number(client, worker):
    new = "13712340051"
    number = crypto.decrypt_id_number(worker.id_number_encrypted)
    client.post(
        "/portal/phone-change/",
        {"action": "send", "name": "孙骑手", "id_number": number, "new_phone": new},
    )
    answers = [
        client.post("/portal/phone-change/", {"action": "verify", "code": "000000"})
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert answers[-1].status_code == 429
    code = _another_code(new, SmsCode.Purpose.PHONE_CHANGE)
    locked = client.post("/portal/phone-change/", {"action": "verify", "code": code})
    assert locked.status_code == 429 and LOCKED in locked.content.decode()
    assert Member.objects.get(pk=worker.pk).phone == PHONE


def test_repeated_wrong_codes_on_the_join_page_lock_the_number(client, tree):
    join = "/portal/join/"
    phone = "13912340090"
    client.post(join, {"action": "send", "phone": phone})
    answers = [
        client.post(join, {"action": "verify", "code": "000000"})
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert answers[-1].status_code == 429
    code = _another_code(phone, SmsCode.Purpose.JOIN)
    assert client.post(join, {"action": "verify", "code": code}).status_code == 429
