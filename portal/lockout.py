"""The sign-in lockout for the portal's SMS flows (django-axes, as for staff): wrong codes, and a
wrong name / ID number on binding a device or a new phone, count as failed sign-ins by the phone
number (as `portal:<phone>`) and by the client address (AXES_LOCKOUT_PARAMETERS). Past
AXES_FAILURE_LIMIT the number, or the address, is locked out for AXES_COOLOFF_TIME with the
Chinese lockout page (429); the city admin unlocks by deleting the attempts in the admin
(访问尝试), as for staff. A refused rate limit or a code asked too soon is not a failed try."""

from axes.handlers.proxy import AxesProxyHandler

from members.signin import lockout_response

__all__ = ["credentials", "failed", "is_locked", "lockout_response"]


def credentials(phone: str) -> dict[str, str]:
    """What axes counts against: the number, prefixed so it never meets a staff username."""
    return {"username": f"portal:{phone}"}


def is_locked(request, phone: str) -> bool:
    return AxesProxyHandler.is_locked(request, credentials(phone))


def failed(request, phone: str, *, sender) -> None:
    """Count one failed try for the number and the address."""
    AxesProxyHandler.user_login_failed(
        sender=sender, credentials=credentials(phone), request=request
    )
