"""A staff user's forgotten password (忘记密码), by an SMS code to the phone on file.

Accounts brought in by the go-live import (members.golive) start with no usable password; this is
also how their people set the first one. The rules:

- the code goes only to the number on the account (`StaffProfile.phone`), never to one typed here;
- codes are the portal's, reached through the `common.sms_codes` port (purpose `staff_reset`;
  members never imports the portal): one table, the same limits per number (one a minute, ten a
  day, five minutes to live, five wrong tries void it), whoever the code is for;
- the page never says whether a username exists, has a phone, or was sent a code: every request
  gets the same answer, and a wrong code reads the same as an unknown username;
- each failed reset counts as a failed sign-in for django-axes (the username and the address), so
  the lockout that guards the password guards the code as well, and is lifted the same way;
- the new password passes Django's password validators; a reset is recorded (an admin LogEntry
  on the account and a log line) and revokes the account's API tokens; it signs no one in, and a
  second factor (TOTP) set up on the account is still asked for at the next sign-in.
"""

import datetime as dt
import logging

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.admin import site as admin_site
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from common import sms_codes
from members.models import StaffProfile
from members.signin import client_ip, lockout_response
from members.tokens import token_revoke_all

logger = logging.getLogger("members.password_reset")

PURPOSE = sms_codes.STAFF_PASSWORD_RESET
# Code requests per client address: enough for a person, too few to walk a list of usernames.
SENDS_PER_ADDRESS = 10
SENDS_WINDOW = dt.timedelta(hours=1)
SENT_MESSAGE = _lazy(
    "如该用户名存在且登记了手机号码，验证码已发送到该号码，5分钟内有效（同一号码60秒内只发一次，"
    "每天最多10次）。未登记手机号码的，请联系上级管理员。"
)
FAILED_MESSAGE = _lazy("用户名或验证码不正确，或验证码已失效，请重新获取。")


class SendForm(forms.Form):
    username = forms.CharField(label=_lazy("用户名"), max_length=150)


class ResetForm(forms.Form):
    username = forms.CharField(label=_lazy("用户名"), max_length=150)
    code = forms.CharField(
        label=_lazy("短信验证码"),
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    new_password1 = forms.CharField(
        label=_lazy("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=_lazy("再次输入新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        elif first and cleaned.get("username"):
            # Checked against the username only, the same for every name: the account's own
            # details are checked once the code has proved who is asking.
            try:
                password_validation.validate_password(first, User(username=cleaned["username"]))
            except ValidationError as exc:
                self.add_error("new_password1", exc)
        return cleaned


def _account(username: str) -> tuple[User, str] | None:
    """The active staff account of that username with a phone on file, or None."""
    profile = (
        StaffProfile.objects.select_related("user")
        .filter(user__username=username, user__is_active=True, user__is_staff=True)
        .exclude(phone="")
        .first()
    )
    return (profile.user, profile.phone) if profile is not None else None


def reset_code_send(*, username: str, client: str) -> None:
    """Send a reset code to the account's phone, if there is such an account. Says nothing
    either way: a refusal by the per-number limits is swallowed too (it would tell that the
    username exists). Raises ValidationError only for the per-address limit, which is the same for
    every username."""
    sms_codes.rate_limit(key=f"staff-reset:{client}", limit=SENDS_PER_ADDRESS, window=SENDS_WINDOW)
    found = _account(username)
    if found is None:
        logger.info("staff password reset code asked for an unknown account")
        return
    user, phone = found
    try:
        sms_codes.send(phone=phone, purpose=PURPOSE)
    except ValidationError as exc:
        logger.info("staff password reset code not sent to user %s: %s", user.pk, exc.code)
        return
    logger.info("staff password reset code sent to user %s", user.pk)


def password_reset_by_code(*, username: str, code: str, new_password: str, client: str) -> User:
    """Set a new password if `code` is the live reset code sent to the account's phone. Any
    failure raises the one ValidationError (FAILED_MESSAGE), whatever went wrong."""
    found = _account(username)
    if found is None:
        raise ValidationError(FAILED_MESSAGE, code="failed")
    user, phone = found
    try:
        # Outside any transaction of ours: a wrong try is counted and kept (portal.services).
        sms_codes.check(phone=phone, purpose=PURPOSE, code=code)
    except ValidationError:
        raise ValidationError(FAILED_MESSAGE, code="failed") from None
    # The code proved who asks: now the password is checked against the account's own details.
    password_validation.validate_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        revoked = token_revoke_all(user=user)
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=[user],
            action_flag=CHANGE,
            change_message=_("通过短信验证码重置密码（%(ip)s）") % {"ip": client or "-"},
            single_object=True,
        )
    logger.info(
        "staff password reset by SMS code: user %s, %d API tokens revoked", user.pk, revoked
    )
    return user


@sensitive_post_parameters("new_password1", "new_password2", "code")
@csrf_protect
@never_cache
def password_reset_view(request):
    """One page: the username and 获取验证码, then the code and the new password twice."""
    username = (request.POST.get("username") or "").strip()
    credentials = {"username": username}
    if request.method == "POST" and not AxesProxyHandler.is_allowed(request, credentials):
        return lockout_response(request)
    notice = ""
    done = False
    send_form = SendForm(request.POST if "send" in request.POST else None)
    form = ResetForm(request.POST if "reset" in request.POST else None, initial={})
    if request.method == "POST" and "send" in request.POST and send_form.is_valid():
        try:
            reset_code_send(username=send_form.cleaned_data["username"], client=client_ip(request))
            notice = str(SENT_MESSAGE)
        except ValidationError as exc:
            send_form.add_error(None, exc)
        form = ResetForm(initial={"username": send_form.cleaned_data["username"]})
    elif request.method == "POST" and "reset" in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            password_reset_by_code(
                username=data["username"],
                code=data["code"],
                new_password=data["new_password1"],
                client=client_ip(request),
            )
            done = True
        except ValidationError as exc:
            if exc.code == "failed":
                user_login_failed.send(sender=__name__, credentials=credentials, request=request)
                if getattr(request, "axes_locked_out", False):
                    return lockout_response(request)
                form.add_error("code", exc)
            else:
                form.add_error(
                    "new_password1",
                    ValidationError(
                        [*exc.messages, _("验证码已使用，请改好密码后重新获取验证码。")]
                    ),
                )
    context = {
        **admin_site.each_context(request),
        "title": _("忘记密码"),
        "send_form": send_form,
        "form": form,
        "notice": notice,
        "done": done,
    }
    return render(request, "registration/staff_password_reset.html", context)
