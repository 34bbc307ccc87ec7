"""The member's account, beyond the web sign-in: a member API token from the SMS sign-in, and
binding a new phone number when the registered one changed."""

import hmac
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import notices
from members import crypto
from members import services as member_services
from members.actors import MemberActor
from members.fields import clean_name
from members.models import AccessToken, Member
from members.tokens import token_issue
from members.validators import parse_id_number
from portal import services
from portal.models import PortalDevice, SmsCode

NOT_MATCHED = gettext_lazy(
    "姓名或身份证号码与该手机号登记的会员信息不一致。如果您还不是会员，可以在线申请入会。"
)


class BindRequired(ValidationError):
    """Not a failed try: the device is new, so the name and last 6 of the ID number are asked."""


@dataclass(frozen=True)
class MemberSignIn:
    member: Member
    token: AccessToken
    key: str
    device_key: str


def member_token_sign_in(
    *, phone: str, code: str, device_key: str = "", name: str = "", id_last6: str = ""
) -> MemberSignIn:
    """The member API's sign-in (WeChat / 浙里办): the SMS code for `phone`, and on a device not
    bound yet (no `device_key`, or one bound to nobody with this phone) the name and the last 6 of
    the ID number. Answers a member token (the expiring, hashed kind in members.tokens) and the
    device key to send next time. The code is used (and a wrong one counted) in a transaction
    of its own, before anything else is looked at, so a refusal later cannot undo either."""
    phone = services.clean_phone(phone)
    services.sms_code_check(phone=phone, purpose=SmsCode.Purpose.SIGN_IN, code=code)
    account = services.device_account_for_phone(device_key=device_key, phone=phone)
    member = account.active_member() if account else None
    if member is None:
        if not (name and id_last6):
            raise BindRequired({"id_last6": _("首次在此设备登录，请填写姓名和身份证号码后6位。")})
        member = services.person_match(phone=phone, name=name, id_last6=id_last6)
        if member is None:
            raise ValidationError(NOT_MATCHED, code="not_matched")
        with transaction.atomic():
            account = services.account_for(member)
            device_key = device_key or services.new_device_key()
            # Bound, not signed in: the API device holds a token, not the web sign-in cookie.
            PortalDevice.objects.get_or_create(
                account=account,
                device_digest=services.device_digest(device_key),
                defaults={"user_agent": "api"},
            )
    token, key = token_issue(member_id_hash=member.id_number_hash)
    return MemberSignIn(member=member, token=token, key=key, device_key=device_key)


# --- a new phone number ------------------------------------------------------------------------


def phone_change_send(*, new_phone: str) -> SmsCode:
    """Send a code to the new number (proving it is the worker's now). Whether the name and ID
    number match anyone is only looked at with the code, so this step tells nobody anything."""
    return services.sms_code_send(phone=new_phone, purpose=SmsCode.Purpose.PHONE_CHANGE)


def phone_change(*, name: str, id_number: str, new_phone: str, code: str) -> Member:
    """Bind `new_phone` to the person's active membership: the code sent to the new number, the
    name and the full ID number must all match. The registry's phone changes through
    members.services (so the record's history shows it), and the old number is told. The code
    is used in a transaction of its own first, so a wrong name or number still spends it."""
    new_phone = services.clean_phone(new_phone)
    services.sms_code_check(phone=new_phone, purpose=SmsCode.Purpose.PHONE_CHANGE, code=code)
    try:
        number = parse_id_number(id_number).number
        name = clean_name(name)
    except ValidationError:
        raise ValidationError(NOT_MATCHED, code="not_matched") from None
    with transaction.atomic():
        return _phone_bind(number=number, name=name, new_phone=new_phone)


def _phone_bind(*, number: str, name: str, new_phone: str) -> Member:
    member = (
        Member.objects.select_for_update()
        .filter(id_number_hash=crypto.hash_id_number(number), status=Member.Status.ACTIVE)
        .first()
    )
    if member is None or not hmac.compare_digest(member.name.encode(), name.encode()):
        raise ValidationError(NOT_MATCHED, code="not_matched")
    old_phone = member.phone
    if old_phone == new_phone:
        return member
    # The member proved themselves (name + full ID number) and the new number (a code sent to
    # it): they record it themselves, and the record's history names them.
    member = member_services.member_phone_change(
        member=member, phone=new_phone, by=MemberActor(member)
    )
    if old_phone:
        # Someone else changing the number is what the old number's owner must hear about.
        notices.notify(
            notices.Notice(
                person_hash=member.id_number_hash,
                phone=old_phone,
                text=_("您在工会登记的手机号已更换为%(p)s。如非本人操作，请致电12351。")
                % {"p": f"{new_phone[:3]}****{new_phone[-4:]}"},
                about="account",
            )
        )
    return member
