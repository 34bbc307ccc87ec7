"""The real-name registry's writes: unions, enterprises and members (create, change, phone change,
leave), each with its rules and the actor's scope."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.services import model_update
from members import crypto
from members.actors import Actor, MemberActor, SystemActor
from members.fields import check_joined_on, clean_name
from members.history import attributed
from members.models import (
    Enterprise,
    Member,
    MemberTransfer,
    Union,
)
from members.scoping import NOT_IN_SCOPE, in_scope, require_can_write, require_in_scope
from members.validators import (
    mask_id_number,
    normalize_credit_code,
    normalize_mobile,
    parse_id_number,
)

# Which level may sit directly under which: the city over districts, districts over townships,
# and grassroots unions under any of them (some enterprises report to a district directly).
ALLOWED_PARENT_LEVELS: dict[str, set[str]] = {
    Union.Level.CITY: set(),
    Union.Level.DISTRICT: {Union.Level.CITY},
    Union.Level.TOWNSHIP: {Union.Level.DISTRICT},
    Union.Level.GRASSROOTS: {Union.Level.CITY, Union.Level.DISTRICT, Union.Level.TOWNSHIP},
}


@transaction.atomic
def union_create(
    *,
    code: str,
    name: str,
    level: str,
    parent: Union | None = None,
    is_joint: bool = False,
    by: Actor,
) -> Union:
    require_can_write(by)
    code = (code or "").strip()
    if parent is None and level != Union.Level.CITY:
        raise ValidationError({"parent": _("除市总工会外，每个工会都要有上级工会。")})
    if parent is not None:
        require_in_scope(by, parent)
        if parent.level not in ALLOWED_PARENT_LEVELS[level]:
            raise ValidationError(
                {
                    "parent": _("%(level)s不能挂在%(parent_level)s之下。")
                    % {
                        "level": Union.Level(level).label,
                        "parent_level": parent.get_level_display(),
                    }
                }
            )
    elif not (isinstance(by, SystemActor) or getattr(by, "is_superuser", False)):
        raise PermissionDenied(_("只有系统管理员可以建立市总工会。"))
    if "/" in code:
        raise ValidationError({"code": _("工会编码不能含有“/”。")})
    union = Union(
        code=code,
        name=name.strip(),
        level=level,
        parent=parent,
        is_joint=is_joint,
        path=f"{parent.path if parent else ''}{code}/",
    )
    union.full_clean()
    union.save()
    return union


@transaction.atomic
def union_update(*, union: Union, name: str, is_joint: bool, by: Actor) -> Union:
    """Rename a union or mark it joint. Its code and place in the tree are fixed: they key the
    materialised paths and every roster that names it."""
    require_can_write(by)
    require_in_scope(by, union)
    union.name = name.strip()
    union.is_joint = is_joint
    union.full_clean()
    union.save(update_fields=["name", "is_joint", "updated_at"])
    return union


@transaction.atomic
def enterprise_create(
    *,
    name: str,
    credit_code: str,
    union: Union,
    industry: str = "",
    above_designated_size: bool = False,
    is_state_owned: bool = False,
    by: Actor,
) -> Enterprise:
    require_can_write(by)
    require_in_scope(by, union)
    try:
        code = normalize_credit_code(credit_code)
    except ValidationError as exc:
        raise ValidationError({"credit_code": exc.messages}) from None
    if Enterprise.objects.filter(credit_code=code).exists():
        raise ValidationError({"credit_code": _("统一社会信用代码 %(c)s 已登记。") % {"c": code}})
    enterprise = Enterprise(
        name=name.strip(),
        credit_code=code,
        union=union,
        industry=industry,
        above_designated_size=above_designated_size,
        is_state_owned=is_state_owned,
    )
    enterprise.full_clean()
    enterprise.save()
    return enterprise


ENTERPRISE_EDITABLE = {
    "name",
    "industry",
    "above_designated_size",
    "is_state_owned",
    "reform_pilot_year",
    "union",
}


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, data: dict, by: Actor) -> Enterprise:
    require_can_write(by)
    require_in_scope(by, enterprise.union)
    unknown = set(data) - ENTERPRISE_EDITABLE
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(f)s。") % {"f": "、".join(sorted(unknown))})
    if "union" in data:
        require_in_scope(by, data["union"])
    if "name" in data:
        data = {**data, "name": (data["name"] or "").strip()}
    enterprise, _changed = model_update(
        instance=enterprise, fields=sorted(ENTERPRISE_EDITABLE), data=data
    )
    return enterprise


def _require_member_union(union: Union) -> None:
    if union.level != Union.Level.GRASSROOTS:
        raise ValidationError(
            {
                "union": _("会员须加入基层工会（含联合工会），“%(u)s”是%(level)s。")
                % {"u": union, "level": union.get_level_display()}
            }
        )


def _require_enterprise_in_scope(by: Actor, enterprise: Enterprise | None) -> None:
    # The answer for an enterprise outside the tree names nothing, exactly like a missing one.
    if enterprise is not None:
        try:
            require_in_scope(by, enterprise.union)
        except PermissionDenied:
            raise ValidationError({"enterprise": str(NOT_IN_SCOPE)}) from None


@attributed
@transaction.atomic
def member_create(
    *,
    id_number: str,
    name: str,
    union: Union,
    phone: str = "",
    enterprise: Enterprise | None = None,
    employment_form: str = Member.EmploymentForm.STANDARD,
    joined_on: dt.date | None = None,
    by: Actor,
) -> Member:
    """Enrol a person. Gender and birth date come from the ID number, never typed twice."""
    require_can_write(by)
    require_in_scope(by, union)
    _require_member_union(union)
    _require_enterprise_in_scope(by, enterprise)
    errors: dict[str, list[str]] = {}
    facts = None
    try:
        facts = parse_id_number(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages
    try:
        name = clean_name(name)
    except ValidationError as exc:
        errors["name"] = exc.messages
    try:
        phone = normalize_mobile(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    joined_on = joined_on or timezone.localdate()
    if facts is not None:
        try:
            check_joined_on(joined_on, facts.birth_date)
        except ValidationError as exc:
            errors["joined_on"] = exc.messages
    if errors:
        raise ValidationError(errors)
    assert facts is not None  # no errors, so the number parsed
    id_hash = crypto.hash_id_number(facts.number)
    existing = Member.objects.filter(id_number_hash=id_hash, status=Member.Status.ACTIVE).first()
    if existing is not None:
        raise ValidationError({"id_number": _active_elsewhere_message(existing, by)})
    member = Member(
        name=name,
        id_number_encrypted=crypto.encrypt_id_number(facts.number),
        id_number_hash=id_hash,
        id_number_masked=mask_id_number(facts.number),
        gender=facts.gender,
        birth_date=facts.birth_date,
        phone=phone,
        union=union,
        enterprise=enterprise,
        employment_form=employment_form,
        employment_form_at_joining=employment_form,
        joined_on=joined_on,
    )
    member.full_clean(exclude=["id_number_hash"])
    try:
        # The partial unique index is the real guard: two clerks enrolling the same person at once.
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ValidationError({"id_number": _("该公民身份号码已有在会会籍。")}) from None
    return member


def _active_elsewhere_message(existing: Member, by: Actor) -> str:
    if in_scope(by, existing.union):
        return _("该公民身份号码已在“%(u)s”在会，如需变更请办理会员关系转接。") % {
            "u": existing.union
        }
    # Outside the clerk's tree: say that the person is a member, not where (PIPL: need to know).
    return _("该公民身份号码已在其他工会在会，请联系其所在工会办理会员关系转接。")


MEMBER_EDITABLE = {"name", "phone", "enterprise", "employment_form", "joined_on"}
# What a de-identified member may never get back (the ID number is not editable at all).
DEIDENTIFIED_FIELDS = {"name", "phone"}


@attributed
@transaction.atomic
def member_update(*, member: Member, data: dict, by: Actor) -> Member:
    """Change a member's details. The union changes only by transfer; the ID number never."""
    require_can_write(by)
    require_in_scope(by, member.union)
    unknown = set(data) - MEMBER_EDITABLE
    if unknown:
        raise ValidationError(
            _("不能直接修改这些字段：%(f)s。") % {"f": "、".join(sorted(unknown))}
        )
    if member.deidentified_on is not None:
        # Retention (common/retention.py) took the person out of the register: writing a name or
        # a phone back would re-identify them, and the ID number is gone.
        personal = {f for f in DEIDENTIFIED_FIELDS & set(data) if data[f] != getattr(member, f)}
        if personal:
            raise ValidationError(
                {
                    f: [_("该会员信息已按保存期限去标识化，不能再填写姓名或手机号码。")]
                    for f in sorted(personal)
                }
            )
    errors: dict[str, list[str]] = {}
    if "name" in data:
        try:
            data["name"] = clean_name(data["name"])
        except ValidationError as exc:
            errors["name"] = exc.messages
    if "phone" in data:
        try:
            data["phone"] = normalize_mobile(data["phone"])
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if "joined_on" in data:
        try:
            check_joined_on(data["joined_on"], member.birth_date)
        except ValidationError as exc:
            errors["joined_on"] = exc.messages
    if "enterprise" in data and data["enterprise"] != member.enterprise:
        try:
            _require_enterprise_in_scope(by, data["enterprise"])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    member, _changed = model_update(instance=member, fields=sorted(MEMBER_EDITABLE), data=data)
    return member


@attributed
@transaction.atomic
def member_phone_change(*, member: Member, phone: str, by: MemberActor | SystemActor) -> Member:
    """A member records their new mobile number themselves (the portal, after proving the new
    number by SMS code and themselves by name and full ID number). Their own record only."""
    if isinstance(by, MemberActor):
        if not by.owns(member):
            raise PermissionDenied(str(NOT_IN_SCOPE))
    elif not isinstance(by, SystemActor):
        raise PermissionDenied(str(NOT_IN_SCOPE))
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("该会籍已不在会，不能修改手机号。"))
    try:
        number = normalize_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    member, _changed = model_update(instance=member, fields=["phone"], data={"phone": number})
    return member


@attributed
@transaction.atomic
def member_leave(*, member: Member, left_on: dt.date, by: Actor) -> Member:
    require_can_write(by)
    require_in_scope(by, member.union)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("该会员已离会。"))
    if left_on < member.joined_on:
        raise ValidationError({"left_on": _("离会日期不能早于入会日期。")})
    if member.transfers.filter(status__in=MemberTransfer.OPEN_STATES).exists():
        raise ValidationError(_("该会员有未办结的转接申请，请先处理转接。"))
    member.status = Member.Status.LEFT
    member.left_on = left_on
    member.save(update_fields=["status", "left_on", "updated_at"])
    return member
