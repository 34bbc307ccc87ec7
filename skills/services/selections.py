"""The selection before a model-worker honour: nomination → review → 公示 (with objections) →
conferral, ending in the Honour through `honour_award`. Each stage has its service, and each
refuses unless the selection stands at the stage just before it, so none can be skipped; an
upheld objection stops the selection, so it can never be conferred."""

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.actors import SystemActor
from members.history import attributed
from members.models import Enterprise, Member, Union
from skills.models import Honour, HonourSelection, SelectionObjection
from skills.services._common import require_named, require_staff_write, save_new, update_listed
from skills.services.honours import honour_award

Stage = HonourSelection.Stage
StaffActor = User | SystemActor
# What may be corrected while the candidate is only nominated.
SELECTION_FIELDS = ["awarding_body", "nominated_on", "nominator", "deeds", "enterprise"]


def _locked(selection: HonourSelection) -> HonourSelection:
    return HonourSelection.objects.select_for_update().get(pk=selection.pk)


def _require_stage(selection: HonourSelection, stage: str, *, doing: str) -> None:
    if selection.stage == stage:
        return
    if selection.stage == Stage.STOPPED:
        raise ValidationError(
            _("该评选已终止（%(r)s），不能%(doing)s。")
            % {"r": selection.stopped_reason, "doing": doing}
        )
    raise ValidationError(
        _("当前处于“%(now)s”阶段，须先完成“%(need)s”才能%(doing)s，评选阶段不能跳过。")
        % {"now": selection.get_stage_display(), "need": Stage(stage).label, "doing": doing}
    )


@attributed
@transaction.atomic
def selection_nominate(
    *,
    kind: str,
    year: int,
    awarding_body: str,
    nominated_on: dt.date,
    nominator: str,
    deeds: str,
    member: Member | None = None,
    collective_name: str = "",
    enterprise: Enterprise | None = None,
    union: Union | None = None,
    by: StaffActor,
) -> HonourSelection:
    """推荐提名: a person (their union is the nominating one) or a collective (with its union)."""
    require_named(by, member, enterprise, union)
    if member is not None:
        union = member.union
    elif union is None and enterprise is not None:
        union = enterprise.union
    if union is None:
        raise ValidationError({"union": _("请选择推荐工会。")})
    require_staff_write(by, union)
    collective = kind in Honour.COLLECTIVE_KINDS
    if collective and (member is not None or not collective_name.strip()):
        raise ValidationError({"collective_name": _("集体称号请填写候选集体，不选个人。")})
    if not collective and (member is None or collective_name.strip()):
        raise ValidationError({"member": _("个人称号请选择候选人。")})
    if not deeds.strip():
        raise ValidationError({"deeds": _("请填写主要事迹。")})
    return save_new(
        HonourSelection(
            kind=kind,
            year=year,
            awarding_body=awarding_body.strip(),
            member=member,
            collective_name=collective_name.strip(),
            enterprise=enterprise or (member.enterprise if member else None),
            union=union,
            nominated_on=nominated_on,
            nominator=nominator.strip(),
            deeds=deeds.strip(),
        )
    )


@attributed
@transaction.atomic
def selection_update(
    *, selection: HonourSelection, data: dict[str, Any], by: StaffActor
) -> HonourSelection:
    require_staff_write(by, selection.union)
    _require_stage(_locked(selection), Stage.NOMINATED, doing=_("修改推荐材料"))
    return update_listed(instance=selection, fields=SELECTION_FIELDS, data=data, by=by)


@attributed
@transaction.atomic
def selection_review(
    *,
    selection: HonourSelection,
    reviewed_on: dt.date,
    passed: bool,
    note: str = "",
    by: StaffActor,
) -> HonourSelection:
    """审核: passed, the candidate goes to the 公示; not passed, the selection stops."""
    require_staff_write(by, selection.union)
    selection = _locked(selection)
    _require_stage(selection, Stage.NOMINATED, doing=_("审核"))
    if reviewed_on < selection.nominated_on:
        raise ValidationError({"reviewed_on": _("审核日期不能早于推荐日期。")})
    selection.reviewed_on, selection.review_note = reviewed_on, note.strip()
    if passed:
        selection.stage = Stage.REVIEWED
    else:
        if not note.strip():
            raise ValidationError({"note": _("审核不通过请填写原因。")})
        selection.stage, selection.stopped_reason = Stage.STOPPED, _("审核未通过：") + note.strip()
    selection.save()
    return selection


@attributed
@transaction.atomic
def selection_notice(
    *, selection: HonourSelection, starts_on: dt.date, ends_on: dt.date, by: StaffActor
) -> HonourSelection:
    """公示: the reviewed candidate is made public from `starts_on` to `ends_on`."""
    require_staff_write(by, selection.union)
    selection = _locked(selection)
    _require_stage(selection, Stage.REVIEWED, doing=_("公示"))
    assert selection.reviewed_on is not None  # set when the review passed
    if starts_on < selection.reviewed_on:
        raise ValidationError({"starts_on": _("公示不能早于审核日期。")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("公示结束日期不能早于开始日期。")})
    selection.stage = Stage.NOTICE
    selection.notice_starts_on, selection.notice_ends_on = starts_on, ends_on
    selection.save()
    return selection


@attributed
@transaction.atomic
def selection_objection_receive(
    *, selection: HonourSelection, received_on: dt.date, content: str, by: StaffActor
) -> SelectionObjection:
    """An objection received during the 公示."""
    require_staff_write(by, selection.union)
    selection = _locked(selection)
    _require_stage(selection, Stage.NOTICE, doing=_("受理异议"))
    assert selection.notice_starts_on is not None and selection.notice_ends_on is not None
    if not (selection.notice_starts_on <= received_on <= selection.notice_ends_on):
        raise ValidationError({"received_on": _("异议须在公示期内提出。")})
    if not content.strip():
        raise ValidationError({"content": _("请填写异议内容。")})
    return save_new(
        SelectionObjection(selection=selection, received_on=received_on, content=content.strip())
    )


@attributed
@transaction.atomic
def selection_objection_handle(
    *,
    objection: SelectionObjection,
    handled_on: dt.date,
    upheld: bool,
    handling: str,
    by: StaffActor,
) -> SelectionObjection:
    """核查处理: an upheld objection stops the selection (it can no longer be conferred)."""
    selection = _locked(objection.selection)
    require_staff_write(by, selection.union)
    objection = SelectionObjection.objects.select_for_update().get(pk=objection.pk)
    if objection.handled_on is not None:
        raise ValidationError(_("该异议已于%(d)s处理。") % {"d": objection.handled_on})
    if handled_on < objection.received_on:
        raise ValidationError({"handled_on": _("处理日期不能早于收到日期。")})
    if not handling.strip():
        raise ValidationError({"handling": _("请填写核查处理情况。")})
    objection.handled_on, objection.upheld, objection.handling = (
        handled_on,
        upheld,
        handling.strip(),
    )
    objection.save()
    if upheld and selection.stage == Stage.NOTICE:
        selection.stage = Stage.STOPPED
        selection.stopped_reason = _("公示异议成立：") + handling.strip()
        selection.save()
    return objection


@attributed
@transaction.atomic
def selection_confer(
    *, selection: HonourSelection, conferred_on: dt.date, by: StaffActor
) -> HonourSelection:
    """授予: after the 公示 has ended with every objection handled and none upheld, the honour
    is recorded through `honour_award` and linked here."""
    require_staff_write(by, selection.union)
    selection = _locked(selection)
    _require_stage(selection, Stage.NOTICE, doing=_("授予"))
    assert selection.notice_ends_on is not None  # set when the notice was published
    if conferred_on <= selection.notice_ends_on:
        raise ValidationError({"conferred_on": _("公示期满后方可授予。")})
    if selection.objections.filter(handled_on__isnull=True).exists():
        raise ValidationError(_("尚有公示异议未处理，不能授予。"))
    honour = honour_award(
        kind=selection.kind,
        year=selection.year,
        awarding_body=selection.awarding_body,
        member=selection.member,
        collective_name=selection.collective_name,
        enterprise=selection.enterprise,
        union=selection.union,
        by=by,
    )
    selection.stage, selection.conferred_on, selection.honour = (
        Stage.CONFERRED,
        conferred_on,
        honour,
    )
    selection.save()
    return selection
