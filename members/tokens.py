"""API tokens: issue, authenticate, revoke (in place of DRF's authtoken, whose keys never expire and
sit in the database in plain text).

A key is 32 random bytes (base64url); the database keeps only its SHA-256. A slow hash would buy
nothing: the key is random, not a password, so there is nothing to guess from the digest.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from members.models import AccessToken

# Writing last_used_at on every request would turn each read into a write; a minute is as fine a
# grain as anyone reading the column needs.
LAST_USED_GRAIN = timedelta(minutes=1)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(
    *, user=None, member_id_hash: str | None = None, lifetime: timedelta | None = None
) -> tuple[AccessToken, str]:
    """A new token for a staff user or a member person; returns (token, key). The key is not kept:
    give it to the caller now, it cannot be shown again."""
    if (user is None) == (member_id_hash is None):
        raise ValueError("a token belongs to exactly one of a user or a member")
    if lifetime is None:
        hours = (
            settings.STAFF_TOKEN_TTL_HOURS if user is not None else settings.MEMBER_TOKEN_TTL_HOURS
        )
        lifetime = timedelta(hours=hours)
    key = secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        kind=AccessToken.Kind.STAFF if user is not None else AccessToken.Kind.MEMBER,
        digest=_digest(key),
        prefix=key[:8],
        user=user,
        member_id_hash=member_id_hash,
        expires_at=timezone.now() + lifetime,
    )
    return token, key


def token_revoke(*, token: AccessToken) -> None:
    AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def token_revoke_all(*, user) -> int:
    """Revoke every live token of a user (a password change, a staff member leaving)."""
    return AccessToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def token_find_live(key: str) -> AccessToken | None:
    """The token this key opens, if it is neither expired nor revoked; notes its use."""
    now = timezone.now()
    token = (
        # the user's scope with it: every staff request reads it (members/backends.py)
        AccessToken.objects.select_related("user__staff_profile__union")
        .filter(digest=_digest(key), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRAIN:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


class AccessTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <key>` (DRF's header, so clients keep working) or `Bearer <key>`."""

    keywords = (b"token", b"bearer")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确。"))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确。")) from None
        token = token_find_live(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效、已过期或已吊销，请重新登录。"))
        if token.user is None:
            # A member's token: the member API reads request.auth; no staff user is signed in.
            return AnonymousUser(), token
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("账号已停用。"))
        return token.user, token

    def authenticate_header(self, request):
        return "Token"
