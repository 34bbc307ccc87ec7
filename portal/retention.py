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
  days at a time).

`persons` is the portal's person hook (`common.retention.register_person_hook`): when the run
de-identifies a person (every membership ended MEMBER_YEARS ago), whatever the portal keys by
their ID hash would otherwise keep a hash that leads back to the number. As with their bank
cards (common/retention_records.py), what is evidence stays under the person's token with the
personal parts emptied, and what serves only the person goes:
- the portal account and its devices, and the messages sent to them: deleted (a rejoiner signs
  in afresh and gets a new account under their hash; the messages were theirs to read);
- consents: evidence of what was consented to and when, kept under the token; the phone goes;
- copies of their data taken (PersonalDataExport): kept under the token (when, format, channel);
- join applications that are decided: kept under the token (union, township, form, dates,
  state: what an application figure counts); the name, the ID number (cipher and mask), the
  phone, the employer and a refusal's reason go.
A person with a join application pending is asking to come back: they are a data subject again
under that hash, so none of their portal rows is touched (the application holds the hash
anyway, and its consent and notices are what its processing needs)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, Q, Value, When
from django.db.models.functions import Coalesce

from common.retention import DEIDENTIFIED_NAME, DEIDENTIFIED_TEXT, start_of

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


def persons(tokens: dict[str, str], today: dt.date) -> dict[str, int]:
    """Re-key or remove the portal's rows of the persons {old hash: token} (see the module
    docstring)."""
    from portal.models import (
        Consent,
        JoinApplication,
        MemberNotice,
        PersonalDataExport,
        PortalAccount,
        PortalDevice,
    )

    pending = JoinApplication.objects.filter(
        id_number_hash__in=list(tokens), state=JoinApplication.State.PENDING
    )
    coming_back = set(pending.values_list("id_number_hash", flat=True))
    tokens = {h: t for h, t in tokens.items() if h not in coming_back}
    old = list(tokens)
    if not old:
        return {}

    def token_for(column: str) -> Case:
        return Case(
            *[When(**{column: h}, then=Value(t)) for h, t in tokens.items()],
            output_field=CharField(),
        )

    # The devices go with their account (on_delete CASCADE).
    _total, gone = PortalAccount.objects.filter(person_hash__in=old).delete()
    notices, _ = MemberNotice.objects.filter(person_hash__in=old).delete()
    consents = Consent.objects.filter(person_hash__in=old).update(
        person_hash=token_for("person_hash"), phone=""
    )
    exports = PersonalDataExport.objects.filter(person_hash__in=old).update(
        person_hash=token_for("person_hash")
    )
    applications = JoinApplication.objects.filter(id_number_hash__in=old).update(
        id_number_hash=token_for("id_number_hash"),
        id_number_encrypted="",
        id_number_masked="",
        name=DEIDENTIFIED_NAME,
        phone="",
        employer="",
        refusal_reason=Case(
            When(refusal_reason="", then=Value("")),
            default=Value(DEIDENTIFIED_TEXT),
            output_field=CharField(),
        ),
    )
    return {
        "已注销会员的会员服务账号": gone.get(PortalAccount._meta.label, 0),
        "已注销会员的登录设备": gone.get(PortalDevice._meta.label, 0),
        "已注销会员的会员消息": notices,
        "已注销会员的个人信息处理同意记录（去标识化）": consents,
        "已注销会员的个人信息下载记录（去标识化）": exports,
        "已注销会员的入会申请（去标识化）": applications,
    }
