"""Skilled-talent certifications, technical training sessions and job drills."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.actors import SystemActor
from members.models import Enterprise, Member, Union
from skills.models import SkillCertification, SkillSession
from skills.services._common import require_named, require_staff_write, save_new, update_listed

CERTIFICATION_FIELDS = ["level", "occupation", "certified_on", "certificate_no"]
# The headcount of a session with a participant list is that list's length, never typed.
SESSION_FIELDS = ["kind", "title", "union", "enterprise", "occupation", "held_on", "headcount"]


@transaction.atomic
def skill_certification_register(
    *,
    member: Member,
    level: str,
    occupation: str,
    certified_on: dt.date,
    certificate_no: str = "",
    by: User | SystemActor,
) -> SkillCertification:
    require_named(by, member)
    require_staff_write(by, member.union)
    if certified_on > timezone.localdate():
        raise ValidationError({"certified_on": _("取证日期不能晚于今天。")})
    if SkillCertification.objects.filter(
        member=member, occupation=occupation.strip(), level=level
    ).exists():
        raise ValidationError(
            _("%(n)s 已登记%(o)s%(l)s。")
            % {
                "n": member.name,
                "o": occupation,
                "l": SkillCertification.Level(level).label,
            }
        )
    cert = SkillCertification(
        member=member,
        union=member.union,
        level=level,
        occupation=occupation.strip(),
        certified_on=certified_on,
        certificate_no=certificate_no.strip(),
    )
    return save_new(cert)


@transaction.atomic
def skill_certification_update(
    *, certification: SkillCertification, data: dict[str, Any], by: User | SystemActor
) -> SkillCertification:
    require_staff_write(by, certification.union)
    if data.get("certified_on") and data["certified_on"] > timezone.localdate():
        raise ValidationError({"certified_on": _("取证日期不能晚于今天。")})
    return update_listed(instance=certification, fields=CERTIFICATION_FIELDS, data=data, by=by)


@transaction.atomic
def skill_session_record(
    *,
    kind: str,
    title: str,
    union: Union,
    held_on: dt.date,
    headcount: int | None = None,
    participants: Iterable[Member] | None = None,
    enterprise: Enterprise | None = None,
    occupation: str = "",
    by: User | SystemActor,
) -> SkillSession:
    """Record a training session or a job drill. With a participant list the headcount is its
    number of distinct members (the list is the evidence); without one, the headcount given."""
    people = list({m.pk: m for m in participants or []}.values())
    require_named(by, union, enterprise, *people)
    require_staff_write(by, union)
    if people:
        headcount = len(people)
    if not headcount or headcount < 1:
        raise ValidationError({"headcount": _("请填写参加人次，或登记参加会员。")})
    session = SkillSession(
        kind=kind,
        title=title.strip(),
        union=union,
        held_on=held_on,
        headcount=headcount,
        enterprise=enterprise,
        occupation=occupation.strip(),
    )
    save_new(session)
    if people:
        session.participants.set(people)
    return session


@transaction.atomic
def skill_session_update(
    *, session: SkillSession, data: dict[str, Any], by: User | SystemActor
) -> SkillSession:
    require_staff_write(by, session.union)
    if (
        "headcount" in data
        and data["headcount"] != session.headcount
        and session.participants.exists()
    ):
        raise ValidationError({"headcount": _("已登记参加会员的，参加人次即其人数，不能另填。")})
    return update_listed(instance=session, fields=SESSION_FIELDS, data=data, by=by)
