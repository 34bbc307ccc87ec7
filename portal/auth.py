"""Who is signed in to the portal on this device. A member's sign-in is a device cookie (a random
key; the server keeps its SHA-256 and the date the sign-in ends), not the staff session: staff
sessions end after two idle hours, a worker's phone stays signed in for 30 days."""

from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from members.actors import MemberActor
from members.models import Member
from portal import services
from portal.models import PortalAccount

DEVICE_COOKIE_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie


@dataclass(frozen=True)
class PortalUser:
    account: PortalAccount
    member: Member | None  # None: signed in, but no active membership now

    @property
    def actor(self) -> MemberActor:
        assert self.member is not None
        return MemberActor(self.member)


def device_key(request) -> str:
    return request.COOKIES.get(settings.PORTAL_DEVICE_COOKIE, "")


def portal_user(request) -> PortalUser | None:
    if not hasattr(request, "_portal_user"):
        device = services.device_signed_in(device_key=device_key(request))
        request._portal_user = (
            PortalUser(account=device.account, member=device.account.active_member())
            if device
            else None
        )
    return request._portal_user


def set_device_cookie(response, key: str) -> None:
    response.set_cookie(
        settings.PORTAL_DEVICE_COOKIE,
        key,
        max_age=DEVICE_COOKIE_AGE,
        path="/portal/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def safe_next(request, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse("portal:home")


def sign_in_url(next_url: str) -> str:
    return f"{reverse('portal:sign-in')}?{urlencode({'next': next_url})}"


def member_required(view):
    """Signed in and an active member; otherwise to the sign-in page, coming back here after."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = portal_user(request)
        if user is None:
            return redirect(sign_in_url(request.get_full_path()))
        if user.member is None:
            return render(request, "portal/no_membership.html", status=403)
        request.member = user.member
        return view(request, *args, **kwargs)

    return wrapped
