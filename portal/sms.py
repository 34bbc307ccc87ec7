"""Sending SMS through a pluggable backend.

`SMS_BACKEND` is the dotted path of a class with `send(phone: str, body: str) -> None`. The embedded
default, `portal.sms.OutboxBackend`, sends nothing: it writes each message to the outbox table
(admin: 短信发送记录, superusers only) and to the server log, which is what a local run and the tests
need (`python manage.py sms_outbox PHONE` prints a number's last code). A real provider is a class
of a few lines wrapping its SDK (README: "SMS"); raise `SmsError` when the provider refuses, so the
worker is told to try again rather than waiting for a code that never comes.
"""

import logging
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from portal.models import SmsMessage

logger = logging.getLogger("portal.sms")


class SmsError(Exception):
    """The provider did not accept the message."""


class OutboxBackend:
    """Writes the message to the outbox table and the log; sends nothing."""

    def send(self, phone: str, body: str) -> None:
        SmsMessage.objects.create(phone=phone, body=body, backend=type(self).__name__)
        logger.info("SMS to %s: %s", phone, body)


@cache
def _backend_class(path: str) -> type:
    return import_string(path)


def sms_send(*, phone: str, body: str) -> None:
    backend = _backend_class(settings.SMS_BACKEND)()
    backend.send(phone, body)
