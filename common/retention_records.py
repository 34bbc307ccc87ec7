"""The retention task's steps for records beyond the registry (see `common.retention`'s docstring
and the README's retention table): receipts of claims not paid, concerns, hardship cases, bank
cards and expired sessions. Each step writes inside the run's transaction and counts into its
report; none of them deletes a row that a figure counts."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.db.models import Case, CharField, FileField, Model, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from common.retention import (
    CONCERN_YEARS,
    DEIDENTIFIED_NAME,
    DEIDENTIFIED_TEXT,
    TOKEN_PREFIX,
    VOUCHER_YEARS,
    RetentionReport,
    start_of,
    years_before,
)

log = logging.getLogger("common.retention")


def _emptied(name: str) -> Case:
    """An empty text stays empty; any other becomes DEIDENTIFIED_TEXT (so a reader sees that
    something was there, and a second run can tell it is done)."""
    return Case(
        When(**{name: ""}, then=Value("")),
        default=Value(DEIDENTIFIED_TEXT),
        output_field=CharField(),
    )


def _has_text(*names: str) -> Q:
    """Rows where one of these texts still holds something personal."""
    q = Q()
    for name in names:
        q |= Q(**{f"{name}__gt": ""}) & ~Q(**{name: DEIDENTIFIED_TEXT})
    return q


def _with_history(model: type[Model], ids: list[int], **values) -> int:
    """Write `values` to the rows `ids` and, where the model keeps simple-history rows, to those
    too (they hold the same texts). Returns the rows written (not counting history)."""
    written = model._default_manager.filter(pk__in=ids).update(**values)
    history = getattr(model, "history", None)
    if history is not None:
        history.model.objects.filter(id__in=ids).update(**values)
    return written


# --- receipts of claims not paid ----------------------------------------------------------------


def receipts(report: RetentionReport, *, dry_run: bool) -> None:
    """The uploaded files of the claims `_unpaid_claims` de-identified (in this run or an earlier
    one): the row keeps its type, size and digest, loses the file and the name it was sent
    under. The file goes from the storage after the commit: a rollback must find it there."""
    from welfare.models import Claim, ClaimReceipt

    rows = ClaimReceipt.objects.filter(
        claim__state__in=(Claim.State.REJECTED, Claim.State.WITHDRAWN),
        claim__hospital=DEIDENTIFIED_TEXT,
    ).exclude(file="")
    names = list(rows.values_list("file", flat=True))
    if not names:
        return
    report.receipt_files = rows.update(file="", original_name=DEIDENTIFIED_TEXT)
    if not dry_run:
        field = ClaimReceipt._meta.get_field("file")
        assert isinstance(field, FileField)
        transaction.on_commit(partial(_delete_files, field.storage, names))


def _delete_files(storage, names: Iterable[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            # The row no longer names the file; an operator removes a leftover by hand (the path
            # holds the claim's id and the file's digest, nothing personal).
            log.exception("retention: could not delete receipt file %s", name)


# --- concerns (职工心声) -------------------------------------------------------------------------


def concerns(report: RetentionReport, today: dt.date) -> None:
    from welfare.models import Concern

    before = start_of(years_before(today, CONCERN_YEARS))
    of_nobody = Q(member__isnull=True, answered_at__lt=before)
    rows = Concern.objects.filter(Q(member__deidentified_on__isnull=False) | of_nobody).exclude(
        body=DEIDENTIFIED_TEXT
    )
    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        return
    report.concerns = _with_history(
        Concern,
        ids,
        raised_by_name=DEIDENTIFIED_NAME,
        contact="",
        subject=DEIDENTIFIED_TEXT,
        body=DEIDENTIFIED_TEXT,
        answer=_emptied("answer"),
    )


# --- hardship cases (困难帮扶) -------------------------------------------------------------------


def hardship_cases(report: RetentionReport, today: dt.date) -> None:
    from welfare.models import HardshipCase

    since = years_before(today, VOUCHER_YEARS)
    texts = ("application", "assessment", "refusal_reason")
    rows = (
        HardshipCase.objects.filter(member__deidentified_on__isnull=False)
        .filter(_has_text(*texts))
        .exclude(aid_amount__gt=0, aid_paid_on__gte=since)  # a voucher: a later run
    )
    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        return
    report.hardship_cases = _with_history(
        HardshipCase, ids, **{name: _emptied(name) for name in texts}
    )


# --- bank cards ---------------------------------------------------------------------------------


def bank_cards(report: RetentionReport, today: dt.date) -> None:
    """Cards of de-identified persons (`_members` keyed them by the person's token) that still
    hold a name or a number, unless money paid to them within VOUCHER_YEARS makes them part of a
    voucher: the name and the number go, the bank stays; a card still current is retired."""
    from welfare.models import BankCard, HardshipCase, Payout

    since = years_before(today, VOUCHER_YEARS)
    ids = list(
        BankCard.objects.filter(person_hash__startswith=TOKEN_PREFIX)
        .exclude(card_number_encrypted="")
        .values_list("pk", flat=True)
    )
    if not ids:
        return
    paid = Payout.objects.filter(claim__bank_card_id__in=ids, paid_on__gte=since)
    aided = HardshipCase.objects.filter(
        bank_card_id__in=ids, aid_amount__gt=0, aid_paid_on__gte=since
    )
    keep = set(paid.values_list("claim__bank_card_id", flat=True)) | set(
        aided.values_list("bank_card_id", flat=True)
    )
    report.bank_cards_kept_for_vouchers = len(keep)
    release = sorted(set(ids) - keep)
    if not release:
        return
    report.bank_cards = _with_history(
        BankCard,
        release,
        holder_name=DEIDENTIFIED_NAME,
        card_number_encrypted="",
        card_number_masked="",
        replaced_at=Coalesce("replaced_at", Value(timezone.now())),
    )


# --- sessions -----------------------------------------------------------------------------------


def expired_sessions(report: RetentionReport, today: dt.date) -> None:
    """Staff sessions past their expiry (Django never removes them by itself): the row holds who
    was signed in; it lets nobody in any more."""
    from django.contrib.sessions.models import Session

    report.sessions, _ = Session.objects.filter(expire_date__lt=start_of(today)).delete()
