"""Helpers for portal tests: read the last code from the outbox, sign a member in on a client."""

import re

from django.conf import settings
from django.utils import timezone

from portal import services, stepup
from portal.models import SmsMessage


def last_code(phone: str) -> str:
    body = SmsMessage.objects.filter(phone=phone).order_by("-sent_at", "-id").first().body
    return re.search(r"\d{6}", body).group(0)


def signed_in(client, member) -> str:
    """Sign `member` in on `client`'s device the way the sign-in page does; returns the key."""
    key = services.new_device_key()
    services.device_sign_in(account=services.account_for(member), device_key=key)
    client.cookies[settings.PORTAL_DEVICE_COOKIE] = key
    return key


def fresh_code(client, member) -> None:
    """Mark `client`'s session as having just entered a step-up code for `member` (what the
    confirm page records); tests of the confirm page itself go through the page."""
    session = client.session
    session[stepup.SESSION_KEY] = {
        "person": member.id_number_hash,
        "at": timezone.now().isoformat(),
    }
    session.save()
