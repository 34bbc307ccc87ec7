"""The e-card's QR code: a signed token that expires in minutes; only signed-in staff verify it,
and each check is recorded."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal import services
from portal.models import CardVerification
from tests.factories import MemberFactory
from tests.portal.helpers import signed_in

pytestmark = pytest.mark.django_db


def test_the_card_shows_the_member_and_a_qr_svg(client, tree):
    member = MemberFactory(union=tree.zhili_factory, name="李四")
    signed_in(client, member)

    page = client.get("/portal/card/").content.decode()
    qr = client.get("/portal/card/qr.svg")

    assert "李四" in page and member.id_number_masked in page and "织里童装厂工会" in page
    assert qr["Content-Type"] == "image/svg+xml" and "no-store" in qr["Cache-Control"]
    assert b"<svg" in qr.content


def test_a_code_issued_a_minute_ago_still_verifies(tree, staff):
    member = MemberFactory(union=tree.zhili_factory)
    token = services.card_token(member=member, issued_at=timezone.now() - dt.timedelta(minutes=1))

    assert services.card_verify(token=token, by=staff["township_admin"]).is_active


def test_staff_verify_a_fresh_card_and_the_check_is_recorded(client, tree, staff):
    member = MemberFactory(union=tree.zhili_factory, name="李小四")
    token = services.card_token(member=member)
    client.force_login(staff["township_admin"])

    page = client.get("/portal/verify/", {"token": token}).content.decode()

    assert "在会会员" in page and "李**" in page and member.id_number_masked in page
    check = CardVerification.objects.get()
    assert (check.verified_by, check.member, check.was_active) == (
        staff["township_admin"],
        member,
        True,
    )


def test_an_expired_card_code_does_not_verify(tree, staff):
    member = MemberFactory(union=tree.zhili_factory)
    # a screenshot of a code issued just over the lifetime ago
    issued = timezone.now() - services.CARD_TOKEN_MAX_AGE - dt.timedelta(seconds=2)
    token = services.card_token(member=member, issued_at=issued)

    with pytest.raises(ValidationError) as exc:
        services.card_verify(token=token, by=staff["township_admin"])

    assert "已过期" in exc.value.messages[0]
    assert not CardVerification.objects.exists()


def test_a_forged_card_code_does_not_verify(tree, staff):
    with pytest.raises(ValidationError):
        services.card_verify(token="1:forged", by=staff["township_admin"])


def test_only_signed_in_staff_may_verify(client, tree):
    member = MemberFactory(union=tree.zhili_factory)
    token = services.card_token(member=member)
    signed_in(client, MemberFactory(union=tree.zhili_factory))  # a member, not staff

    response = client.get("/portal/verify/", {"token": token})

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not CardVerification.objects.exists()


def test_a_member_who_left_shows_as_not_active(tree, staff):
    member = MemberFactory(
        union=tree.zhili_factory,
        status="left",
        joined_on=dt.date(2020, 1, 1),
        left_on=dt.date(2024, 1, 1),
    )

    check = services.card_verify(token=services.card_token(member=member), by=staff["city_admin"])

    assert check.is_active is False and check.verification.was_active is False
