"""Print the last code sent to a number by the outbox backend (a local run and the demo)."""

import re

from django.core.management.base import BaseCommand, CommandError

from portal.models import SmsMessage
from portal.services import clean_phone


class Command(BaseCommand):
    help = "显示发送到某手机号的最近一条短信验证码（仅内置短信发件箱，用于本地演示和测试）。"

    def add_arguments(self, parser):
        parser.add_argument("phone")

    def handle(self, *args, phone: str, **options):
        try:
            phone = clean_phone(phone)
        except Exception as exc:  # a ValidationError with a message for the operator
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
        message = SmsMessage.objects.filter(phone=phone).order_by("-sent_at", "-id").first()
        if message is None:
            raise CommandError(f"发件箱里没有发给 {phone} 的短信。")
        code = re.search(r"\d{6}", message.body)
        self.stdout.write(code.group(0) if code else message.body)
        self.stderr.write(f"{message.sent_at:%Y-%m-%d %H:%M:%S} {message.body}")
