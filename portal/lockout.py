"""The sign-in lockout for the portal's SMS flows: wrong codes, and a wrong name / ID number on
binding a device or a new phone, are failed sign-ins. A refused rate limit or a code asked too
soon is not a failed try.

Counted three ways, because many phones share one public address: a carrier's NAT (and the
federation's WeChat / 浙里办 servers, for the member API) put thousands of workers behind one
address, so five failures by address would lock out a whole carrier.
- by phone number (django-axes, as `portal:<phone>`, AXES_LOCKOUT_PARAMETERS = `lockout_parameters`
  below): past AXES_FAILURE_LIMIT the number is locked for AXES_COOLOFF_TIME. This is what stops
  guessing a code, which is sent to one number; the city admin unlocks a number by deleting its
  attempts in the admin (访问尝试), as for staff.
- by device (the portal's device cookie, else the browser session; the API's `device_key`):
  failures on AXES_FAILURE_LIMIT different numbers within AXES_COOLOFF_TIME lock the device, so
  one phone cannot try number after number.
- by address: a ceiling far above any honest crowd (PORTAL_ADDRESS_FAILURE_LIMIT an hour) against
  a script that throws away its cookies. A fixed window, not axes: axes's cool-off only ends after
  a quiet spell, and a carrier's address is never quiet, so its count would only ever grow.
Staff sign-ins keep axes's count by account and by address (members.signin)."""

import datetime as dt
import hashlib

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.utils import timezone

from members import signin
from members.signin import client_ip
from portal.auth import device_key
from portal.models import RateHit
from portal.services import count_hit, window_start

__all__ = [
    "credentials",
    "device_counter",
    "failed",
    "is_locked",
    "locked_for",
    "lockout_parameters",
    "lockout_response",
]

PREFIX = "portal:"
ADDRESS_WINDOW = dt.timedelta(hours=1)
STAFF_PARAMETERS = ["username", "ip_address"]


def credentials(phone: str) -> dict[str, str]:
    """What axes counts against: the number, prefixed so it never meets a staff username (a
    Django username cannot hold a colon)."""
    return {"username": f"{PREFIX}{phone}"}


def lockout_parameters(request, credentials: dict | None = None) -> list:
    """AXES_LOCKOUT_PARAMETERS: a portal number by itself (its address is counted here, with its
    own ceiling); staff by account and by address."""
    username = (credentials or {}).get("username") or getattr(request, "username", "") or ""
    return ["username"] if str(username).startswith(PREFIX) else STAFF_PARAMETERS


def device_counter(request, device: str | None) -> str:
    """The counter key of the device: the API client's `device_key` if it sent one (an API
    client keeps no cookies, so none otherwise), or in a browser its device cookie, else its
    session. Every step that can fail (a code, a name) follows one that saved the phone number
    in the session, so a browser that gets that far has one; a script that drops its cookies
    meets the address ceiling instead."""
    key = device
    if key is None:
        key = device_key(request)
        session = getattr(request, "session", None)
        if not key and session is not None and session.session_key:
            key = f"session:{session.session_key}"
    if not key:
        return ""
    return "lockout-device:" + hashlib.sha256(key.encode()).hexdigest()[:40]


def _address(request) -> str:
    return f"lockout-address:{client_ip(request)}"


def number_key(phone: str) -> str:
    """A phone number as a counter's key: not the number itself."""
    return hashlib.sha256(phone.encode()).hexdigest()[:16]


def _address_failures(request, now: dt.datetime) -> int:
    hit = RateHit.objects.filter(
        key=_address(request), window_start=window_start(ADDRESS_WINDOW, now)
    ).first()
    return hit.count if hit else 0


def _device_numbers(device: str, now: dt.datetime) -> int:
    """How many numbers failed on this device in the current window: one row per number."""
    start = window_start(settings.AXES_COOLOFF_TIME, now)
    return RateHit.objects.filter(key__startswith=f"{device}:", window_start=start).count()


def _until_window_ends(window: dt.timedelta, now: dt.datetime) -> dt.timedelta:
    return window_start(window, now) + window - now


def locked_for(request, phone: str, *, device: str | None = None) -> dt.timedelta | None:
    """How long this number, this device or this address may not try again (the longest of
    the locks that hold), or None when none does. `device`: the member API's device key ("" for
    none); None in a browser (its cookie or session)."""
    if not settings.AXES_ENABLED:
        return None
    now = timezone.now()
    waits = []
    if AxesProxyHandler.is_locked(request, credentials(phone)):
        # axes forgets a number's failures a cool-off after each one: at most that long.
        waits.append(settings.AXES_COOLOFF_TIME)
    if _address_failures(request, now) >= settings.PORTAL_ADDRESS_FAILURE_LIMIT:
        waits.append(_until_window_ends(ADDRESS_WINDOW, now))
    counter = device_counter(request, device)
    if counter and _device_numbers(counter, now) >= settings.AXES_FAILURE_LIMIT:
        waits.append(_until_window_ends(settings.AXES_COOLOFF_TIME, now))
    return max(waits) if waits else None


def is_locked(request, phone: str, *, device: str | None = None) -> bool:
    """Whether this number, this device or this address may not try again now."""
    return locked_for(request, phone, device=device) is not None


def lockout_response(request, *, wait: dt.timedelta | None = None):
    """The 429 answer, saying how long the lock that holds really lasts (`wait`, from
    `locked_for`): an address's ceiling is an hour's window, not the number's cool-off."""
    return signin.lockout_response(request, wait=wait)


def failed(request, phone: str, *, sender, device: str | None = None) -> None:
    """Count one failed try for the number (axes), the address, and the device: the device by
    the numbers that failed on it, since failures on one number are that number's to count (and
    the city admin's unlock of the number must free the worker's own phone too)."""
    if not settings.AXES_ENABLED:
        return
    AxesProxyHandler.user_login_failed(
        sender=sender, credentials=credentials(phone), request=request
    )
    now = timezone.now()
    count_hit(key=_address(request), window=ADDRESS_WINDOW, now=now)
    counter = device_counter(request, device)
    if counter:
        count_hit(key=f"{counter}:{number_key(phone)}", window=settings.AXES_COOLOFF_TIME, now=now)
