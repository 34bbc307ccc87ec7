"""Writes for 人大代表建议 / 政协提案 the union handles: receive one, correct it, answer it."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.services import model_update
from members.history import attributed
from members.models import Union
from welfare.models import Proposal
from welfare.services._common import StaffActor, require_staff_write

# The reply and its result are set by `proposal_reply` only, so "answered" always has both.
PROPOSAL_FIELDS = [
    "union",
    "source",
    "number",
    "title",
    "proposer",
    "role",
    "lead_unit",
    "received_on",
    "due_on",
]


def _check(*, role: str, lead_unit: str, received_on: dt.date, due_on: dt.date) -> None:
    errors = {}
    if due_on < received_on:
        errors["due_on"] = _("答复期限不能早于交办日期。")
    if role == Proposal.Role.ASSIST and not lead_unit.strip():
        errors["lead_unit"] = _("会办件请填写主办单位。")
    if errors:
        raise ValidationError(errors)


@attributed
@transaction.atomic
def proposal_receive(
    *,
    union: Union,
    source: str,
    title: str,
    proposer: str,
    role: str,
    received_on: dt.date,
    due_on: dt.date,
    number: str = "",
    lead_unit: str = "",
    by: StaffActor,
) -> Proposal:
    """Register a suggestion or proposal assigned to `union` (主办 or 会办) with its deadline."""
    require_staff_write(by, union)
    _check(role=role, lead_unit=lead_unit, received_on=received_on, due_on=due_on)
    proposal = Proposal(
        union=union,
        source=source,
        number=number.strip(),
        title=title.strip(),
        proposer=proposer.strip(),
        role=role,
        lead_unit=lead_unit.strip(),
        received_on=received_on,
        due_on=due_on,
    )
    proposal.full_clean()
    proposal.save()
    return proposal


@attributed
@transaction.atomic
def proposal_update(*, proposal: Proposal, data: dict[str, Any], by: StaffActor) -> Proposal:
    require_staff_write(by, proposal.union)
    if data.get("union") is not None:
        require_staff_write(by, data["union"])
    _check(
        role=data.get("role", proposal.role),
        lead_unit=data.get("lead_unit", proposal.lead_unit),
        received_on=data.get("received_on", proposal.received_on),
        due_on=data.get("due_on", proposal.due_on),
    )
    proposal, _changed = model_update(instance=proposal, fields=PROPOSAL_FIELDS, data=data)
    return proposal


@attributed
@transaction.atomic
def proposal_reply(
    *,
    proposal: Proposal,
    reply: str,
    result: str,
    replied_on: dt.date | None = None,
    by: StaffActor,
) -> Proposal:
    """Record the union's reply and its grading (A/B/C类). A reply is given once; a wrong one is
    corrected by the same call, which keeps the latest."""
    require_staff_write(by, proposal.union)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    errors = {}
    if not (reply or "").strip():
        errors["reply"] = _("请填写答复内容。")
    if result not in Proposal.Result.values:
        errors["result"] = _("请选择办理结果（A类、B类或C类）。")
    replied_on = replied_on or timezone.localdate()
    if replied_on < proposal.received_on:
        errors["replied_on"] = _("答复日期不能早于交办日期。")
    if errors:
        raise ValidationError(errors)
    proposal.reply = reply.strip()
    proposal.result = result
    proposal.replied_on = replied_on
    proposal.updated_at = timezone.now()
    proposal.full_clean()
    proposal.save(update_fields=["reply", "result", "replied_on", "updated_at"])
    return proposal
