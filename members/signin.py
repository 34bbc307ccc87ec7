"""Sign-in views and hooks: the API token endpoint, django-axes' lockout answer and client address.
(Kept apart from members.tokens, which DRF imports while its own views module is still loading.)"""

from functools import wraps

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render, resolve_url
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from members.models import AccessToken
from members.tokens import AccessTokenAuthentication, token_issue, token_revoke


class ObtainTokenView(APIView):
    """POST username + password → a staff token (shown once). The password goes through
    django.contrib.auth.authenticate with the request, so django-axes counts failures and locks
    out exactly as on the admin sign-in. DELETE with a token revokes it (sign out)."""

    authentication_classes = [AccessTokenAuthentication]
    permission_classes = [AllowAny]
    throttle_classes: list = []

    def post(self, request):
        username = request.data.get("username") or ""
        password = request.data.get("password") or ""
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
        with transaction.atomic():
            token, key = token_issue(user=user)
        return Response({"token": key, "expires_at": token.expires_at}, status=status.HTTP_200_OK)

    def delete(self, request):
        if not isinstance(request.auth, AccessToken):
            return Response(status=status.HTTP_401_UNAUTHORIZED)
        token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return str(
        _("登录失败次数过多，已暂时锁定，请 %(minutes)d 分钟后再试，或联系上级管理员解锁。")
        % {"minutes": minutes}
    )


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): JSON on the API, the
    Chinese lockout page elsewhere; 429 either way. It never says whether the account exists."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": lockout_message()}, status=429, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "registration/lockout.html", {"message": lockout_message()}, status=429)


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
