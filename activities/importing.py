"""Attendance import (签到名单导入): a sign-in sheet (姓名, 公民身份号码, and which activity)
becomes named attendance. The same rules as the roster import: rows numbered as Excel numbers
them, a few queries per batch, any bad row rolls the whole file back, and a file imported twice
changes nothing the second time (a member already recorded at an activity is left as is)."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from activities.models import Activity, Attendance
from common.importing import ImportReport, ParsedRow, RowDict, TableImport, table_rows
from members import crypto
from members.actors import Actor
from members.fields import clean_name
from members.models import Member
from members.scoping import in_scope, require_can_write, require_in_scope
from members.validators import parse_id_number

ATTENDANCE_HEADERS = ["活动编号", "姓名", "公民身份号码"]


def attendance_rows(
    table: Iterable[tuple[int, list[str]]], *, activity: Activity | None = None
) -> Iterator[tuple[int, RowDict]]:
    """The sheet's rows. With `activity` given (the admin's per-activity import, or
    `--activity`), the 活动编号 column may be left out."""
    required = ["公民身份号码"] if activity is not None else ["活动编号", "公民身份号码"]
    return table_rows(table, headers=ATTENDANCE_HEADERS, required=required)


@dataclass(slots=True)
class _Parsed:
    row: int
    activity_id: int
    name: str
    id_hash: str


class AttendanceImport(TableImport):
    headers = ATTENDANCE_HEADERS
    required = ["活动编号", "公民身份号码"]
    duplicate_message = _lazy("与第%(n)d行是同一活动的同一人，重复。")

    def __init__(
        self,
        *,
        by: Actor,
        activity: Activity | None = None,
        dry_run: bool = False,
        preview_rows: int = 0,
    ) -> None:
        super().__init__(by=by, dry_run=dry_run, preview_rows=preview_rows)
        self.activity = activity
        self.activities: dict[int, Activity | None] = {}

    def _parse(self, number: int, row: RowDict) -> tuple[_Parsed | None, list[str]]:
        problems: list[str] = []
        raw_activity = row.get("活动编号", "").strip()
        activity_id = None
        if raw_activity:
            try:
                activity_id = int(raw_activity)
            except ValueError:
                problems.append(_("活动编号“%(v)s”应为数字。") % {"v": raw_activity})
            if self.activity is not None and activity_id not in (None, self.activity.pk):
                problems.append(
                    _("活动编号%(v)s与所选活动（编号%(a)d）不符。")
                    % {"v": raw_activity, "a": self.activity.pk}
                )
        elif self.activity is not None:
            activity_id = self.activity.pk
        else:
            problems.append(_("活动编号不能为空。"))
        name = ""
        if row.get("姓名", "").strip():
            try:
                name = clean_name(row["姓名"])
            except ValidationError as exc:
                problems.extend(exc.messages)
        id_hash = ""
        try:
            id_hash = crypto.hash_id_number(parse_id_number(row.get("公民身份号码", "")).number)
        except ValidationError as exc:
            problems.extend(exc.messages)
        if problems:
            return None, problems
        return _Parsed(row=number, activity_id=activity_id, name=name, id_hash=id_hash), []

    def _load_activities(self, ids: set[int]) -> None:
        missing = ids - self.activities.keys()
        if missing:
            found = {
                a.pk: a for a in Activity.objects.filter(pk__in=missing).select_related("union")
            }
            for pk in missing:
                self.activities[pk] = found.get(pk)

    def parse_row(self, number: int, values: RowDict) -> tuple[_Parsed | None, list[str]]:
        return self._parse(number, values)

    def row_key(self, item: _Parsed) -> tuple[int, str]:
        return (item.activity_id, item.id_hash)

    def process_batch(self, rows: list[ParsedRow]) -> None:
        self._load_activities({r.item.activity_id for r in rows})
        memberships: dict[str, list[Member]] = {}
        for m in Member.objects.filter(id_number_hash__in={r.item.id_hash for r in rows}):
            memberships.setdefault(m.id_number_hash, []).append(m)

        chosen: list[tuple[ParsedRow, Activity, Member]] = []
        for r in rows:
            p: _Parsed = r.item
            problems: list[str] = []
            activity = self._check_activity(p.activity_id, problems)
            member = None
            if activity is not None:
                member = self._member_on(activity, memberships.get(p.id_hash, []), problems)
            if member is not None and p.name and p.name != member.name:
                problems.append(
                    _("姓名与会员库登记的“%(n)s”不一致，请核对公民身份号码。") % {"n": member.name}
                )
            if problems:
                self.refuse(p.row, problems)
            else:
                chosen.append((r, activity, member))
        if not self.writing or not chosen:
            return  # nothing will be written: only keep checking

        existing = set(
            Attendance.objects.filter(
                Q(activity_id__in={a.pk for _r, a, _m in chosen}),
                Q(member_id__in={m.pk for _r, _a, m in chosen}),
            ).values_list("activity_id", "member_id")
        )
        new: list[Attendance] = []
        for r, activity, member in chosen:
            if (activity.pk, member.pk) in existing:
                self.note(r.number, "skip", r.values)
            else:
                new.append(
                    Attendance(
                        activity=activity,
                        member=member,
                        method=Attendance.Method.IMPORT,
                        recorded_by=self.staff_user,
                    )
                )
                self.note(r.number, "new", r.values)
        if new:
            # ignore_conflicts: a worker scanning the QR code while the sheet loads already
            # counts once; the sheet's row then adds nothing (ON CONFLICT DO NOTHING).
            Attendance.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)

    def _check_activity(self, activity_id: int, problems: list[str]) -> Activity | None:
        activity = self.activities.get(activity_id)
        if activity is None:
            problems.append(_("活动编号%(v)d不存在。") % {"v": activity_id})
        elif not in_scope(self.by, activity.union):
            problems.append(
                _("活动“%(t)s”（编号%(v)d）不在您的管辖范围内。")
                % {"t": activity.title, "v": activity_id}
            )
        else:
            return activity
        return None

    @staticmethod
    def _member_on(activity: Activity, rows: list[Member], problems: list[str]) -> Member | None:
        """The membership that was current on the activity's day (a person who left and rejoined
        has two rows)."""
        day = timezone.localtime(activity.starts_at).date()
        for m in rows:
            if m.joined_on <= day and (m.left_on is None or m.left_on >= day):
                return m
        if rows:
            problems.append(_("此人在活动当日（%(d)s）不是在会会员。") % {"d": day.isoformat()})
        else:
            problems.append(_("会员库中没有此公民身份号码，请先录入会员名册。"))
        return None


def attendance_import(
    *,
    rows: Iterable[tuple[int, RowDict]],
    by: Actor,
    activity: Activity | None = None,
    dry_run: bool = False,
    preview_rows: int = 0,
) -> ImportReport:
    """Import attendance rows ((row number, {header: text}), e.g. from `attendance_rows`). All or
    nothing; `by` is a staff user (only their tree's activities are accepted) or the system."""
    require_can_write(by)
    if activity is not None:
        require_in_scope(by, activity.union)
    importer = AttendanceImport(
        by=by, activity=activity, dry_run=dry_run, preview_rows=preview_rows
    )
    return importer.run_rows(rows)
