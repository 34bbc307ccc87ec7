"""Writes for activities. The admin, the API, the importer, the portal and the demo all call these:
keyword-only arguments, one transaction, a ValidationError a clerk (or a worker with a phone) can
act on, PermissionDenied outside the acting user's part of the tree.

Every service takes who acts (`by: Actor`, members/actors.py): a staff user (within their subtree),
the system (`system("...")`), or, for checking in, the member themself (`MemberActor`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from activities.models import (
    Activity,
    ActivityKind,
    ActivityReach,
    Attendance,
    CulturePosition,
    SharedCultureCentre,
)
from members.actors import Actor, MemberActor, SystemActor, staff_user
from members.models import Enterprise, Member, Union
from members.scoping import (
    NOT_IN_SCOPE,
    in_scope,
    is_city_staff,
    require_can_write,
    require_in_scope,
)

# --- check-in tokens -------------------------------------------------------------------------

CHECK_IN_SALT = "activities.check-in.v1"
# Scanning opens a while before the start (workers gather early at shift change) and closes a
# while after the end (a late scan by someone who was there); after that the token is dead.
CHECK_IN_OPENS_BEFORE = dt.timedelta(hours=2)
CHECK_IN_GRACE_AFTER_END = dt.timedelta(minutes=30)
# Where the worker's phone lands: the portal's scanning page (it comes with the portal).
CHECK_IN_PATH = "/portal/check-in/"


def check_in_token(*, activity: Activity) -> str:
    """The signed code printed on the activity's QR poster. It names the activity and its end;
    it cannot be forged without SECRET_KEY, and it stops working after the activity."""
    return signing.dumps(
        {"a": activity.pk, "e": int(activity.ends_at.timestamp())},
        salt=CHECK_IN_SALT,
        compress=True,
    )


def check_in_closes_at(activity: Activity, token_end: int | None = None) -> dt.datetime:
    end = activity.ends_at
    if token_end is not None:
        # A poster printed before the activity was moved later keeps its original end.
        end = min(end, dt.datetime.fromtimestamp(token_end, tz=dt.UTC))
    return end + CHECK_IN_GRACE_AFTER_END


def activity_for_token(token: str) -> tuple[Activity, int]:
    """The activity a token names, and the end it was signed with. Raises ValidationError for a
    forged, damaged or unknown token."""
    invalid = ValidationError(
        _("签到码无效，请扫描活动现场张贴的签到二维码。"), code="invalid_token"
    )
    try:
        payload = signing.loads((token or "").strip(), salt=CHECK_IN_SALT)
        activity_id, token_end = int(payload["a"]), int(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise invalid from None
    activity = Activity.objects.select_related("union", "kind").filter(pk=activity_id).first()
    if activity is None:
        raise invalid
    return activity, token_end


def _local_time(value: dt.datetime) -> str:
    return date_format(timezone.localtime(value), "Y年n月j日 H:i")


@dataclass(frozen=True)
class CheckIn:
    attendance: Attendance
    created: bool
    message: str


def attendance_check_in(
    *,
    token: str,
    member: Member,
    by: Actor,
    now: dt.datetime | None = None,
) -> CheckIn:
    """Check `member` in to the activity the scanned `token` names, exactly once. A second scan
    returns the existing record (created=False) with a polite message; a forged or expired token,
    or a scan long before the start, is refused with a ValidationError saying why.

    `by` is who checks in:
    - the member themself (`MemberActor`, signed in to the portal or showing their e-card): only
      themself, at any activity whose token they scanned: a worker from elsewhere checks in so;
    - a staff account scanning on a member's behalf (a kiosk, the 南太湖号 app): only a member of
      their own part of the tree (the one answer for anyone else: `NOT_IN_SCOPE`);
    - the system."""
    if isinstance(by, MemberActor):
        if not by.owns(member):
            raise PermissionDenied(_("只能为本人签到。"))
    elif not isinstance(by, SystemActor):
        require_can_write(by)
        require_in_scope(by, member.union)
    activity, token_end = activity_for_token(token)
    now = now or timezone.now()
    closes_at = check_in_closes_at(activity, token_end)
    if now > closes_at:
        raise ValidationError(
            _("签到码已过期：活动“%(title)s”已于%(end)s结束，签到已关闭。")
            % {"title": activity.title, "end": _local_time(activity.ends_at)},
            code="expired",
        )
    if now < activity.starts_at - CHECK_IN_OPENS_BEFORE:
        raise ValidationError(
            _("签到尚未开始：活动“%(title)s”于%(start)s开始，请在开始前两小时内扫码。")
            % {"title": activity.title, "start": _local_time(activity.starts_at)},
            code="not_open",
        )
    attendance, created = _record(
        activity=activity, member=member, method=Attendance.Method.QR, by=by
    )
    if created:
        message = _("签到成功！欢迎参加“%(title)s”。") % {"title": activity.title}
    else:
        message = _("您已于%(at)s签到过“%(title)s”，无需重复扫码，谢谢！") % {
            "at": _local_time(attendance.recorded_at),
            "title": activity.title,
        }
    return CheckIn(attendance=attendance, created=created, message=message)


@transaction.atomic
def attendance_record(
    *,
    activity: Activity,
    member: Member,
    method: str = Attendance.Method.STAFF,
    by: Actor,
) -> tuple[Attendance, bool]:
    """Staff record that `member` was at `activity` (once: a second time returns the record).
    Both must lie in their part of the tree: a worker from elsewhere checks in for themself."""
    require_can_write(by)
    require_in_scope(by, activity.union)
    require_in_scope(by, member.union)
    return _record(activity=activity, member=member, method=method, by=by)


def _record(
    *, activity: Activity, member: Member, method: str, by: Actor
) -> tuple[Attendance, bool]:
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("%(name)s已离会，不能登记参加活动。") % {"name": member.name})
    # The unique constraint (activity, member) is the real guard: under a burst of scans two
    # requests for one member both miss the SELECT, one INSERT wins, and get_or_create turns the
    # loser's IntegrityError (inside its savepoint) into a read of the winner's row.
    with transaction.atomic():
        return Attendance.objects.get_or_create(
            activity=activity,
            member=member,
            defaults={"method": method, "recorded_by": staff_user(by)},
        )


# --- activities --------------------------------------------------------------------------------


def _require_aware(value: dt.datetime | None, field: str, errors: dict) -> None:
    if value is None:
        errors.setdefault(field, []).append(_("请填写时间。"))
    elif timezone.is_naive(value):
        errors.setdefault(field, []).append(_("时间须带时区（如 2024-03-01T08:00+08:00）。"))


def _check_activity(activity: Activity, errors: dict) -> None:
    if (
        activity.starts_at
        and activity.ends_at
        and not errors.get("ends_at")
        and not errors.get("starts_at")
        and activity.ends_at <= activity.starts_at
    ):
        errors.setdefault("ends_at", []).append(_("结束时间须晚于开始时间。"))
    kind = activity.kind
    if kind.has_speaker:
        if not activity.speaker.strip():
            errors.setdefault("speaker", []).append(
                _("“%(kind)s”须填写主讲人。") % {"kind": kind.name}
            )
        if not activity.speaker_kind:
            errors.setdefault("speaker_kind", []).append(
                _(
                    "“%(kind)s”须选择主讲人类别（劳模工匠、党校(行政学院)、大中小学、优秀基层干部或其他）。"
                )
                % {"kind": kind.name}
            )
    if (
        kind.code == ActivityKind.MEMBER_DAY
        and activity.starts_at
        and not errors.get("starts_at")
        and timezone.localtime(activity.starts_at).day != 20
    ):
        errors.setdefault("starts_at", []).append(_("工会会员日为每月20日，请核对活动日期。"))


def _check_reaches(
    union: Union, reaches: list[tuple[Enterprise, str]], errors: dict
) -> list[tuple[Enterprise, str]]:
    cleaned: list[tuple[Enterprise, str]] = []
    for enterprise, team in reaches:
        team = " ".join((team or "").split())
        if not enterprise.union.is_within(union):
            errors.setdefault("reaches", []).append(
                # Both are names the user may see: `references` resolved the enterprise first.
                _("“%(e)s”不在主办工会“%(u)s”的范围内。") % {"e": enterprise, "u": union}
            )
        elif (enterprise, team) not in cleaned:
            cleaned.append((enterprise, team))
    return cleaned


def _default_reaches(union: Union) -> list[tuple[Enterprise, str]]:
    """A grassroots union of one enterprise reaches its own enterprise unless told otherwise."""
    if union.level != Union.Level.GRASSROOTS:
        return []
    enterprises = list(union.enterprises.all()[:2])
    return [(enterprises[0], "")] if len(enterprises) == 1 else []


@transaction.atomic
def activity_create(
    *,
    kind: ActivityKind,
    title: str,
    union: Union,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str = "",
    is_online: bool = False,
    speaker: str = "",
    speaker_kind: str = "",
    headcount: int = 0,
    reaches: list[tuple[Enterprise, str]] | None = None,
    note: str = "",
    by: Actor,
) -> Activity:
    """Record an activity organised by `union`. `reaches` lists the organisations it reached
    (an enterprise, with a team name or ""); by default a grassroots union's own enterprise."""
    require_can_write(by)
    require_in_scope(by, union)
    errors: dict[str, list[str]] = {}
    _require_aware(starts_at, "starts_at", errors)
    _require_aware(ends_at, "ends_at", errors)
    activity = Activity(
        kind=kind,
        title=" ".join((title or "").split()),
        union=union,
        starts_at=starts_at,
        ends_at=ends_at,
        place=(place or "").strip(),
        is_online=is_online,
        speaker=(speaker or "").strip() if kind.has_speaker else "",
        speaker_kind=(speaker_kind or "") if kind.has_speaker else "",
        headcount=headcount or 0,
        note=note or "",
        created_by=staff_user(by),
    )
    if not activity.title:
        errors.setdefault("title", []).append(_("请填写活动主题。"))
    _check_activity(activity, errors)
    cleaned = _check_reaches(union, reaches if reaches is not None else [], errors)
    if errors:
        raise ValidationError(errors)
    activity.full_clean()
    activity.save()
    if reaches is None:
        cleaned = _default_reaches(union)
    ActivityReach.objects.bulk_create(
        [ActivityReach(activity=activity, enterprise=e, team=t) for e, t in cleaned]
    )
    return activity


ACTIVITY_EDITABLE = {
    "title",
    "starts_at",
    "ends_at",
    "place",
    "is_online",
    "speaker",
    "speaker_kind",
    "headcount",
    "note",
}


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    data: dict,
    reaches: list[tuple[Enterprise, str]] | None = None,
    by: Actor,
) -> Activity:
    """Change an activity's details (its kind and organising union are fixed: attendance and
    figures hang on them); `reaches`, when given, replaces the organisations reached."""
    require_can_write(by)
    require_in_scope(by, activity.union)
    unknown = set(data) - ACTIVITY_EDITABLE
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(f)s。") % {"f": "、".join(sorted(unknown))})
    activity = Activity.objects.select_for_update().select_related("kind").get(pk=activity.pk)
    errors: dict[str, list[str]] = {}
    for field, value in data.items():
        setattr(activity, field, value)
    for field in ("starts_at", "ends_at"):
        if field in data:
            _require_aware(data[field], field, errors)
    if "title" in data:
        activity.title = " ".join((activity.title or "").split())
        if not activity.title:
            errors.setdefault("title", []).append(_("请填写活动主题。"))
    _check_activity(activity, errors)
    cleaned = _check_reaches(activity.union, reaches or [], errors)
    if errors:
        raise ValidationError(errors)
    activity.full_clean()
    activity.save()
    if reaches is not None:
        activity.reaches.all().delete()
        ActivityReach.objects.bulk_create(
            [ActivityReach(activity=activity, enterprise=e, team=t) for e, t in cleaned]
        )
    return activity


@transaction.atomic
def activity_kind_create(
    *, code: str, name: str, has_speaker: bool = False, by: Actor
) -> ActivityKind:
    """Add a kind of activity. Kinds are shared by the whole city, so only city staff add them."""
    require_can_write(by)
    if not (isinstance(by, SystemActor) or is_city_staff(by)):
        raise PermissionDenied(_("活动类型全市通用，只有市总工会工作人员可以新增。"))
    kind = ActivityKind(
        code=(code or "").strip().lower(),
        name=(name or "").strip(),
        has_speaker=has_speaker,
    )
    kind.full_clean()
    kind.save()
    return kind


# --- culture positions and shared centres ------------------------------------------------------


@transaction.atomic
def culture_position_create(
    *,
    name: str,
    union: Union,
    opened_on: dt.date,
    address: str = "",
    note: str = "",
    by: Actor,
) -> CulturePosition:
    """Record a 职工文化活动阵地 a township (street) union built."""
    require_can_write(by)
    require_in_scope(by, union)
    if union.level != Union.Level.TOWNSHIP:
        raise ValidationError(
            {
                "union": _("职工文化活动阵地由乡镇(街道)工会建设，“%(u)s”是%(level)s。")
                % {"u": union, "level": union.get_level_display()}
            }
        )
    position = CulturePosition(
        name=(name or "").strip(),
        union=union,
        opened_on=opened_on,
        address=(address or "").strip(),
        note=note or "",
    )
    position.full_clean()
    position.save()
    return position


@transaction.atomic
def shared_centre_create(
    *,
    name: str,
    union: Union,
    opened_on: dt.date,
    co_builders: list[Union] | None = None,
    enterprises: list[Enterprise] | None = None,
    workers_served: int = 0,
    address: str = "",
    by: Actor,
) -> SharedCultureCentre:
    """Record a 共享型企业职工文体中心: the union that leads it, the unions that help build it
    and the enterprises whose workers it serves (those may lie beyond the builders' tree)."""
    require_can_write(by)
    require_in_scope(by, union)
    # Co-builders and the enterprises served are named within the builder's tree; the answer
    # for any other names nothing (exactly as for one that does not exist).
    if any(not in_scope(by, other) for other in co_builders or []):
        raise ValidationError({"co_builders": str(NOT_IN_SCOPE)})
    if any(not in_scope(by, e.union) for e in enterprises or []):
        raise ValidationError({"enterprises": str(NOT_IN_SCOPE)})
    centre = SharedCultureCentre(
        name=(name or "").strip(),
        union=union,
        opened_on=opened_on,
        workers_served=workers_served,
        address=(address or "").strip(),
    )
    centre.full_clean()
    centre.save()
    centre.co_builders.set(co_builders or [])
    centre.enterprises.set(enterprises or [])
    return centre
