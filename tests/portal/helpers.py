"""Helpers for portal tests: read the last code from the outbox, sign a member in on a client."""

import re

from django.conf import settings

from portal import services
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
