"""A fresh SMS code before a sensitive step (step-up): the personal-data download, the bank card
page, the claim application, and a hardship application that registers a bank card. Being signed in on a phone for 30 days is not enough to read or
send what a lost phone would give away; a code sent to the member's registered number, entered in
the last few minutes in this browser, is.

Pages: `fresh_code_required(minutes=10)` as a decorator under `member_required`, or
`require_fresh_code(request, minutes=10)` inside a view (returns a redirect to the confirm page,
or None when a fresh code was entered). A form posted back is given longer (SUBMIT_GRACE): the
code opened the form, and a worker photographing receipts should not lose them to the clock.
The API asks for the code in the same request (`step_up_check`): a missing code is a 403."""

import datetime as dt
from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from members.models import Member
from portal import services
from portal.models import SmsCode

SESSION_KEY = "portal_step_up"
FRESH_FOR = dt.timedelta(minutes=10)
SUBMIT_GRACE = 30  # minutes a form opened under a fresh code may still be sent


def step_up_send(*, member: Member) -> SmsCode:
    """Send a code to the member's registered phone (the 60 s and 10-a-day rules hold)."""
    return services.sms_code_send(phone=member.phone, purpose=SmsCode.Purpose.STEP_UP)


def step_up_check(*, member: Member, code: str) -> SmsCode:
    """Use the member's live step-up code (5 wrong tries void it). Raises ValidationError."""
    return services.sms_code_check(phone=member.phone, purpose=SmsCode.Purpose.STEP_UP, code=code)


def step_up_verify(request, *, member: Member, code: str) -> None:
    """Check the code and remember, in this browser's session, that this person just proved it."""
    step_up_check(member=member, code=code)
    mark_fresh(request, member=member)


def mark_fresh(request, *, member: Member, at: str = "") -> None:
    """Remember that this person entered a code sent to their registered number at `at` (ISO
    time; now if not given): the step-up's own code, or the one they just signed in with."""
    request.session[SESSION_KEY] = {
        "person": member.id_number_hash,
        "at": at or timezone.now().isoformat(),
    }


def has_fresh_code(request, *, member: Member, minutes: int = 10) -> bool:
    state = request.session.get(SESSION_KEY) or {}
    if state.get("person") != member.id_number_hash or not state.get("at"):
        return False
    age = timezone.now() - dt.datetime.fromisoformat(state["at"])
    return dt.timedelta(0) <= age < dt.timedelta(minutes=minutes)


def confirm_url(next_url: str) -> str:
    return f"{reverse('portal:confirm')}?{urlencode({'next': next_url})}"


def require_fresh_code(request, minutes: int = 10):
    """None if the signed-in member (request.member) entered a fresh code within `minutes`;
    otherwise a redirect to the confirm page, which comes back here after."""
    if request.method == "POST":
        minutes = max(minutes, SUBMIT_GRACE)
    if has_fresh_code(request, member=request.member, minutes=minutes):
        return None
    return redirect(confirm_url(request.get_full_path()))


def fresh_code_required(minutes: int = 10):
    """Decorator for a member page (put it under `member_required`)."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            refusal = require_fresh_code(request, minutes=minutes)
            if refusal is not None:
                return refusal
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
