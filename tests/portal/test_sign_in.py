"""Signing in by mobile number and SMS code; the first time on a device also name + the last 6 of
the ID number; the account belongs to the person, so a rejoined member keeps it."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from members import services as member_services
from members.actors import system
from members.models import Member
from portal import services
from portal.models import PortalAccount, PortalDevice, SmsCode
from tests.factories import MemberFactory, make_id_number
from tests.portal.helpers import last_code

pytestmark = pytest.mark.django_db
PHONE = "13912340001"
SIGN_IN = reverse("portal:sign-in")


def _send_and_verify(client, phone=PHONE, next_url="/portal/"):
    client.post(SIGN_IN, {"action": "send", "phone": phone, "next": next_url})
    return client.post(SIGN_IN, {"action": "verify", "code": last_code(phone), "next": next_url})


@pytest.fixture
def worker(tree):
    id_number = make_id_number()
    member = MemberFactory(
        union=tree.zhili_factory, name="张小明", phone=PHONE, id_number=id_number
    )
    member.test_id_number = id_number
    return member


def test_first_sign_in_on_a_device_asks_name_and_last_six_then_signs_in(client, worker):
    # when: the right code
    response = _send_and_verify(client, next_url="/portal/card/")

    # then: asked to confirm who they are, not yet signed in
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "首次在这台手机上登录" in page.content.decode()
    assert not PortalDevice.objects.exists()

    # when: name and the last 6 characters
    response = client.post(
        SIGN_IN,
        {
            "action": "bind",
            "name": "张小明",
            "id_last6": worker.test_id_number[-6:],
            "next": "/portal/card/",
        },
    )

    # then: signed in for 30 days on this device, and sent back where they were going
    assert response.status_code == 302 and response["Location"] == "/portal/card/"
    device = PortalDevice.objects.get()
    assert device.account.person_hash == worker.id_number_hash
    assert device.signed_in_until - dt.timedelta(days=30) > device.bound_at - dt.timedelta(
        minutes=1
    )
    assert client.cookies[settings.PORTAL_DEVICE_COOKIE].value
    assert "张小明" in client.get("/portal/card/").content.decode()


def test_wrong_last_six_is_refused_and_nothing_is_bound(client, worker):
    _send_and_verify(client)
    wrong = "000000" if worker.test_id_number[-6:] != "000000" else "111111"

    response = client.post(SIGN_IN, {"action": "bind", "name": "张小明", "id_last6": wrong})

    assert response.status_code == 200
    assert "与该手机号登记的会员信息不一致" in response.content.decode()
    assert not PortalAccount.objects.exists() and not PortalDevice.objects.exists()


def test_a_bound_device_signs_in_with_the_code_alone(client, worker):
    # given: bound once, then signed out
    _send_and_verify(client)
    client.post(
        SIGN_IN, {"action": "bind", "name": "张小明", "id_last6": worker.test_id_number[-6:]}
    )
    client.post(reverse("portal:sign-out"))
    assert PortalDevice.objects.get().signed_in_until is None

    # when: a later sign-in (after the 60 s between codes)
    SmsCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
    response = _send_and_verify(client)

    # then: signed in without being asked again
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert PortalDevice.objects.get().signed_in_until is not None


def test_a_member_who_left_and_rejoined_keeps_one_account(tree, worker):
    # given: an account for the first membership
    first_account = services.account_for(worker)
    member_services.member_leave(member=worker, left_on=timezone.localdate(), by=system("test"))
    rejoined = member_services.member_create(
        id_number=worker.test_id_number,
        name="张小明",
        union=tree.balidian_factory,
        phone=PHONE,
        by=system("test"),
    )

    # when
    account = services.account_for(rejoined)

    # then: the same account, now finding the new membership
    assert account.pk == first_account.pk
    assert PortalAccount.objects.count() == 1
    assert account.active_member().pk == rejoined.pk
    assert Member.objects.filter(id_number_hash=worker.id_number_hash).count() == 2


def test_a_number_matching_no_member_is_offered_to_join(client, tree):
    response = _send_and_verify(client, phone="13912340999")

    assert response.status_code == 302 and response["Location"] == reverse("portal:join")
    page = client.get(response["Location"]).content.decode()
    assert "入会个人信息处理告知书" in page


def test_the_root_sends_visitors_to_the_portal_and_staff_to_the_admin(client, staff):
    assert client.get("/")["Location"] == "/portal/"
    client.force_login(staff["township_admin"])
    assert client.get("/")["Location"] == reverse("admin:index")


def test_sending_codes_is_rate_limited_per_address(client, tree):
    for i in range(20):
        client.post(SIGN_IN, {"action": "send", "phone": f"139000{i:05d}"})

    response = client.post(SIGN_IN, {"action": "send", "phone": "13900099999"})

    assert "操作太频繁，请稍后再试。" in response.content.decode()
    assert not services.SmsCode.objects.filter(phone="13900099999").exists()
