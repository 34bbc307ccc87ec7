"""Sign-in views and hooks: the API token endpoint, django-axes' lockout answer and client address.
(Kept apart from members.tokens, which DRF imports while its own views module is still loading.)"""

import base64
import datetime as dt
import io
import math
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib.admin import site as admin_site
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from members.models import AccessToken
from members.tokens import AccessTokenAuthentication, token_issue, token_revoke


class AccessTokenScheme(OpenApiAuthenticationExtension):
    """How the schema names our token header (drf-spectacular finds it by import)."""

    target_class = "members.tokens.AccessTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _("“Token <令牌>”，令牌由 /api/v1/auth/token/ 签发，按时过期。"),
        }


class ObtainTokenView(APIView):
    """POST username + password → a staff token (shown once). The password goes through
    django.contrib.auth.authenticate with the request, so django-axes counts failures and locks
    out exactly as on the admin sign-in. DELETE with a token revokes it (sign out)."""

    authentication_classes = [AccessTokenAuthentication]
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {
                "username": serializers.CharField(),
                "password": serializers.CharField(),
                "otp_token": serializers.CharField(required=False),
            },
        ),
        responses={
            200: inline_serializer(
                "TokenIssued",
                {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()},
            ),
            400: OpenApiResponse(description=_("用户名、密码或动态验证码不正确")),
            403: OpenApiResponse(description=_("须先设置两步验证")),
            429: OpenApiResponse(description=_("登录失败次数过多，已锁定")),
        },
    )
    def post(self, request):
        # A body that is JSON but not an object (null, a list, a number) is a missing field,
        # not a server error; so is a field that is not a string.
        data = request.data if isinstance(request.data, dict) else {}
        username, password = (data.get(k) for k in ("username", "password"))
        if not isinstance(username, str) or not isinstance(password, str):
            username = password = ""
        if not username or not password:
            return Response(
                {"detail": _("请填写用户名和密码。")}, status=status.HTTP_400_BAD_REQUEST
            )
        # The HttpRequest, not DRF's wrapper: axes marks a lockout on the object the middleware sees.
        http_request = request._request
        user = authenticate(request=http_request, username=username, password=password)
        if getattr(http_request, "axes_locked_out", False):
            return lockout_response(http_request)
        if user is None or not user.is_active:
            return Response(
                {"detail": _("用户名或密码不正确。")}, status=status.HTTP_400_BAD_REQUEST
            )
        # The API is a way in like the admin: the same second factor guards it.
        device = confirmed_device(user)
        if device is not None:
            problem = check_totp(device, str(data.get("otp_token") or ""))
            if problem:
                return Response({"detail": problem}, status=status.HTTP_400_BAD_REQUEST)
        elif must_use_otp(user):
            return Response(
                {"detail": _("该账号须先在后台设置两步验证，才能获取接口令牌。")},
                status=status.HTTP_403_FORBIDDEN,
            )
        with transaction.atomic():
            token, key = token_issue(user=user)
        return Response({"token": key, "expires_at": token.expires_at}, status=status.HTTP_200_OK)

    @extend_schema(request=None, responses={204: None, 401: None})
    def delete(self, request):
        if not isinstance(request.auth, AccessToken):
            return Response(status=status.HTTP_401_UNAUTHORIZED)
        token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


def lockout_message(wait: dt.timedelta | None = None) -> str:
    """`wait`: how long the lock holds, if it is not the cool-off (rounded up to a minute)."""
    seconds = (wait if wait is not None else settings.AXES_COOLOFF_TIME).total_seconds()
    minutes = max(1, math.ceil(seconds / 60))
    return str(
        _("登录失败次数过多，已暂时锁定，请 %(minutes)d 分钟后再试，或联系上级管理员解锁。")
        % {"minutes": minutes}
    )


def lockout_response(
    request, original_response=None, credentials=None, *, wait: dt.timedelta | None = None
) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): JSON on the API, the
    Chinese lockout page elsewhere; 429 either way. It never says whether the account exists."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": lockout_message(wait)}, status=429, json_dumps_params={"ensure_ascii": False}
        )
    return render(
        request, "registration/lockout.html", {"message": lockout_message(wait)}, status=429
    )


def client_ip(request) -> str:
    """The client's address for lockout (AXES_CLIENT_IP_CALLABLE). Behind TRUSTED_PROXY_COUNT
    reverse proxies it is the address the outermost of them saw, taken from the right of
    X-Forwarded-For, where a client cannot forge it; with no proxy, REMOTE_ADDR. Without this every
    request would come from the proxy, and locking out one address would lock out everyone."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")


class DocsPermission(BasePermission):
    """The API schema and docs: open on a local run, signed-in staff only when API_DOCS_PUBLIC is
    off (the production default): the schema maps every route an attacker would want."""

    def has_permission(self, request, view) -> bool:
        if settings.API_DOCS_PUBLIC:
            return True
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


def docs_page(view):
    """The Swagger page is for a browser: send a visitor who is not signed in to the sign-in page
    instead of answering 403 (the schema itself still answers 401/403 to a script)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.API_DOCS_PUBLIC and not (
            request.user.is_authenticated and request.user.is_staff
        ):
            return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
        return view(request, *args, **kwargs)

    return wrapped


# --- two-factor sign-in (TOTP, django-otp) ---------------------------------------------------


def must_use_otp(user) -> bool:
    """Whoever may see full ID numbers signs in with a second factor (PIPL, MLPS level 3). Read
    from the permission, not a list of roles, so a role that gains the permission gains the rule."""
    return bool(
        settings.OTP_REQUIRED
        and user.is_authenticated
        and user.is_staff
        and (user.is_superuser or user.has_perm("members.reveal_id_number"))
    )


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def check_totp(device: TOTPDevice, token: str) -> str | None:
    """None if the code is right; otherwise a Chinese message. django-otp throttles a device after
    failures (doubling waits), so a six-digit code cannot be walked."""
    allowed, _extra = device.verify_is_allowed()
    if not allowed:
        return str(_("验证码错误次数过多，请稍后再试。"))
    if not token or not device.verify_token(token.strip()):
        return str(_("动态验证码不正确。"))
    return None


class StaffLoginForm(AdminAuthenticationForm):
    """The admin sign-in: password (counted by django-axes), then, for a user with a confirmed
    authenticator, the six-digit code in the same form. A user who must have one but has none signs
    in with the password and is sent straight to the setup page (OTPRequiredMiddleware)."""

    otp_token = forms.CharField(
        label=_("动态验证码"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("已启用两步验证的账号，请填写身份验证器 App 中的 6 位数字。"),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        device = confirmed_device(user) if user is not None else None
        if device is not None:
            problem = check_totp(device, cleaned.get("otp_token") or "")
            if problem:
                raise forms.ValidationError(problem, code="invalid_otp")
            # django-otp's user_logged_in handler stores this device in the session: verified.
            user.otp_device = device
        return cleaned


EXEMPT_PREFIXES = ("/admin/login/", "/admin/logout/", "/admin/2fa/", "/api/v1/auth/token/")


class OTPRequiredMiddleware:
    """After django-otp's OTPMiddleware: a signed-in user who must use two-factor sign-in and whose
    session is not verified (request.user.is_verified(), nothing else) reaches only the two-factor
    page, sign-in and sign-out. Tokens are covered where they are issued (ObtainTokenView)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        path = request.path
        # A verified session first: it needs no permission lookup (two queries per request).
        if (
            not user.is_verified()
            and must_use_otp(user)
            and not path.startswith(EXEMPT_PREFIXES)
            and not path.startswith(settings.STATIC_URL)
        ):
            if path.startswith("/api/"):
                return JsonResponse(
                    {"detail": str(_("请先完成两步验证。"))},
                    status=403,
                    json_dumps_params={"ensure_ascii": False},
                )
            return redirect_to_login(path, reverse("two-factor"), "next")
        return self.get_response(request)


class TwoFactorForm(forms.Form):
    otp_token = forms.CharField(label=_("动态验证码"), max_length=8)


def _qr_data_uri(text: str) -> str:
    out = io.BytesIO()
    write_qrcode_image(text, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


@login_required
def two_factor(request):
    """Set up an authenticator (QR code, then a first code confirms it) or, with one already set
    up, verify this session with a code. Offered to every staff user; required for some."""
    user = request.user
    if not user.is_staff:
        return redirect("admin:login")
    device = confirmed_device(user)
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = reverse("admin:index")
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        problem = check_totp(device, form.cleaned_data["otp_token"])
        if problem:
            form.add_error("otp_token", problem)
        else:
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(next_url)
    context = {
        **admin_site.each_context(request),
        "title": _("两步验证"),
        "form": form,
        "next": next_url,
        "setting_up": setting_up,
        "required": must_use_otp(user),
        "verified": user.is_verified(),
    }
    if setting_up:
        context["qr"] = _qr_data_uri(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "registration/two_factor.html", context)
