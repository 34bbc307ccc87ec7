"""Titles and honours, to a person or to a collective."""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.actors import SystemActor
from members.history import attributed
from members.models import Enterprise, Member, Union
from skills.models import Competition, Honour
from skills.services._common import require_named, require_staff_write, save_new, update_listed

# The holder (person or collective) and the kind are what the title is; a wrong one is ended by
# recording the right one, not edited into another title.
HONOUR_FIELDS = ["year", "awarding_body", "collective_name", "enterprise", "competition"]


@attributed
@transaction.atomic
def honour_award(
    *,
    kind: str,
    year: int,
    awarding_body: str,
    member: Member | None = None,
    collective_name: str = "",
    enterprise: Enterprise | None = None,
    union: Union | None = None,
    competition: Competition | None = None,
    by: User | SystemActor,
) -> Honour:
    """Record a title or honour to a person (`member`) or a collective (`collective_name`, with
    its `enterprise` or `union`). Scope first: a person, enterprise, union or competition the
    actor may not name is answered like one that does not exist, before any duplicate rule."""
    require_named(by, member, enterprise, union, competition)
    # A person's title counts under their union, whatever the caller names.
    if member is not None:
        union = member.union
    elif union is None and enterprise is not None:
        union = enterprise.union
    honour = Honour(
        kind=kind,
        year=year,
        awarding_body=awarding_body.strip(),
        member=member,
        collective_name=collective_name.strip(),
        enterprise=enterprise or (member.enterprise if member else None),
        union=union,
        competition=competition,
    )
    if union is None:
        # Say what else is wrong too (e.g. a personal title without its person), not only this.
        errors: dict[str, list[str]] = {}
        try:
            honour.full_clean(exclude=["union"])
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if not errors:
            errors["union"] = [_("请选择所属工会。")]
        raise ValidationError(errors)
    require_staff_write(by, union)
    if member is not None and Honour.objects.filter(kind=kind, member=member, year=year).exists():
        raise ValidationError(
            _("%(n)s 已获得%(y)d年度“%(k)s”称号。")
            % {"n": member.name, "y": year, "k": Honour.Kind(kind).label}
        )
    return save_new(honour)


@attributed
@transaction.atomic
def honour_update(*, honour: Honour, data: dict[str, Any], by: User | SystemActor) -> Honour:
    return update_listed(instance=honour, fields=HONOUR_FIELDS, data=data, by=by)
