"""Going live: staff accounts by file (username, name, union, role, phone), created with no usable
password; their people set one by the SMS reset."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from common.importing import (
    ID_COLUMN,
    PHONE_COLUMN,
    FieldChange,
    ImportReport,
    ParsedRow,
    RowDict,
    TableImport,
    mask_phone,
)
from members.actors import Actor
from members.fields import clean_name
from members.golive._common import (
    NOT_FOUND,
    ROLE_LEVEL,
    Level,
    Role,
    _Cells,
    _importer_rank,
    parse_role,
)
from members.models import Union
from members.roles import ensure_role_groups
from members.scoping import in_scope, require_can_write
from members.services import ROLE_RANK, staff_create
from members.validators import normalize_mobile

STAFF_HEADERS = ["用户名", "姓名", "所属工会编码", "角色", "手机号码"]


STAFF_REQUIRED = STAFF_HEADERS


_username_validator = UnicodeUsernameValidator()


@dataclass(slots=True)
class _StaffRow:
    number: int
    username: str
    name: str
    union_code: str
    role: str
    phone: str
    values: RowDict


class StaffImport(TableImport):
    headers = STAFF_HEADERS
    required = STAFF_REQUIRED
    # A staff list is a few hundred rows; accounts are made through the service one by one.
    batch_size = 1000
    duplicate_message = _lazy("用户名与第%(n)d行重复。")
    audit_kind = "工作人员账号"
    record_column = "用户名"
    masked_columns = (ID_COLUMN, PHONE_COLUMN)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rank = _importer_rank(self.by)
        self.groups: dict | None = None

    def parse_row(self, number: int, values: RowDict) -> tuple[_StaffRow | None, list[str]]:
        cells = _Cells(values)
        username = cells.required("用户名", max_length=150)
        if username:
            try:
                _username_validator(username)
            except ValidationError:
                cells.problems.append(
                    _("用户名只能含字母、数字和 @ . + - _，这里是“%(u)s”。") % {"u": username}
                )
        name = cells.attempt(clean_name, cells.text("姓名"))
        union_code = cells.required("所属工会编码", max_length=32)
        role = cells.attempt(parse_role, cells.text("角色")) if cells.text("角色") else None
        if not cells.text("角色"):
            cells.problems.append(_("角色不能为空。"))
        phone = cells.attempt(normalize_mobile, cells.text("手机号码"))
        if not cells.text("手机号码"):
            cells.problems.append(_("手机号码不能为空（用于短信设置密码）。"))
        if cells.problems:
            return None, cells.problems
        return _StaffRow(number, username, name, union_code, role, phone, values), []

    def row_key(self, item: _StaffRow) -> str:
        return item.username.lower()

    def process_batch(self, rows: list[ParsedRow]) -> None:
        items: list[_StaffRow] = [r.item for r in rows]
        unions = {u.code: u for u in Union.objects.filter(code__in={i.union_code for i in items})}
        # Two accounts that differ only in case would be one person to a clerk: matched as one.
        users = {
            u.username.lower(): u
            for u in User.objects.annotate(lower_name=Lower("username"))
            .filter(lower_name__in=[i.username.lower() for i in items])
            .select_related("staff_profile__union")
        }
        plan: list[tuple[_StaffRow, str, User | None, Union, list[FieldChange]]] = []
        for item in items:
            problems: list[str] = []
            union = unions.get(item.union_code)
            if union is None or not in_scope(self.by, union):
                problems.append(NOT_FOUND % {"label": _("所属工会编码"), "c": item.union_code})
                union = None
            if ROLE_RANK[item.role] > self.rank:
                problems.append(
                    _("角色“%(r)s”高于您本人的角色，不能授予。") % {"r": Role(item.role).label}
                )
            wanted_level = ROLE_LEVEL.get(item.role)
            if union is not None and wanted_level and union.level != wanted_level:
                problems.append(
                    _("角色“%(r)s”应挂在%(want)s，“%(u)s”是%(level)s。")
                    % {
                        "r": Role(item.role).label,
                        "want": Level(wanted_level).label,
                        "u": union.name,
                        "level": union.get_level_display(),
                    }
                )
            user = users.get(item.username.lower())
            kind, changes = "new", []
            if user is not None:
                kind, changes = self._check_existing(user, item, union, problems)
            if problems:
                self.refuse(item.number, problems)
                continue
            plan.append((item, kind, user, union, changes))
        if not self.writing:
            return
        if self.groups is None:
            self.groups = ensure_role_groups()
        for item, kind, user, union, changes in plan:
            if kind == "new":
                staff_create(
                    username=item.username,
                    password=None,
                    union=union,
                    role=item.role,
                    phone=item.phone,
                    name=item.name,
                    groups=self.groups,
                )
            elif kind == "update":
                assert user is not None
                user.first_name = item.name
                user.save(update_fields=["first_name"])
                profile = user.staff_profile
                profile.phone = item.phone
                profile.save(update_fields=["phone"])
            self.note(item.number, kind, item.values, changes)

    def _check_existing(
        self, user: User, item: _StaffRow, union: Union | None, problems: list[str]
    ) -> tuple[str, list[FieldChange]]:
        profile = getattr(user, "staff_profile", None)
        if (
            user.username != item.username
            or profile is None
            or not in_scope(self.by, profile.union)
        ):
            problems.append(_("用户名“%(u)s”已被使用。") % {"u": item.username})
            return "skip", []
        if union is not None and (profile.union_id != union.pk or profile.role != item.role):
            problems.append(
                _(
                    "用户名“%(u)s”已是“%(union)s”的%(role)s；所属工会和角色不能通过导入修改，"
                    "请在后台办理。"
                )
                % {
                    "u": item.username,
                    "union": profile.union.name,
                    "role": profile.get_role_display(),
                }
            )
            return "skip", []
        changes = []
        if user.first_name != item.name:
            changes.append(FieldChange("姓名", user.first_name, item.name))
        if profile.phone != item.phone:
            changes.append(
                FieldChange(PHONE_COLUMN, mask_phone(profile.phone), mask_phone(item.phone))
            )
        return ("update" if changes else "skip"), changes


def staff_import(
    *,
    table: Iterable[tuple[int, list[str]]],
    by: Actor,
    dry_run: bool = False,
    preview_rows: int = 0,
    file_name: str = "",
    sha256: str = "",
) -> ImportReport:
    """Import staff accounts (`table`: rows of `common.spreadsheets.iter_rows`). All or nothing;
    each new account has no usable password until its person sets one by SMS code."""
    require_can_write(by)
    importer = StaffImport(
        by=by, dry_run=dry_run, preview_rows=preview_rows, file_name=file_name, sha256=sha256
    )
    return importer.run(table)
