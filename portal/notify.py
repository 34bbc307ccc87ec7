"""Telling a member when something of theirs moves (a claim, a join application, a transfer, a
concern): one SMS through portal.sms with a link to the page, and a copy the member can read again
at /portal/messages/.

Services of every app state the change through the port `common.notices.notify(Notice(...))`;
`receive` below is the portal's receiver, registered in PortalConfig.ready (explicit, no
signals; the why is in common/notices.py). It turns what moved into a link to the portal page.
The message goes out on commit, so a rolled-back change never sends one, and a provider failure
never undoes the change (the notice is kept, marked as not delivered)."""

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from common.notices import Notice
from portal.models import MemberNotice
from portal.sms import SmsError, sms_send

logger = logging.getLogger("portal.notify")


def absolute_url(path: str) -> str:
    """The link in an SMS must be absolute: PORTAL_BASE_URL (the public address) + the path."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return getattr(settings, "PORTAL_BASE_URL", "").rstrip("/") + path


def _deliver(notice_id: int) -> None:
    notice = MemberNotice.objects.get(pk=notice_id)
    body = notice.body
    if notice.url:
        body = f"{body} {absolute_url(notice.url)}"
    try:
        sms_send(phone=notice.phone, body=body[:500])
    except SmsError:
        logger.warning("notice %s to %s not delivered", notice.pk, notice.phone)
        return
    MemberNotice.objects.filter(pk=notice.pk).update(delivered=True)


def person_notify(*, person_hash: str, phone: str, text: str, url: str = "") -> MemberNotice | None:
    """Keep the notice now (in the caller's transaction) and send it once that commits."""
    if not phone:
        return None
    notice = MemberNotice.objects.create(
        person_hash=person_hash, phone=phone, body=f"【湖州工会】{text}"[:500], url=url[:300]
    )
    transaction.on_commit(lambda: _deliver(notice.pk))
    return notice


def _page(notice: Notice) -> str:
    """The portal page a notice links to: the record itself where the portal shows one."""
    about, pk = notice.about, notice.record_id
    if about == "claim" and pk:
        return reverse("portal:my-claim", args=[pk])
    if about == "concern" and pk:
        return reverse("portal:my-concern", args=[pk])
    return reverse(
        {
            "transfer": "portal:transfer",
            "hardship": "portal:hardship",
            "join": "portal:join",
            "membership": "portal:card",
            "correction": "portal:my-data",
        }.get(about, "portal:home")
    )


def receive(notice: Notice) -> MemberNotice | None:
    """The portal's receiver on the common.notices port."""
    return person_notify(
        person_hash=notice.person_hash, phone=notice.phone, text=notice.text, url=_page(notice)
    )
