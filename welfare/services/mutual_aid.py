"""Writes for mutual aid (职工医疗互助): plans, benefit lines, enrolments, claims and payouts."""

import datetime as dt
import hashlib
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common import notices
from common.services import model_update
from members.actors import Actor, MemberActor, SystemActor, staff_user
from members.history import acting_as, attributed
from members.models import Enterprise, Member, Union
from members.scoping import NOT_IN_SCOPE
from welfare import rules
from welfare.models import (
    BankCard,
    BenefitLine,
    Claim,
    ClaimEvent,
    ClaimReceipt,
    Enrolment,
    MutualAidPlan,
    Payout,
)
from welfare.services._common import ZERO, require_named, require_staff_write

# Receipts: what a phone camera or a hospital's e-invoice gives, nothing else.


RECEIPT_MAX_BYTES = 10 * 1024 * 1024


RECEIPT_SIGNATURES = (
    (b"%PDF-", ClaimReceipt.Kind.PDF),
    (b"\xff\xd8\xff", ClaimReceipt.Kind.JPEG),
    (b"\x89PNG\r\n\x1a\n", ClaimReceipt.Kind.PNG),
)


# --- actors --------------------------------------------------------------------------------------

StaffOrSystem = User | AnonymousUser | SystemActor


def _state_error(claim: Claim, action: str) -> ValidationError:
    return ValidationError(
        _("该申请当前状态为“%(state)s”，不能%(action)s。")
        % {"state": claim.get_state_display(), "action": action},
        code="state",
    )


# --- plans and benefit lines ---------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    union: Union,
    year: int,
    name: str,
    period_start: dt.date,
    period_end: dt.date,
    enrolment_opens: dt.date,
    enrolment_closes: dt.date,
    by: Actor,
) -> MutualAidPlan:
    require_staff_write(by, union)
    if MutualAidPlan.objects.filter(union=union, year=year).exists():
        raise ValidationError(
            {"year": _("%(u)s已有%(y)d年度的互助方案。") % {"u": union, "y": year}}
        )
    plan = MutualAidPlan(
        union=union,
        year=year,
        name=name.strip(),
        period_start=period_start,
        period_end=period_end,
        enrolment_opens=enrolment_opens,
        enrolment_closes=enrolment_closes,
    )
    _check_plan_dates(plan)
    plan.full_clean()
    plan.save()
    return plan


def _check_plan_dates(plan: MutualAidPlan) -> None:
    errors = {}
    if plan.period_end < plan.period_start:
        errors["period_end"] = _("保障期结束日期不能早于开始日期。")
    if plan.enrolment_closes < plan.enrolment_opens:
        errors["enrolment_closes"] = _("参保截止日期不能早于开始日期。")
    if plan.enrolment_closes > plan.period_end:
        errors.setdefault("enrolment_closes", _("参保截止日期不能晚于保障期结束日期。"))
    if errors:
        raise ValidationError(errors)


# What a person may change on a plan once created. The organiser and the year are its identity
# (they decide who the plan reaches); the period is fixed once a claim rests on it.
PLAN_EDITABLE = ["name", "period_start", "period_end", "enrolment_opens", "enrolment_closes"]
PLAN_FIXED_UNDER_CLAIMS = {"period_start", "period_end"}


@transaction.atomic
def plan_update(*, plan: MutualAidPlan, data: dict, by: Actor) -> MutualAidPlan:
    """Change a plan's name, period or enrolment window. A plan with claims keeps its period:
    each claim was judged against it (a stay inside the period), and moving it would leave
    granted amounts resting on dates the plan no longer covers."""
    require_staff_write(by, plan.union)
    plan = MutualAidPlan.objects.select_for_update().get(pk=plan.pk)
    moved = {
        name for name in PLAN_FIXED_UNDER_CLAIMS & set(data) if getattr(plan, name) != data[name]
    }
    if moved and Claim.objects.filter(enrolment__line__plan=plan).exists():
        raise ValidationError(
            {
                name: _("“%(p)s”已有互助申请，保障期不能再修改。") % {"p": plan}
                for name in sorted(moved)
            }
        )
    for name in PLAN_EDITABLE:
        if name in data:
            setattr(plan, name, data[name])
    _check_plan_dates(plan)
    plan.refresh_from_db(fields=PLAN_EDITABLE)
    plan, _changed = model_update(instance=plan, fields=PLAN_EDITABLE, data=data)
    return plan


@transaction.atomic
def benefit_line_create(
    *,
    plan: MutualAidPlan,
    kind: str,
    name: str,
    contribution: Decimal,
    deductible: Decimal,
    reimbursement_rate: Decimal,
    annual_cap: Decimal,
    claim_deadline: dt.date,
    by: Actor,
) -> BenefitLine:
    require_staff_write(by, plan.union)
    if plan.lines.filter(kind=kind).exists():
        raise ValidationError({"kind": _("该方案已有此互助项目。")})
    if claim_deadline < plan.period_end:
        raise ValidationError({"claim_deadline": _("申请截止日期不能早于保障期结束日期。")})
    line = BenefitLine(
        plan=plan,
        kind=kind,
        name=name.strip(),
        contribution=contribution,
        deductible=deductible,
        reimbursement_rate=reimbursement_rate,
        annual_cap=annual_cap,
        claim_deadline=claim_deadline,
    )
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def benefit_line_update(*, line: BenefitLine, data: dict, by: Actor) -> BenefitLine:
    """Change a benefit line's rules, only while no claim rests on them: amounts already granted
    were computed by the rules as they stood."""
    require_staff_write(by, line.plan.union)
    if Claim.objects.filter(enrolment__line=line).exists():
        raise ValidationError(_("“%(l)s”已有互助申请，规则不能再修改。") % {"l": line})
    if "claim_deadline" in data and data["claim_deadline"] < line.plan.period_end:
        raise ValidationError({"claim_deadline": _("申请截止日期不能早于保障期结束日期。")})
    line, _changed = model_update(instance=line, fields=BENEFIT_LINE_EDITABLE, data=data)
    return line


BENEFIT_LINE_EDITABLE = [
    "kind",
    "name",
    "contribution",
    "deductible",
    "reimbursement_rate",
    "annual_cap",
    "claim_deadline",
]


# --- enrolments ----------------------------------------------------------------------------------


def enrolment_problems(*, member: Member, line: BenefitLine, enrolled_on: dt.date) -> list[str]:
    """Why `member` may not enrol in `line` on `enrolled_on` (empty if they may). Shared by the
    single enrolment and the roster import, so both judge a row the same way."""
    plan = line.plan
    problems = []
    if member.status != Member.Status.ACTIVE:
        problems.append(_("%(n)s已离会，不能参加职工医疗互助。") % {"n": member.name})
    if not (plan.enrolment_opens <= enrolled_on <= plan.enrolment_closes):
        problems.append(
            _("参保日期%(d)s不在参保期（%(a)s至%(b)s）内。")
            % {"d": enrolled_on, "a": plan.enrolment_opens, "b": plan.enrolment_closes}
        )
    if line.kind == BenefitLine.Kind.WOMEN_SPECIAL and member.gender != Member.Gender.FEMALE:
        problems.append(_("%(l)s仅限女职工参加。") % {"l": line.name})
    if not member.union.is_within(plan.union):
        problems.append(
            _("%(n)s所属的“%(u)s”不在方案“%(p)s”的适用范围内。")
            % {"n": member.name, "u": member.union, "p": plan}
        )
    return problems


@transaction.atomic
def enrolment_create(
    *,
    member: Member,
    line: BenefitLine,
    enrolled_on: dt.date | None = None,
    payer: Enterprise | None = None,
    by: Actor,
) -> Enrolment:
    # Scope first, every reference, before any rule or duplicate check could name someone.
    require_staff_write(by, member.union)
    require_named(by, member)
    require_named(by, line)
    require_named(by, payer)
    enrolled_on = enrolled_on or timezone.localdate()
    problems = enrolment_problems(member=member, line=line, enrolled_on=enrolled_on)
    if problems:
        raise ValidationError(problems)
    enrolment = Enrolment(
        member=member,
        line=line,
        union=member.union,
        payer=payer if payer is not None else member.enterprise,
        enrolled_on=enrolled_on,
        contribution=line.contribution,
        enrolled_by=staff_user(by),
    )
    try:
        # The unique constraint is the real guard: two clerks enrolling the same member at once.
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        raise ValidationError(
            _("%(n)s已参加%(l)s。") % {"n": member.name, "l": line}, code="duplicate"
        ) from None
    return enrolment


# --- claims --------------------------------------------------------------------------------------


def _granted_on(enrolment_ids: Iterable[int], *, excluding: int | None = None) -> Decimal:
    """What the claims on these enrolments have been granted (approved or paid)."""
    qs = Claim.objects.filter(enrolment_id__in=list(enrolment_ids), state__in=Claim.CAP_STATES)
    if excluding is not None:
        qs = qs.exclude(pk=excluding)
    return qs.aggregate(s=Sum("allowed_amount"))["s"] or ZERO


def _same_person_enrolments(enrolment: Enrolment):
    """The enrolments the annual cap spans: this person's on this benefit line. A person who left
    and rejoined has two member rows, so they are matched by ID number, not member row."""
    return Enrolment.objects.filter(
        line_id=enrolment.line_id, member__id_number_hash=enrolment.member.id_number_hash
    )


def _event(
    claim: Claim,
    *,
    from_state: str,
    by: Actor,
    note: str = "",
) -> ClaimEvent:
    return ClaimEvent.objects.create(
        claim=claim,
        at=timezone.now(),
        by=None if isinstance(by, MemberActor) else staff_user(by),
        by_member=isinstance(by, MemberActor),
        from_state=from_state,
        to_state=claim.state,
        amount=claim.allowed_amount,
        note=note,
    )


def receipt_check(data: bytes) -> str:
    """The content type of an uploaded receipt, judged by its first bytes (never by its name or
    the browser's say-so). Raises ValidationError for anything but PDF, JPEG and PNG."""
    if len(data) == 0:
        raise ValidationError(_("上传的文件是空的。"), code="empty")
    if len(data) > RECEIPT_MAX_BYTES:
        raise ValidationError(
            _("文件过大（%(size).1f MB），单个文件不能超过%(max)d MB。")
            % {"size": len(data) / 1024 / 1024, "max": RECEIPT_MAX_BYTES // 1024 // 1024},
            code="too_large",
        )
    for signature, kind in RECEIPT_SIGNATURES:
        if data.startswith(signature):
            return kind
    raise ValidationError(_("只能上传PDF、JPG或PNG格式的票据。"), code="type")


def _read_upload(upload) -> tuple[bytes, str]:
    """(bytes, name) from an UploadedFile, a (name, bytes) pair or raw bytes. Reads at most one
    byte past the limit, so an oversized upload is refused without reading it whole."""
    if isinstance(upload, tuple):
        name, data = upload
        return data[: RECEIPT_MAX_BYTES + 1], name
    if isinstance(upload, bytes):
        return upload[: RECEIPT_MAX_BYTES + 1], "receipt"
    upload.seek(0)
    return upload.read(RECEIPT_MAX_BYTES + 1), getattr(upload, "name", "receipt") or "receipt"


def _attach(claim: Claim, upload) -> ClaimReceipt:
    data, name = _read_upload(upload)
    kind = receipt_check(data)
    digest = hashlib.sha256(data).hexdigest()
    existing = claim.receipts.filter(sha256=digest).first()
    if existing is not None:
        return existing  # the same file sent twice: keep one
    receipt = ClaimReceipt(
        claim=claim,
        content_type=kind,
        size=len(data),
        sha256=digest,
        original_name=name.rsplit("/", 1)[-1][:255],
    )
    receipt.file.save("receipt", ContentFile(data), save=False)
    receipt.save()
    return receipt


def check_claim_values(
    *,
    enrolment: Enrolment,
    admitted_on: dt.date,
    discharged_on: dt.date,
    total_expenses: Decimal,
    eligible_expenses: Decimal,
    today: dt.date,
) -> None:
    """Raise a ValidationError (by field) if a claim with these values may not be filed today."""
    plan, line = enrolment.line.plan, enrolment.line
    errors: dict[str, list[str]] = {}
    if discharged_on < admitted_on:
        errors["discharged_on"] = [_("出院日期不能早于入院日期。")]
    if not (plan.period_start <= admitted_on <= plan.period_end):
        errors["admitted_on"] = [
            _("入院日期不在保障期（%(a)s至%(b)s）内。")
            % {"a": plan.period_start, "b": plan.period_end}
        ]
    if admitted_on < enrolment.enrolled_on:
        errors.setdefault("admitted_on", []).append(
            _("入院日期早于参保日期%(d)s。") % {"d": enrolment.enrolled_on}
        )
    if today > line.claim_deadline:
        errors["__all__"] = [
            _("%(l)s的申请已于%(d)s截止。") % {"l": line, "d": line.claim_deadline}
        ]
    if total_expenses < 0 or eligible_expenses < 0:
        errors["total_expenses"] = [_("费用不能为负数。")]
    elif eligible_expenses > total_expenses:
        errors["eligible_expenses"] = [_("政策范围内费用不能超过医疗总费用。")]
    if errors:
        raise ValidationError(errors)


@attributed
@transaction.atomic
def claim_submit(
    *,
    enrolment: Enrolment,
    admitted_on: dt.date,
    discharged_on: dt.date,
    hospital: str,
    category: str,
    total_expenses: Decimal,
    eligible_expenses: Decimal,
    diagnosis: str = "",
    receipts: Iterable = (),
    by: StaffOrSystem,
) -> Claim:
    """File a claim on an enrolment, by staff for the member (or the system for an import).
    The amount is an estimate against the cap as it stands; approval fixes it."""
    require_staff_write(by, enrolment.union)
    require_named(by, enrolment)
    return _file_claim(
        enrolment=enrolment,
        admitted_on=admitted_on,
        discharged_on=discharged_on,
        hospital=hospital,
        category=category,
        total_expenses=total_expenses,
        eligible_expenses=eligible_expenses,
        diagnosis=diagnosis,
        receipts=receipts,
        by=by,
    )


def _file_claim(
    *,
    enrolment: Enrolment,
    admitted_on: dt.date,
    discharged_on: dt.date,
    hospital: str,
    category: str,
    total_expenses: Decimal,
    eligible_expenses: Decimal,
    diagnosis: str,
    receipts: Iterable,
    by: Actor,
    bank_card: BankCard | None = None,
) -> Claim:
    total_expenses, eligible_expenses = (
        rules.to_yuan(total_expenses),
        rules.to_yuan(eligible_expenses),
    )
    check_claim_values(
        enrolment=enrolment,
        admitted_on=admitted_on,
        discharged_on=discharged_on,
        total_expenses=total_expenses,
        eligible_expenses=eligible_expenses,
        today=timezone.localdate(),
    )
    line = enrolment.line
    granted = _granted_on(_same_person_enrolments(enrolment).values_list("pk", flat=True))
    claim = Claim(
        member=enrolment.member,
        enrolment=enrolment,
        union=enrolment.union,
        admitted_on=admitted_on,
        discharged_on=discharged_on,
        hospital=hospital.strip(),
        category=category,
        diagnosis=diagnosis.strip(),
        total_expenses=total_expenses,
        eligible_expenses=eligible_expenses,
        allowed_amount=rules.allowed_amount(
            eligible_expenses=eligible_expenses,
            deductible=line.deductible,
            rate=line.reimbursement_rate,
            annual_cap=line.annual_cap,
            already_granted=granted,
        ),
        state=Claim.State.SUBMITTED,
        submitted_at=timezone.now(),
        bank_card=bank_card,
    )
    claim.full_clean()
    claim.save()
    _event(claim, from_state="", by=by, note=_("提交申请"))
    for upload in receipts:
        _attach(claim, upload)
    return claim


@transaction.atomic
def claim_apply(
    *,
    by: MemberActor,
    line: BenefitLine,
    admitted_on: dt.date,
    discharged_on: dt.date,
    hospital: str,
    category: str,
    total_expenses: Decimal,
    eligible_expenses: Decimal,
    diagnosis: str = "",
    receipts: Iterable = (),
    bank_card: BankCard | None = None,
) -> Claim:
    """The member portal's 'apply for mutual aid': the member signed in files for themselves
    (never for anyone else: the member is the actor), with their receipts (at least one), and
    the bank card the aid is to be paid to (their own card in use, if given)."""
    if not isinstance(by, MemberActor):
        raise PermissionDenied(str(NOT_IN_SCOPE))
    if bank_card is not None and (
        bank_card.person_hash != by.person or bank_card.replaced_at is not None
    ):
        # Someone else's card, or one the member has since replaced: answered like a missing one.
        raise ValidationError({"bank_card": _("请确认您本人正在使用的收款银行卡。")})
    enrolment = (
        Enrolment.objects.select_related("line__plan", "member")
        .filter(member=by.member, line=line)
        .first()
    )
    if enrolment is None:
        raise ValidationError(_("您未参加%(l)s，不能申请。") % {"l": line}, code="not_enrolled")
    receipts = list(receipts)
    if not receipts:
        raise ValidationError({"receipts": _("请上传医疗费用票据或出院小结。")})
    with acting_as(by):  # history names the member, not a staff user
        return _file_claim(
            enrolment=enrolment,
            admitted_on=admitted_on,
            discharged_on=discharged_on,
            hospital=hospital,
            category=category,
            total_expenses=total_expenses,
            eligible_expenses=eligible_expenses,
            diagnosis=diagnosis,
            receipts=receipts,
            by=by,
            bank_card=bank_card,
        )


@transaction.atomic
def receipt_upload(*, claim: Claim, upload, by: Actor) -> ClaimReceipt:
    """Add a receipt to an open claim, by staff or by the member whose claim it is."""
    _require_claim_actor(by, claim)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.state not in Claim.OPEN_STATES:
        raise _state_error(claim, _("补充材料"))
    return _attach(claim, upload)


def _require_claim_actor(by: Actor, claim: Claim) -> None:
    """A member acts on their own claims only (any membership of the same person); staff within
    their tree. Someone else's claim is answered like a missing one."""
    if isinstance(by, MemberActor):
        if not by.owns(claim.member):
            raise PermissionDenied(str(NOT_IN_SCOPE))
        return
    require_staff_write(by, claim.union)


def _lock_claim(claim: Claim) -> Claim:
    return Claim.objects.select_for_update(of=("self",)).select_related("member").get(pk=claim.pk)


@attributed
@transaction.atomic
def claim_start_review(*, claim: Claim, by: StaffOrSystem) -> Claim:
    require_staff_write(by, claim.union)
    claim = _lock_claim(claim)
    if claim.state != Claim.State.SUBMITTED:
        raise _state_error(claim, _("开始审核"))
    claim.state = Claim.State.UNDER_REVIEW
    claim.reviewer = staff_user(by)
    claim.save(update_fields=["state", "reviewer", "updated_at"])
    _event(claim, from_state=Claim.State.SUBMITTED, by=by)
    notices.tell(
        claim.member,
        _("您的互助申请已进入审核，工会审核后会再通知您结果。"),
        about="claim",
        record_id=claim.pk,
    )
    return claim


@attributed
@transaction.atomic
def claim_approve(*, claim: Claim, by: StaffOrSystem, note: str = "") -> Claim:
    """Approve a claim under review, fixing its amount against the member's annual cap.

    Lock order: the person's enrolment rows on this benefit line (in pk order), then the claim.
    Two reviewers approving two claims of one member at the same moment would each read the cap
    as unused and together grant more than it; the enrolment locks make the second wait until
    the first has committed, and it then sees the first claim's amount. Pk order keeps two such
    approvals from deadlocking; nothing locks a claim first and an enrolment after it."""
    require_staff_write(by, claim.union)
    enrolment = Enrolment.objects.select_related("member", "line").get(pk=claim.enrolment_id)
    locked = list(
        _same_person_enrolments(enrolment)
        .order_by("pk")
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )
    claim = _lock_claim(claim)
    if claim.state != Claim.State.UNDER_REVIEW:
        raise _state_error(claim, _("核准"))
    line = enrolment.line
    granted = _granted_on(locked, excluding=claim.pk)
    amount = rules.allowed_amount(
        eligible_expenses=claim.eligible_expenses,
        deductible=line.deductible,
        rate=line.reimbursement_rate,
        annual_cap=line.annual_cap,
        already_granted=granted,
    )
    if amount <= 0:
        if rules.cap_remaining(annual_cap=line.annual_cap, already_granted=granted) <= 0:
            reason = _("该会员本年度%(l)s已达封顶%(cap)s元，请作不予补助处理。")
        else:
            reason = _("政策范围内费用未超过起付线，核定金额为0，请作不予补助处理。")
        raise ValidationError(reason % {"l": line.name, "cap": line.annual_cap}, code="nothing")
    claim.allowed_amount = amount
    claim.state = Claim.State.APPROVED
    claim.reviewer = staff_user(by)
    claim.decided_at = timezone.now()
    claim.save(update_fields=["allowed_amount", "state", "reviewer", "decided_at", "updated_at"])
    _event(claim, from_state=Claim.State.UNDER_REVIEW, by=by, note=note)
    notices.tell(
        claim.member,
        _("您的%(l)s互助申请已核准，互助金%(a)s元，将发到您登记的银行卡。")
        % {"l": line.name, "a": amount},
        about="claim",
        record_id=claim.pk,
    )
    return claim


@attributed
@transaction.atomic
def claim_reject(*, claim: Claim, reason: str, by: StaffOrSystem) -> Claim:
    require_staff_write(by, claim.union)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"rejection_reason": _("请填写不予补助的理由。")})
    claim = _lock_claim(claim)
    if claim.state not in Claim.OPEN_STATES:
        raise _state_error(claim, _("作不予补助处理"))
    previous = claim.state
    claim.state = Claim.State.REJECTED
    claim.rejection_reason = reason
    claim.allowed_amount = ZERO
    claim.reviewer = staff_user(by)
    claim.decided_at = timezone.now()
    claim.save(
        update_fields=[
            "state",
            "rejection_reason",
            "allowed_amount",
            "reviewer",
            "decided_at",
            "updated_at",
        ]
    )
    _event(claim, from_state=previous, by=by, note=reason)
    notices.tell(
        claim.member,
        _("您的互助申请不予补助，理由：%(r)s") % {"r": reason[:100]},
        about="claim",
        record_id=claim.pk,
    )
    return claim


@attributed
@transaction.atomic
def claim_withdraw(*, claim: Claim, by: Actor) -> Claim:
    """The member takes back their own open claim (`MemberActor`), or staff do so at their
    request."""
    _require_claim_actor(by, claim)
    claim = _lock_claim(claim)
    if claim.state not in Claim.OPEN_STATES:
        raise _state_error(claim, _("撤回"))
    previous = claim.state
    claim.state = Claim.State.WITHDRAWN
    claim.allowed_amount = ZERO
    claim.save(update_fields=["state", "allowed_amount", "updated_at"])
    _event(claim, from_state=previous, by=by)
    return claim


@attributed
@transaction.atomic
def claim_pay(
    *,
    claim: Claim,
    idempotency_key: str,
    by: StaffOrSystem,
    bank_reference: str = "",
) -> tuple[Payout, bool]:
    """Pay an approved claim exactly once; returns (payout, created).

    A retried request (same key) or a doubled one (another key, same claim) gets the first
    payout back with created=False. The claim row lock serialises concurrent requests; the unique
    constraints on Payout.claim and Payout.idempotency_key are the last word if anything slips."""
    require_staff_write(by, claim.union)
    key = (idempotency_key or "").strip()
    if not key or len(key) > 64:
        raise ValidationError({"idempotency_key": _("请求须带1至64位的幂等键。")})
    claim = _lock_claim(claim)
    previous = Payout.objects.filter(idempotency_key=key).first()
    if previous is not None:
        if previous.claim_id != claim.pk:
            raise ValidationError(
                {"idempotency_key": _("该幂等键已用于另一笔申请的发放。")}, code="key_reused"
            )
        return previous, False
    previous = Payout.objects.filter(claim=claim).first()
    if previous is not None:
        return previous, False
    if claim.state != Claim.State.APPROVED:
        raise _state_error(claim, _("发放互助金"))
    now = timezone.now()
    payout = Payout(
        claim=claim,
        union=claim.union,
        amount=claim.allowed_amount,
        idempotency_key=key,
        paid_on=timezone.localdate(now),
        paid_at=now,
        paid_by=staff_user(by),
        bank_reference=bank_reference.strip(),
    )
    try:
        with transaction.atomic():
            payout.save()
    except IntegrityError:
        # The same key raced in for another claim between our check and our insert.
        raise ValidationError(
            {"idempotency_key": _("该幂等键已用于另一笔申请的发放。")}, code="key_reused"
        ) from None
    claim.state = Claim.State.PAID
    claim.save(update_fields=["state", "updated_at"])
    _event(claim, from_state=Claim.State.APPROVED, by=by, note=_("发放互助金"))
    notices.tell(
        claim.member,
        _("您的互助金%(a)s元已发放，请留意银行卡到账。") % {"a": payout.amount},
        about="claim",
        record_id=claim.pk,
    )
    return payout, True
