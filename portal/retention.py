"""The portal's part of the retention task (PIPL art. 47, the README's retention table): sign-in
data kept only as long as signing in needs it. `common.retention` runs this sweep in its own
transaction and report (dry run included); the portal plugs it in at start-up
(`PortalConfig.ready`), so common never imports the portal.

These rows count in no figure and prove nothing anyone needs later, so they are deleted, not
de-identified:
- SMS codes (a hash of the code, the number): SMS_CODE_DAYS after they were sent. A code lives
  5 minutes; the daily limit per number looks back one day; a month is enough to look into abuse.
- rate counters (their key may hold a number or an address): RATE_HIT_DAYS after their window.
- the SMS outbox (number and text): SMS_OUTBOX_DAYS, the six months 网络安全法 art. 21 asks of
  logs, so "I never got the message" can still be answered.
- devices: DEVICE_DAYS after their last use, once no longer signed in (a device signs in for 30
  days at a time)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.db.models.functions import Coalesce

from common.retention import start_of

SMS_CODE_DAYS = 30
RATE_HIT_DAYS = 30
SMS_OUTBOX_DAYS = 180
DEVICE_DAYS = 365


def sweep(today: dt.date) -> dict[str, int]:
    from portal.models import PortalDevice, RateHit, SmsCode, SmsMessage

    midnight = start_of(today)

    def before(days: int) -> dt.datetime:
        return midnight - dt.timedelta(days=days)

    codes, _ = SmsCode.objects.filter(created_at__lt=before(SMS_CODE_DAYS)).delete()
    hits, _ = RateHit.objects.filter(window_start__lt=before(RATE_HIT_DAYS)).delete()
    outbox, _ = SmsMessage.objects.filter(sent_at__lt=before(SMS_OUTBOX_DAYS)).delete()
    devices, _ = (
        PortalDevice.objects.alias(last_used=Coalesce("last_seen_at", "bound_at"))
        .filter(last_used__lt=before(DEVICE_DAYS))
        .filter(Q(signed_in_until__isnull=True) | Q(signed_in_until__lt=midnight))
        .delete()
    )
    return {
        f"会员服务短信验证码（满{SMS_CODE_DAYS}天）": codes,
        f"访问频率计数（满{RATE_HIT_DAYS}天）": hits,
        f"短信发送记录（满{SMS_OUTBOX_DAYS}天）": outbox,
        f"会员服务登录设备（{DEVICE_DAYS}天未使用）": devices,
    }
