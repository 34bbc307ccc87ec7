"""How often the portal's SMS flows may be used: sending a code, entering it (sign-in, joining,
a new phone), and applying to join. Counted the way the lockout counts (portal/lockout.py),
because a carrier's NAT puts thousands of phones behind one public address:
- by phone number: the code's own rules (common/sms_codes.py: one per 60 s, 10 a day) and, for
  the other steps, a small count per number;
- by device (the portal's device cookie, else the browser session; the API's `device_key`): what
  stops one phone going through number after number;
- by address: only a ceiling far above an honest carrier crowd (PORTAL_ADDRESS_*_LIMIT), against
  a script that throws away its cookies.
A refusal is a ValidationError with code "rate_limited" and is not a failed sign-in."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from members.signin import client_ip
from portal import lockout, services


@dataclass(frozen=True)
class Limit:
    window: dt.timedelta
    per_number: int | None  # None: the number's limit is elsewhere (the code's own rules)
    per_device: int
    address_setting: str  # the settings name of the per-address ceiling


SMS_SEND = "sms-send"
SIGN_IN = "sign-in"
JOIN_APPLY = "join-apply"

LIMITS = {
    # A worker asks one code, maybe a second; 10 in an hour is a phone working through numbers.
    SMS_SEND: Limit(dt.timedelta(hours=1), None, 10, "PORTAL_ADDRESS_SMS_LIMIT"),
    # Entering a code or the name + ID check: a handful per sign-in, wrong answers also lock out.
    SIGN_IN: Limit(dt.timedelta(minutes=10), 10, 30, "PORTAL_ADDRESS_SIGN_IN_LIMIT"),
    # One application per person; a few more for a refused one resubmitted, or a family phone.
    JOIN_APPLY: Limit(dt.timedelta(days=1), 3, 5, "PORTAL_ADDRESS_JOIN_LIMIT"),
}


def hit(request, action: str, *, phone: str = "", device: str | None = None) -> None:
    """Count one use of `action` by this address, device and number; raise ValidationError
    ("rate_limited") past any of their limits. `device`: the member API's device key ("" for
    none); None in a browser (its cookie or session)."""
    limit = LIMITS[action]
    services.rate_limit(
        key=f"{action}:address:{client_ip(request)}",
        limit=getattr(settings, limit.address_setting),
        window=limit.window,
    )
    session = getattr(request, "session", None)
    if device is None and session is not None and not session.session_key:
        # A browser's first request has no session yet: give it one now, so its first code
        # counts against its device like the rest (a script that drops it meets the ceiling).
        session.save()
    counter = lockout.device_counter(request, device)
    if counter:
        services.rate_limit(key=f"{action}:{counter}", limit=limit.per_device, window=limit.window)
    if phone and limit.per_number is not None:
        services.rate_limit(
            key=f"{action}:number:{lockout.number_key(phone)}",
            limit=limit.per_number,
            window=limit.window,
        )
