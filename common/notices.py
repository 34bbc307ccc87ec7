"""Telling a person that something of theirs moved (a claim decided or paid, a transfer decided,
a join or hardship application decided, a concern answered): a small port every app may call, into which the
member portal plugs its SMS delivery at start-up (`portal.apps.PortalConfig.ready`).

Why a port and not "the caller notifies": a claim is paid by a clerk's button, the API and a
payout batch, a transfer is decided in the admin and the API. The notice belongs to the state
change, so the service that makes the change states it, once, and every path keeps it (as every
path keeps the service's rules). Why not Django signals: the call is explicit and greppable
(`notices.notify(`), it carries the text the service chose, and there is exactly one receiver.
And welfare or members never import the portal: they know nothing of SMS or of portal URLs, only
what happened (`about` + `record_id`); the portal turns that into a link to its page.

A notice's text never carries an ID number (it goes out by SMS); the person is named to the
receiver by the keyed hash of their ID number and the phone to tell."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

logger = logging.getLogger("common.notices")


@dataclass(frozen=True)
class Notice:
    person_hash: str  # Member.id_number_hash: the person, across memberships
    phone: str  # where to tell them (the record's phone at the time)
    text: str  # plain Chinese, no ID number, no other person's data
    about: str  # what moved: one of ABOUT
    record_id: int | None = None  # the claim, concern, transfer... (for the link)


ABOUT = {
    "claim",
    "hardship",
    "concern",
    "transfer",
    "join",
    "membership",
    "correction",
    "account",
}


class Person(Protocol):
    """What a notice needs of a membership row (members.models.Member has it)."""

    id_number_hash: str
    phone: str


Receiver = Callable[[Notice], object]
_receivers: list[Receiver] = []


def register(receiver: Receiver) -> None:
    """Plug a receiver in (the portal does, in its AppConfig.ready). Idempotent."""
    if receiver not in _receivers:
        _receivers.append(receiver)


def notify(notice: Notice) -> None:
    """Hand the notice to the receivers, in the caller's transaction (the portal keeps a copy now
    and sends the SMS only after commit, so a rolled-back change tells nobody)."""
    if notice.about not in ABOUT:
        raise ValueError(f"unknown notice kind {notice.about!r}")
    if not notice.phone:
        return
    if not _receivers:
        logger.info("notice about %s %s: no receiver installed", notice.about, notice.record_id)
    for receiver in _receivers:
        receiver(notice)


def tell(person: Person, text: str, *, about: str, record_id: int | None = None) -> None:
    """Tell the person of this membership row, at the phone on the record, that `text`."""
    notify(
        Notice(
            person_hash=person.id_number_hash,
            phone=person.phone or "",
            text=text,
            about=about,
            record_id=record_id,
        )
    )
