"""Writes the portal owns: SMS codes, rate limits, accounts and devices, join applications,
consents and e-card verification. Keyword-only, one transaction, a ValidationError a worker with a
phone can act on. Everything else a member does goes through the owning app's services."""

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import notices
from members import crypto
from members import services as member_services
from members.actors import MemberActor
from members.fields import clean_name
from members.models import Member, Union
from members.scoping import require_can_write, require_in_scope
from members.validators import mask_id_number, normalize_mobile, parse_id_number
from portal.models import (
    CardVerification,
    Consent,
    JoinApplication,
    PortalAccount,
    PortalDevice,
    RateHit,
    SmsCode,
)
from portal.sms import SmsError, sms_send

CODE_LIFETIME = dt.timedelta(minutes=5)
CODE_RESEND_AFTER = dt.timedelta(seconds=60)
CODES_PER_DAY = 10
CODE_MAX_FAILURES = 5
SIGNED_IN_FOR = dt.timedelta(days=30)
# How long a verified phone number carries a sign-in or a join form before a new code is asked.
VERIFIED_PHONE_FOR = dt.timedelta(minutes=15)
CARD_TOKEN_SALT = "portal.ecard.v1"
CARD_TOKEN_MAX_AGE = dt.timedelta(minutes=3)
# The notice the worker reads before giving their ID number; bump when its words change.
JOIN_NOTICE_VERSION = "2026-12-01"
# Employment forms for which the township's joint union (联合工会) is the natural home.
GIG_FORMS = {
    Member.EmploymentForm.COURIER,
    Member.EmploymentForm.FOOD_DELIVERY,
    Member.EmploymentForm.RIDE_HAILING,
    Member.EmploymentForm.TRUCK_DRIVER,
}
TRANSFER_MESSAGE = gettext_lazy("该公民身份号码已有在会会籍，请办理会员关系转接。")


# --- rate limits -----------------------------------------------------------------------------


def window_start(window: dt.timedelta, now: dt.datetime) -> dt.datetime:
    """The start of the fixed window of length `window` that `now` falls in."""
    seconds = int(window.total_seconds())
    return dt.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=dt.UTC)


def count_hit(*, key: str, window: dt.timedelta, now: dt.datetime) -> int:
    """Add one to `key`'s count in the current fixed window and return the count. Committed on
    its own (a savepoint that is not rolled back by a refusal later in the request)."""
    with transaction.atomic():
        hit, _created = RateHit.objects.get_or_create(
            key=key, window_start=window_start(window, now)
        )
        RateHit.objects.filter(pk=hit.pk).update(count=F("count") + 1)
        hit.refresh_from_db(fields=["count"])
    return hit.count


def rate_limit(*, key: str, limit: int, window: dt.timedelta, now: dt.datetime | None = None):
    """Count one hit against `key` in the current fixed window; refuse past `limit`."""
    if count_hit(key=key, window=window, now=now or timezone.now()) > limit:
        raise ValidationError(_("操作太频繁，请稍后再试。"), code="rate_limited")


# --- SMS codes -------------------------------------------------------------------------------


def _code_digest(phone: str, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"sms:{phone}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def _lock_phone(phone: str) -> None:
    """Serialise code sending per number, so two taps at once cannot both pass the 60 s rule."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"portal.sms:{phone}"])


def clean_phone(raw: str) -> str:
    phone = normalize_mobile(raw)
    if not phone:
        raise ValidationError({"phone": _("请填写手机号码。")})
    return phone


def sms_code_send(*, phone: str, purpose: str, now: dt.datetime | None = None) -> SmsCode:
    """Send a fresh 6-digit code to `phone`: at most one per 60 s and 10 a day per number. A new
    code voids the number's earlier unused ones."""
    phone = clean_phone(phone)
    now = now or timezone.now()
    with transaction.atomic():
        _lock_phone(phone)
        recent = SmsCode.objects.filter(phone=phone)
        last = recent.order_by("-created_at").first()
        if last is not None and now - last.created_at < CODE_RESEND_AFTER:
            wait = int((CODE_RESEND_AFTER - (now - last.created_at)).total_seconds()) + 1
            raise ValidationError(
                _("验证码已发送，请%(s)d秒后再获取。") % {"s": wait}, code="too_soon"
            )
        day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        if recent.filter(created_at__gte=day_start).count() >= CODES_PER_DAY:
            raise ValidationError(
                _("该号码今天获取验证码已达%(n)d次，请明天再试。") % {"n": CODES_PER_DAY},
                code="daily_limit",
            )
        recent.filter(purpose=purpose, used_at__isnull=True, voided_at__isnull=True).update(
            voided_at=now
        )
        code = f"{secrets.randbelow(1_000_000):06d}"
        sms_code = SmsCode.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=_code_digest(phone, code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
        try:
            sms_send(
                phone=phone,
                body=_("【湖州工会】您的验证码是%(c)s，5分钟内有效。请勿告诉他人。") % {"c": code},
            )
        except SmsError:
            # Nothing was sent: the code is not kept and does not count against the number.
            raise ValidationError(_("短信发送失败，请稍后再试。"), code="sms_failed") from None
    return sms_code


def sms_code_check(
    *, phone: str, purpose: str, code: str, now: dt.datetime | None = None
) -> SmsCode:
    """Use the number's live code if `code` is it. A wrong code counts; the fifth voids it. The
    count is saved before the refusal is raised, so a refused request cannot roll it back."""
    phone = clean_phone(phone)
    now = now or timezone.now()
    code = (code or "").strip()
    error: ValidationError | None = None
    with transaction.atomic():
        live = (
            SmsCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose, used_at__isnull=True, voided_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if live is None or live.expires_at <= now:
            error = ValidationError({"code": _("验证码已失效，请重新获取。")}, code="expired")
        elif not hmac.compare_digest(live.code_hash, _code_digest(phone, code)):
            live.failed_attempts += 1
            if live.failed_attempts >= CODE_MAX_FAILURES:
                live.voided_at = now
                error = ValidationError(
                    {
                        "code": _("验证码已输错%(n)d次，已作废，请重新获取。")
                        % {"n": CODE_MAX_FAILURES}
                    },
                    code="voided",
                )
            else:
                left = CODE_MAX_FAILURES - live.failed_attempts
                error = ValidationError(
                    {"code": _("验证码不正确，还可以再试%(n)d次。") % {"n": left}},
                    code="wrong",
                )
            live.save(update_fields=["failed_attempts", "voided_at"])
        else:
            live.used_at = now
            live.save(update_fields=["used_at"])
    if error is not None:
        raise error
    assert live is not None
    return live


# --- accounts and devices --------------------------------------------------------------------


def new_device_key() -> str:
    return secrets.token_urlsafe(32)


def device_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def members_with_phone(phone: str):
    return Member.objects.select_related("union").filter(phone=phone, status=Member.Status.ACTIVE)


def person_match(*, phone: str, name: str, id_last6: str) -> Member | None:
    """The active member with this phone whose name and last 6 ID characters are these: the
    numbers are decrypted one by one (a phone is shared by a handful of members at most)."""
    try:
        name = clean_name(name)
    except ValidationError:
        return None
    last6 = (id_last6 or "").strip().upper()
    if len(last6) != 6:
        return None
    for member in members_with_phone(phone):
        if member.name != name:
            continue
        number = crypto.decrypt_id_number(member.id_number_encrypted)
        if hmac.compare_digest(number[-6:], last6):
            return member
    return None


def account_for(member: Member) -> PortalAccount:
    """The person's one account, made on their first sign-in."""
    account, _created = PortalAccount.objects.get_or_create(person_hash=member.id_number_hash)
    return account


@transaction.atomic
def device_sign_in(
    *,
    account: PortalAccount,
    device_key: str,
    user_agent: str = "",
    now: dt.datetime | None = None,
) -> PortalDevice:
    """Bind (or re-use) this device for the account and sign it in for 30 days. Any other account
    signed in on the same device is signed out: one person at a time per phone."""
    now = now or timezone.now()
    digest = device_digest(device_key)
    PortalDevice.objects.filter(device_digest=digest).exclude(account=account).update(
        signed_in_until=None
    )
    device, _created = PortalDevice.objects.get_or_create(
        account=account, device_digest=digest, defaults={"user_agent": user_agent[:200]}
    )
    device.signed_in_until = now + SIGNED_IN_FOR
    device.last_seen_at = now
    device.save(update_fields=["signed_in_until", "last_seen_at"])
    PortalAccount.objects.filter(pk=account.pk).update(last_sign_in_at=now)
    return device


def device_account_for_phone(*, device_key: str, phone: str) -> PortalAccount | None:
    """An account already bound on this device whose person is an active member with `phone`:
    such a sign-in needs only the SMS code."""
    if not device_key:
        return None
    hashes = list(members_with_phone(phone).values_list("id_number_hash", flat=True))
    device = (
        PortalDevice.objects.select_related("account")
        .filter(device_digest=device_digest(device_key), account__person_hash__in=hashes)
        .first()
    )
    return device.account if device else None


def device_signed_in(*, device_key: str, now: dt.datetime | None = None) -> PortalDevice | None:
    if not device_key:
        return None
    now = now or timezone.now()
    return (
        PortalDevice.objects.select_related("account")
        .filter(device_digest=device_digest(device_key), signed_in_until__gt=now)
        .first()
    )


def device_sign_out(*, device_key: str) -> None:
    PortalDevice.objects.filter(device_digest=device_digest(device_key)).update(
        signed_in_until=None
    )


# --- joining (网上入会) ------------------------------------------------------------------------


def consent_record(*, notice: str, version: str, phone: str, person_hash: str = "") -> Consent:
    """Record a consent, given from `phone`, of the person `person_hash` (blank only for the
    join notice, read before the ID number is given: join_apply fills it in)."""
    if not person_hash and notice != Consent.Notice.JOIN_ID_NUMBER:
        raise ValueError("a consent other than the join notice names the person")
    return Consent.objects.create(
        notice=notice,
        version=version,
        phone=phone,
        person_hash=person_hash,
        consented_at=timezone.now(),
    )


def consent_current(*, person_hash: str, notice: str, version: str) -> Consent | None:
    """The person's consent to this version of the notice, whatever number they use now, unless
    they withdrew it."""
    if not person_hash:
        return None
    return (
        Consent.objects.filter(
            person_hash=person_hash, notice=notice, version=version, withdrawn_at__isnull=True
        )
        .order_by("-consented_at")
        .first()
    )


# Only consents whose withdrawal leaves a service usable another way: the join notice is the
# ground of the membership application itself (leaving the union is the way out of that one).
WITHDRAWABLE_NOTICES = {Consent.Notice.MEDICAL_RECEIPTS}


@transaction.atomic
def consent_withdraw(*, by: MemberActor, notice: str) -> list[Consent]:
    """撤回同意 (PIPL art. 15): the member ends their consent to `notice`, every version. The
    records stay, with the time of withdrawal; nothing already submitted on the consent is
    deleted (a claim and its receipts are accounting vouchers), and the next claim asks again."""
    if notice not in WITHDRAWABLE_NOTICES:
        raise ValidationError(
            _("这项同意不能在这里撤回，请联系您所在的工会。"), code="not_withdrawable"
        )
    person = by.person
    active = list(
        Consent.objects.select_for_update()
        .filter(person_hash=person, notice=notice, withdrawn_at__isnull=True)
        .order_by("pk")
    )
    if not active:
        raise ValidationError(_("您目前没有这项同意，无需撤回。"), code="nothing_to_withdraw")
    now = timezone.now()
    Consent.objects.filter(pk__in=[c.pk for c in active]).update(withdrawn_at=now)
    for consent in active:
        consent.withdrawn_at = now
    return active


def join_union_for(*, township: Union, employment_form: str) -> Union:
    """Where an online application goes: the township's joint union (联合工会), which takes gig
    workers and the staff of small employers without a union of their own."""
    joint = (
        Union.objects.filter(parent=township, is_joint=True, level=Union.Level.GRASSROOTS)
        .order_by("code")
        .first()
    )
    if joint is None:
        raise ValidationError(
            {
                "township": _("%(t)s暂未设立联合工会，请联系%(t)s或您所在单位的工会办理入会。")
                % {"t": township}
            }
        )
    return joint


@transaction.atomic
def join_apply(
    *,
    phone: str,
    name: str,
    id_number: str,
    township: Union,
    employment_form: str,
    consent: Consent,
    employer: str = "",
) -> JoinApplication:
    """A worker's application, from a phone number they proved with an SMS code."""
    errors: dict[str, list[str]] = {}
    facts = None
    try:
        facts = parse_id_number(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages
    try:
        name = clean_name(name)
    except ValidationError as exc:
        errors["name"] = exc.messages
    if township.level != Union.Level.TOWNSHIP:
        errors["township"] = [_("请选择工作所在的乡镇(街道)。")]
    if employment_form not in Member.EmploymentForm.values:
        errors["employment_form"] = [_("请选择就业形态。")]
    if errors:
        raise ValidationError(errors)
    assert facts is not None
    union = join_union_for(township=township, employment_form=employment_form)
    id_hash = crypto.hash_id_number(facts.number)
    if Member.objects.filter(id_number_hash=id_hash, status=Member.Status.ACTIVE).exists():
        # Say that the person is a member, never where (PIPL: need to know).
        raise ValidationError(
            {
                "id_number": _(
                    "该公民身份号码已是工会会员，请用登记的手机号登录；如需变更工会，请办理会员关系转接。"
                )
            }
        )
    if consent.person_hash and consent.person_hash != id_hash:
        # A consent is one person's: given for another ID number, it does not cover this one.
        raise ValidationError(_("请重新阅读并同意个人信息处理告知书后再提交。"))
    if not consent.person_hash:
        consent.person_hash = id_hash
        consent.save(update_fields=["person_hash"])
    application = JoinApplication(
        name=name,
        id_number_encrypted=crypto.encrypt_id_number(facts.number),
        id_number_hash=id_hash,
        id_number_masked=mask_id_number(facts.number),
        phone=clean_phone(phone),
        employer=(employer or "").strip()[:200],
        employment_form=employment_form,
        township=township,
        union=union,
        consent=consent,
        submitted_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError(
            {"id_number": _("您已有一份待审核的入会申请，请耐心等待工会审核。")}
        ) from None
    return application


def _lock_application(application: JoinApplication) -> JoinApplication:
    locked = JoinApplication.objects.select_for_update().get(pk=application.pk)
    if locked.state != JoinApplication.State.PENDING:
        raise ValidationError(_("该申请已%(s)s，不能再审核。") % {"s": locked.get_state_display()})
    return locked


@transaction.atomic
def join_approve(*, application: JoinApplication, by: User) -> JoinApplication:
    """Approve: the member is created through members.services with its usual checks. An ID
    number already active in any union is refused without naming that union."""
    require_can_write(by)
    require_in_scope(by, application.union)
    application = _lock_application(application)
    if Member.objects.filter(
        id_number_hash=application.id_number_hash, status=Member.Status.ACTIVE
    ).exists():
        raise ValidationError(TRANSFER_MESSAGE)
    try:
        member = member_services.member_create(
            id_number=crypto.decrypt_id_number(application.id_number_encrypted),
            name=application.name,
            union=application.union,
            phone=application.phone,
            employment_form=application.employment_form,
            by=by,
        )
    except ValidationError as exc:
        if "id_number" in getattr(exc, "error_dict", {}):
            # A race with another enrolment: never pass on a message that may name a union.
            raise ValidationError(TRANSFER_MESSAGE) from None
        raise
    application.state = JoinApplication.State.APPROVED
    application.member = member
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save(update_fields=["state", "member", "decided_by", "decided_at", "updated_at"])
    notices.tell(
        member,
        _("您的入会申请已批准，欢迎加入%(u)s！用本手机号登录即可查看电子会员证。")
        % {"u": application.union},
        about="membership",
        record_id=member.pk,
    )
    return application


@transaction.atomic
def join_refuse(*, application: JoinApplication, reason: str, by: User) -> JoinApplication:
    require_can_write(by)
    require_in_scope(by, application.union)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"refusal_reason": _("请写明不予批准的理由，申请人会看到它。")})
    application = _lock_application(application)
    application.state = JoinApplication.State.REFUSED
    application.refusal_reason = reason[:500]
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save(
        update_fields=["state", "refusal_reason", "decided_by", "decided_at", "updated_at"]
    )
    notices.notify(
        notices.Notice(
            person_hash=application.id_number_hash,
            phone=application.phone,
            text=_("您的入会申请未获批准，理由：%(r)s") % {"r": application.refusal_reason[:100]},
            about="join",
            record_id=application.pk,
        )
    )
    return application


# --- 电子会员证 -------------------------------------------------------------------------------


class _SignedAt(signing.TimestampSigner):
    """A signer whose timestamp is given (a token issued at a known time, e.g. in a test)."""

    def __init__(self, *, at: dt.datetime, **kwargs):
        super().__init__(**kwargs)
        self._at = at

    def timestamp(self) -> str:
        return signing.b62_encode(int(self._at.timestamp()))


def card_token(*, member: Member, issued_at: dt.datetime | None = None) -> str:
    """What the e-card's QR code holds: the membership, signed and timestamped. It expires after
    a few minutes, so a screenshot passed around does not verify."""
    signer = _SignedAt(at=issued_at or timezone.now(), salt=CARD_TOKEN_SALT)
    return signer.sign_object({"m": member.pk}, compress=True)


@dataclass(frozen=True)
class CardCheck:
    member: Member
    is_active: bool
    verification: CardVerification


@transaction.atomic
def card_verify(*, token: str, by: User) -> CardCheck:
    """Staff scanned an e-card: is the holder an active member? Recorded either way."""
    if not (by.is_authenticated and by.is_staff):
        raise PermissionDenied(_("请工作人员登录后核验。"))
    try:
        payload = signing.loads(
            (token or "").strip(),
            salt=CARD_TOKEN_SALT,
            max_age=CARD_TOKEN_MAX_AGE,
        )
        member_id = int(payload["m"])
    except signing.SignatureExpired:
        raise ValidationError(
            _("该会员证二维码已过期（截图无效），请会员刷新电子会员证后再扫。"), code="expired"
        ) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ValidationError(_("二维码无效，不是本平台的电子会员证。"), code="invalid") from None
    member = Member.objects.select_related("union").filter(pk=member_id).first()
    if member is None:
        raise ValidationError(_("二维码无效，不是本平台的电子会员证。"), code="invalid")
    is_active = member.status == Member.Status.ACTIVE
    verification = CardVerification.objects.create(
        verified_by=by, member=member, was_active=is_active
    )
    return CardCheck(member=member, is_active=is_active, verification=verification)
