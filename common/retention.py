"""Retention (PIPL art. 47, issue 16): personal data past its time is de-identified, not deleted,
so the figures of past years and their drill-downs still add up. The periods are the README's
retention table; `deidentify_expired` applies them, from the nightly beat entry or the command.

What it does, per kind (and to the simple-history copies of each, which keep the same fields):

- **a member who left** more than MEMBER_YEARS ago, as a person: only when every membership of the
  person (one ID number) has ended that long ago, so a person is never half de-identified. The
  name becomes 已注销会员, the phone, the ID ciphertext and the masked number are emptied, the birth
  date keeps its year only (1 January), and the ID hash is replaced by a token that is the same for
  all of the person's memberships and leads back to no ID number (a keyed hash under a key made
  for the run and then thrown away): the figures that count persons count them as before. Union,
  enterprise, dates, gender, employment form (now and at joining) and status stay: they are what
  the figures count. A member paid mutual aid within VOUCHER_YEARS keeps the name while the
  payout is an accounting voucher (会计档案管理办法); a later run empties it once the voucher
  period is over.
- **the full-ID reveal log**: an entry older than REVEAL_LOG_YEARS loses whose number was shown;
  who looked, when and how stay.
- **the import audit** (`ImportBatchChange`, each updated row's name and masked number with its
  fields before → after) older than IMPORT_AUDIT_YEARS: the row's record and changes are emptied;
  the batch (who, when, which file by its digest, the counts) stays.
- **claims not paid** (rejected, withdrawn) closed more than UNPAID_CLAIM_YEARS ago: the hospital,
  the diagnosis, the rejection reason and the notes of their events are emptied; the dates, the
  amounts and the state stay. Their **receipts** (uploaded files) lose the file and its original
  name; the file leaves the storage only once the transaction has committed, so a run rolled
  back (or a dry run) loses no file. Paid claims, their payouts and their receipts are
  accounting vouchers and are not touched.
- **concerns** (职工心声) of a de-identified member, and those of nobody in the register
  answered more than CONCERN_YEARS ago: who raised it, the contact, the subject, the text and the
  answer are emptied; union, channel, dates and state stay.
- **hardship cases** (困难帮扶) of a de-identified member: the application, the assessment and
  the refusal reason are emptied; category, state, dates, amount and fund stay. A case whose aid
  was paid within VOUCHER_YEARS is a voucher like a payout and waits (as does the member's
  name): a later run empties it.
- **bank cards**: a de-identified person's cards are keyed by the person's token (as their
  membership rows), and the holder's name and the number (cipher and mask) are emptied, unless a
  mutual-aid payout or hardship aid paid to the card lies within VOUCHER_YEARS: then a later run
  empties it.
- **whatever else names the person by the old hash**: their member tokens are re-keyed to the
  token (and revoked), and every app that keys rows by the hash registered a **person hook**
  (`register_person_hook`: the portal's accounts, devices, notices, consents, copies of the
  person's data and join applications, `portal/retention.py`), called with each batch's
  old hash → token in the same transaction, before the salt is thrown away; no row keeps a hash
  that the hash key leads back to an ID number from.
- **expired staff sessions** are deleted, and every **sweep** an app registered
  (`register_sweep`, from its AppConfig.ready: the portal's SMS codes, outbox, devices and rate
  counters, `portal/retention.py`) runs in the same transaction and is counted in the same
  report; common never imports the apps that plug in.

Helpers for the records beyond the registry are in `common/retention_records.py`.

One transaction: a run writes all of it or nothing. A dry run counts and writes nothing. A run
repeated finds nothing more to do."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, CharField, Count, F, Max, Q, Value, When
from django.db.models.functions import Coalesce, TruncYear
from django.utils import timezone

log = logging.getLogger(__name__)

MEMBER_YEARS = 3
REVEAL_LOG_YEARS = 3
IMPORT_AUDIT_YEARS = 3
UNPAID_CLAIM_YEARS = 3
CONCERN_YEARS = 3
VOUCHER_YEARS = 30

DEIDENTIFIED_NAME = "已注销会员"
DEIDENTIFIED_TEXT = "已去标识化"
TOKEN_PREFIX = "deid:"
BATCH = 2000


@dataclass
class RetentionReport:
    dry_run: bool
    today: dt.date
    persons: int = 0
    members: int = 0
    member_history_rows: int = 0
    names_kept_for_vouchers: int = 0
    names_released: int = 0
    reveal_log_entries: int = 0
    import_change_rows: int = 0
    claims: int = 0
    claim_history_rows: int = 0
    claim_event_notes: int = 0
    receipt_files: int = 0
    concerns: int = 0
    hardship_cases: int = 0
    bank_cards: int = 0
    bank_cards_kept_for_vouchers: int = 0
    sessions: int = 0
    # What the registered sweeps did, by their own (Chinese) label.
    swept: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return any(
            (
                self.members,
                self.names_released,
                self.reveal_log_entries,
                self.import_change_rows,
                self.claims,
                self.receipt_files,
                self.concerns,
                self.hardship_cases,
                self.bank_cards,
                self.sessions,
                *self.swept.values(),
            )
        )

    def summary(self) -> str:
        prefix = "（试运行，未写入）" if self.dry_run else ""
        return prefix + (
            f"截至{self.today}：去标识化离会满{MEMBER_YEARS}年的会员{self.persons}人"
            f"（会籍记录{self.members}条、历史记录{self.member_history_rows}条，"
            f"其中{self.names_kept_for_vouchers}条因互助金发放凭证未满{VOUCHER_YEARS}年暂留姓名）；"
            f"凭证期满释放姓名{self.names_released}条；"
            f"身份证号查看记录满{REVEAL_LOG_YEARS}年{self.reveal_log_entries}条；"
            f"导入变更明细满{IMPORT_AUDIT_YEARS}年{self.import_change_rows}条；"
            f"未发放且办结满{UNPAID_CLAIM_YEARS}年的互助申请{self.claims}件"
            f"（历史记录{self.claim_history_rows}条、办理记录说明{self.claim_event_notes}条，"
            f"票据文件{self.receipt_files}份）；"
            f"职工心声{self.concerns}件；困难帮扶{self.hardship_cases}件；"
            f"收款银行卡{self.bank_cards}张"
            f"（{self.bank_cards_kept_for_vouchers}张因发放凭证未满{VOUCHER_YEARS}年暂留）；"
            f"过期登录会话{self.sessions}个"
            + "".join(f"；{label}{n}条" for label, n in self.swept.items())
            + "。"
        )


Sweep = Callable[[dt.date], dict[str, int]]
_sweeps: list[Sweep] = []


def register_sweep(sweep: Sweep) -> None:
    """Plug in an app's own retention sweep (from its AppConfig.ready; idempotent). It is called
    with the run's `today` inside the run's transaction (so a dry run rolls it back too) and
    returns what it did as {Chinese label with its period: rows}, for the report."""
    if sweep not in _sweeps:
        _sweeps.append(sweep)


PersonHook = Callable[[dict[str, str], dt.date], dict[str, int]]
_person_hooks: list[PersonHook] = []


def register_person_hook(hook: PersonHook) -> None:
    """Plug in an app's rows keyed by a person's ID hash (from its AppConfig.ready; idempotent).
    `_members` calls it with {old hash: token} for each batch of persons it de-identifies, inside
    the run's transaction; it re-keys or removes the app's rows of those persons and returns what
    it did as {Chinese label: rows}, counted with the sweeps in the report."""
    if hook not in _person_hooks:
        _person_hooks.append(hook)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def deidentify_expired(*, today: dt.date | None = None, dry_run: bool = False) -> RetentionReport:
    """De-identify what the retention table says has passed its time (see the module docstring).
    `today` is the local date the periods are counted back from."""
    from common import retention_records as records

    today = today or timezone.localdate()
    report = RetentionReport(dry_run=dry_run, today=today)
    with transaction.atomic():
        _members(report, today)
        _released_names(report, today)
        _reveal_log(report, today)
        _import_changes(report, today)
        _unpaid_claims(report, today)
        records.receipts(report, dry_run=dry_run)
        records.concerns(report, today)
        records.hardship_cases(report, today)
        records.bank_cards(report, today)
        records.expired_sessions(report, today)
        for sweep in _sweeps:
            for label, rows in sweep(today).items():
                report.swept[label] = report.swept.get(label, 0) + rows
        if dry_run:
            transaction.set_rollback(True)
    log.info("retention: %s", report.summary())
    return report


# --- members -----------------------------------------------------------------------------------


def _voucher_member_ids(member_ids: list[int], today: dt.date) -> set[int]:
    """Members paid mutual aid or hardship aid within the voucher period: the payee keeps their
    name while the payment is an accounting voucher."""
    from welfare.models import HardshipCase, Payout

    since = years_before(today, VOUCHER_YEARS)
    paid = Payout.objects.filter(claim__member_id__in=member_ids, paid_on__gte=since)
    aided = HardshipCase.objects.filter(
        member_id__in=member_ids, aid_amount__gt=0, aid_paid_on__gte=since
    )
    return set(paid.values_list("claim__member_id", flat=True)) | set(
        aided.values_list("member_id", flat=True)
    )


def _token(salt: bytes, id_hash: str) -> str:
    """The replacement of an ID hash: a keyed SHA-256 under a salt made for the run and never
    stored, so it is the same for one person's memberships in the run and leads back to nothing."""
    digest = hmac.new(salt, id_hash.encode(), hashlib.sha256).hexdigest()
    return TOKEN_PREFIX + digest[: 64 - len(TOKEN_PREFIX)]


def _members(report: RetentionReport, today: dt.date) -> None:
    from members.models import AccessToken, Member
    from welfare.models import BankCard

    cutoff = years_before(today, MEMBER_YEARS)
    # Persons (an ID hash) none of whose memberships is active or ended on or after the cutoff.
    persons = (
        Member.objects.filter(deidentified_on__isnull=True)
        .values("id_number_hash")
        .annotate(
            last_left=Max("left_on"),
            active=Count("pk", filter=Q(status=Member.Status.ACTIVE) | Q(left_on__isnull=True)),
        )
        .filter(active=0, last_left__lt=cutoff)
        .values_list("id_number_hash", flat=True)
        .order_by("id_number_hash")
    )
    salt = secrets.token_bytes(32)
    hashes = list(persons)
    report.persons = len(hashes)
    for start in range(0, len(hashes), BATCH):
        batch = hashes[start : start + BATCH]
        rows = Member.objects.filter(id_number_hash__in=batch, deidentified_on__isnull=True)
        ids = list(rows.values_list("pk", flat=True))
        keep_names = _voucher_member_ids(ids, today)
        report.names_kept_for_vouchers += len(keep_names)
        report.member_history_rows += _deidentify_member_history(ids, keep_names)
        tokens = {h: _token(salt, h) for h in batch}
        token_of = {h: Value(t) for h, t in tokens.items()}
        # The person's bank cards follow the person to the token (retention_records.bank_cards
        # then empties those no voucher needs): a card keyed by the old hash would lead back.
        BankCard.objects.filter(person_hash__in=batch).update(
            person_hash=Case(
                *[When(person_hash=h, then=t) for h, t in token_of.items()],
                output_field=CharField(),
            )
        )
        # So do their member tokens (long expired: a person who left years ago signs in no more).
        AccessToken.objects.filter(member_id_hash__in=batch).update(
            member_id_hash=Case(
                *[When(member_id_hash=h, then=t) for h, t in token_of.items()],
                output_field=CharField(),
            ),
            revoked_at=Coalesce("revoked_at", Value(timezone.now())),
        )
        for hook in _person_hooks:
            for label, n in hook(tokens, today).items():
                report.swept[label] = report.swept.get(label, 0) + n
        report.members += rows.update(
            name=Case(
                When(pk__in=keep_names, then=F("name")),
                default=Value(DEIDENTIFIED_NAME),
                output_field=CharField(),
            ),
            phone="",
            id_number_encrypted="",
            id_number_masked="",
            birth_date=TruncYear("birth_date"),
            id_number_hash=Case(
                *[When(id_number_hash=h, then=t) for h, t in token_of.items()],
                output_field=CharField(),
            ),
            deidentified_on=today,
        )


def _deidentify_member_history(ids: list[int], keep_names: set[int]) -> int:
    from members.models import Member

    history = Member.history.model.objects.filter(id__in=ids)
    return history.update(
        name=Case(
            When(id__in=keep_names, then=F("name")),
            default=Value(DEIDENTIFIED_NAME),
            output_field=CharField(),
        ),
        phone="",
        id_number_masked="",
        birth_date=TruncYear("birth_date"),
    )


def _released_names(report: RetentionReport, today: dt.date) -> None:
    """Names kept for a voucher whose period is now over."""
    from members.models import Member

    kept = Member.objects.filter(deidentified_on__isnull=False).exclude(name=DEIDENTIFIED_NAME)
    ids = list(kept.values_list("pk", flat=True))
    release = sorted(set(ids) - _voucher_member_ids(ids, today))
    if not release:
        return
    report.names_released = Member.objects.filter(pk__in=release).update(name=DEIDENTIFIED_NAME)
    Member.history.model.objects.filter(id__in=release).update(name=DEIDENTIFIED_NAME)


# --- the reveal log --------------------------------------------------------------------------------


def _reveal_log(report: RetentionReport, today: dt.date) -> None:
    from members.models import IdNumberAccess

    before = start_of(years_before(today, REVEAL_LOG_YEARS))
    report.reveal_log_entries = IdNumberAccess.objects.filter(
        accessed_at__lt=before, member__isnull=False
    ).update(member=None)


# --- the import audit ---------------------------------------------------------------------------


def _import_changes(report: RetentionReport, today: dt.date) -> None:
    from common.models import ImportBatchChange

    before = start_of(years_before(today, IMPORT_AUDIT_YEARS))
    report.import_change_rows = (
        ImportBatchChange.objects.filter(batch__started_at__lt=before)
        .exclude(record=DEIDENTIFIED_TEXT)
        .update(record=DEIDENTIFIED_TEXT, changes=[])
    )


# --- claims not paid ---------------------------------------------------------------------------------


def _unpaid_claims(report: RetentionReport, today: dt.date) -> None:
    from welfare.models import Claim, ClaimEvent

    before = start_of(years_before(today, UNPAID_CLAIM_YEARS))
    closed = Claim.State.REJECTED, Claim.State.WITHDRAWN
    # When it closed: the decision (a rejection), else the last event (a withdrawal).
    last_event = ClaimEvent.objects.values("claim_id").annotate(last=Max("at"))
    ended = {row["claim_id"]: row["last"] for row in last_event.filter(claim__state__in=closed)}
    candidates = Claim.objects.filter(state__in=closed).exclude(hospital=DEIDENTIFIED_TEXT)
    ids = [
        pk
        for pk, decided, submitted in candidates.values_list("pk", "decided_at", "submitted_at")
        if (decided or ended.get(pk) or submitted) < before
    ]
    if not ids:
        return
    reason = Case(
        When(rejection_reason="", then=Value("")),
        default=Value(DEIDENTIFIED_TEXT),
        output_field=CharField(),
    )
    report.claims = Claim.objects.filter(pk__in=ids).update(
        hospital=DEIDENTIFIED_TEXT, diagnosis="", rejection_reason=reason
    )
    report.claim_history_rows = Claim.history.model.objects.filter(id__in=ids).update(
        hospital=DEIDENTIFIED_TEXT, diagnosis="", rejection_reason=reason
    )
    report.claim_event_notes = (
        ClaimEvent.objects.filter(claim_id__in=ids).exclude(note="").update(note="")
    )
