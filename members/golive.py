"""Going live (上线导入): a federation brings what it has onto the portal in three files, each on the
one importer loop (common.importing.TableImport), in the admin and as commands, with the roster's
rules: all or nothing, every problem of a row on one line, rows in the file's order, the clerk's
own tree as the bound, an ImportBatch kept for a written import, a second run changing nothing.

- the union tree (工会组织导入, `union_tree_import`): code, name, level, parent code. A parent may
  come anywhere in the file, before or after its children: the whole tree is one batch (a city's
  tree is a few thousand rows), resolved within the file and against the unions already there;
  an unknown parent and a cycle are row errors. Only city staff bring in district unions, and only
  the system (or a superuser) a city federation.
- enterprises (企业单位导入, `enterprise_import`): name, unified social credit code (with its
  check character), union, industry, the 规上 and 国有 flags.
- staff accounts (工作人员账号导入, `staff_import`): username, name, union, role, phone. Accounts are
  made with no usable password; the person sets one by an SMS code to the phone on file
  (members.password_reset). No one grants a role above their own.

Codes, levels and roles of the tree are not changed by an import: a union already there with
another parent or level, an account already there with another union or role, is a row error
pointing to the admin, where such a change is a decision of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils import timezone
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
from members.actors import Actor, SystemActor
from members.fields import clean_name
from members.models import Enterprise, StaffProfile, Union
from members.roles import ensure_role_groups
from members.scoping import in_scope, is_city_staff, require_can_write, sees_whole_city
from members.services import ALLOWED_PARENT_LEVELS, ROLE_RANK, staff_create
from members.validators import normalize_credit_code, normalize_mobile

Level = Union.Level
Role = StaffProfile.Role

NOT_FOUND = _lazy("%(label)s“%(c)s”不存在或不在您的管辖范围内。")


# --- cells -------------------------------------------------------------------------------------

YES = {"是", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "n", "no", "false", "0", "×"}


def parse_flag(raw: str, *, label: str) -> bool | None:
    """是/否 (or Y/N, 1/0); None for an empty cell (leave as it is)."""
    value = (raw or "").strip().lower()
    if not value:
        return None
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValidationError(
        _("%(label)s应填“是”或“否”，这里是“%(v)s”。") % {"label": label, "v": raw}
    )


def _choice(raw: str, choices, *, label: str, aliases: dict[str, str] | None = None) -> str:
    """A choice by its Chinese label, its value or an alias a clerk would type."""
    value = (raw or "").strip()
    by_label = {str(choice.label): choice.value for choice in choices}
    found = (
        by_label.get(value)
        or (value if value in choices.values else None)
        or (aliases or {}).get(value)
    )
    if found is None:
        raise ValidationError(
            _("%(label)s“%(v)s”无法识别，可填：%(options)s。")
            % {"label": label, "v": raw, "options": "、".join(by_label)}
        )
    return found


LEVEL_ALIASES = {
    "市总": Level.CITY,
    "市级": Level.CITY,
    "区县": Level.DISTRICT,
    "区县级": Level.DISTRICT,
    "乡镇": Level.TOWNSHIP,
    "街道": Level.TOWNSHIP,
    "乡镇(街道)": Level.TOWNSHIP,
    "乡镇（街道）工会": Level.TOWNSHIP,
    "基层": Level.GRASSROOTS,
}
ROLE_ALIASES = {"乡镇（街道）管理员": Role.TOWNSHIP_ADMIN, "领导": Role.LEADERSHIP}
# Which level of union each role keeps (leadership reads at any level).
ROLE_LEVEL = {
    Role.CITY_ADMIN: Level.CITY,
    Role.DISTRICT_ADMIN: Level.DISTRICT,
    Role.TOWNSHIP_ADMIN: Level.TOWNSHIP,
    Role.GRASSROOTS_ADMIN: Level.GRASSROOTS,
}


def parse_level(raw: str) -> str:
    return _choice(raw, Level, label=_("层级"), aliases=LEVEL_ALIASES)


def parse_role(raw: str) -> str:
    return _choice(raw, Role, label=_("角色"), aliases=ROLE_ALIASES)


def parse_industry(raw: str) -> str:
    value = (raw or "").strip().upper()
    return _choice(value if len(value) == 1 else raw, Enterprise.Industry, label=_("所属行业"))


def _yes_no(value: bool) -> str:
    return _("是") if value else _("否")


class _Cells:
    """Collects every problem of a row while its cells are read."""

    def __init__(self, values: RowDict) -> None:
        self.values = values
        self.problems: list[str] = []

    def text(self, header: str) -> str:
        return " ".join((self.values.get(header) or "").split())

    def attempt(self, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ValidationError as exc:
            self.problems.extend(exc.messages)
            return None

    def required(self, header: str, *, max_length: int) -> str:
        value = self.text(header)
        if not value:
            self.problems.append(_("%(h)s不能为空。") % {"h": header})
        elif len(value) > max_length:
            self.problems.append(_("%(h)s过长（最多%(n)d个字）。") % {"h": header, "n": max_length})
        return value


def _importer_rank(by: Actor) -> int:
    """The highest role the actor may grant: anything for the system or a superuser."""
    if sees_whole_city(by):
        return max(ROLE_RANK.values())
    profile = getattr(by, "staff_profile", None)
    return ROLE_RANK.get(profile.role, -1) if profile is not None else -1


# --- the union tree ----------------------------------------------------------------------------

UNION_HEADERS = ["工会编码", "工会名称", "层级", "上级工会编码", "联合工会"]
UNION_REQUIRED = ["工会编码", "工会名称", "层级", "上级工会编码"]


@dataclass(slots=True)
class _UnionRow:
    number: int
    code: str
    name: str
    level: str
    parent_code: str
    is_joint: bool | None
    values: RowDict


class UnionTreeImport(TableImport):
    headers = UNION_HEADERS
    required = UNION_REQUIRED
    # The whole tree in one batch, so a parent may come after its children anywhere in the file.
    batch_size = 100_000
    duplicate_message = _lazy("工会编码与第%(n)d行重复。")
    audit_kind = "工会组织"
    record_column = "工会编码"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # Every code of the file, bad rows too: a child names its parent's row when that row is bad.
        self.rows_by_code: dict[str, int] = {}

    def parse_row(self, number: int, values: RowDict) -> tuple[_UnionRow | None, list[str]]:
        cells = _Cells(values)
        code = cells.required("工会编码", max_length=32).replace(" ", "")
        if code:
            self.rows_by_code.setdefault(code, number)
        if "/" in code:
            cells.problems.append(_("工会编码不能含有“/”。"))
        name = cells.required("工会名称", max_length=100)
        level = cells.attempt(parse_level, cells.text("层级")) if cells.text("层级") else None
        if level is None and not cells.text("层级"):
            cells.problems.append(_("层级不能为空。"))
        parent_code = cells.text("上级工会编码").replace(" ", "")
        if level and level != Level.CITY and not parent_code:
            cells.problems.append(_("上级工会编码不能为空（除市总工会外）。"))
        if level == Level.CITY and parent_code:
            cells.problems.append(_("市总工会没有上级工会，上级工会编码应留空。"))
        if parent_code and parent_code == code:
            cells.problems.append(_("上级工会编码不能是本工会的编码。"))
        is_joint = cells.attempt(parse_flag, cells.text("联合工会"), label=_("联合工会"))
        if cells.problems:
            return None, cells.problems
        return _UnionRow(number, code, name, level, parent_code, is_joint, values), []

    def row_key(self, item: _UnionRow) -> str:
        return item.code

    def process_batch(self, rows: list[ParsedRow]) -> None:
        items: list[_UnionRow] = [r.item for r in rows]
        in_file = {item.code: item for item in items}
        codes = set(in_file) | {i.parent_code for i in items if i.parent_code}
        known = {u.code: u for u in Union.objects.filter(code__in=codes).select_related("parent")}
        # A code of the file already in the system is that union: its parent is what it has.
        new_rows = {code: item for code, item in in_file.items() if code not in known}

        problems: dict[int, list[str]] = {item.number: [] for item in items}
        depth: dict[str, int] = {}
        for item in new_rows.values():
            self._check_level_rights(item, problems[item.number])
            self._check_parent(item, known, in_file, problems[item.number])
        for cycle in _cycles(new_rows, known):
            chain = " → ".join([*cycle, cycle[0]])
            for code in cycle:
                problems[new_rows[code].number].append(
                    _("上级工会关系形成循环：%(chain)s。") % {"chain": chain}
                )
        changed: list[tuple[Union, _UnionRow, list[FieldChange]]] = []
        for item in items:
            if item.code in known:
                change = self._check_existing(known[item.code], item, problems[item.number])
                if change is not None:
                    changed.append(change)
        for item in items:
            if problems[item.number]:
                self.refuse(item.number, problems[item.number])
        if not self.writing:
            return

        for item in new_rows.values():
            depth[item.code] = _depth(item.code, new_rows)
        created: dict[str, Union] = {}
        now = timezone.now()
        for level_depth in sorted(set(depth.values())):
            batch = []
            for item in new_rows.values():
                if depth[item.code] != level_depth:
                    continue
                parent = known.get(item.parent_code) or created.get(item.parent_code)
                union = Union(
                    code=item.code,
                    name=item.name,
                    level=item.level,
                    parent=parent,
                    is_joint=bool(item.is_joint),
                    path=f"{parent.path if parent else ''}{item.code}/",
                )
                batch.append(union)
                created[item.code] = union
            # Parents first, a level at a time: bulk_create returns the keys the next level needs.
            Union.objects.bulk_create(batch, batch_size=1000)
        updates = []
        for union, _item, _changes in changed:
            union.updated_at = now
            updates.append(union)
        if updates:
            Union.objects.bulk_update(updates, ["name", "is_joint", "updated_at"], batch_size=1000)
        changes_by_row = {item.number: changes for _u, item, changes in changed}
        for item in items:
            if item.code in new_rows:
                self.note(item.number, "new", item.values)
            elif item.number in changes_by_row:
                self.note(item.number, "update", item.values, changes_by_row[item.number])
            else:
                self.note(item.number, "skip", item.values)

    def _check_level_rights(self, item: _UnionRow, problems: list[str]) -> None:
        by = self.by
        if item.level == Level.CITY and not (
            isinstance(by, SystemActor) or getattr(by, "is_superuser", False)
        ):
            problems.append(_("只有系统管理员可以建立市总工会。"))
        elif item.level == Level.DISTRICT and not (
            isinstance(by, SystemActor) or is_city_staff(by)
        ):
            problems.append(_("只有市总工作人员可以导入区县工会。"))

    def _check_parent(
        self,
        item: _UnionRow,
        known: dict[str, Union],
        in_file: dict[str, _UnionRow],
        problems: list[str],
    ) -> None:
        if item.level == Level.CITY:
            return
        parent = known.get(item.parent_code)
        if parent is not None:
            if not in_scope(self.by, parent):
                problems.append(NOT_FOUND % {"label": _("上级工会编码"), "c": item.parent_code})
                return
            parent_level = parent.level
        elif item.parent_code in in_file:
            parent_level = in_file[item.parent_code].level
        elif item.parent_code in self.rows_by_code:
            problems.append(
                _("上级工会（第%(n)d行）有错误，请先改正该行。")
                % {"n": self.rows_by_code[item.parent_code]}
            )
            return
        else:
            problems.append(
                _("上级工会编码“%(c)s”在本文件和系统中都不存在（或不在您的管辖范围内）。")
                % {"c": item.parent_code}
            )
            return
        if parent_level not in ALLOWED_PARENT_LEVELS[item.level]:
            problems.append(
                _("%(level)s不能挂在%(parent_level)s之下（上级工会编码“%(c)s”）。")
                % {
                    "level": Level(item.level).label,
                    "parent_level": Level(parent_level).label,
                    "c": item.parent_code,
                }
            )

    def _check_existing(
        self, union: Union, item: _UnionRow, problems: list[str]
    ) -> tuple[Union, _UnionRow, list[FieldChange]] | None:
        if not in_scope(self.by, union):
            problems.append(_("工会编码“%(c)s”已被使用。") % {"c": item.code})
            return None
        parent_code = union.parent.code if union.parent_id else ""
        if union.level != item.level or parent_code != item.parent_code:
            problems.append(
                _(
                    "工会编码“%(c)s”已登记为%(level)s，上级工会编码“%(p)s”；"
                    "层级和上级不能通过导入修改，请在后台办理。"
                )
                % {"c": item.code, "level": union.get_level_display(), "p": parent_code or "—"}
            )
            return None
        changes = []
        if union.name != item.name:
            changes.append(FieldChange("工会名称", union.name, item.name))
            union.name = item.name
        if item.is_joint is not None and union.is_joint != item.is_joint:
            changes.append(FieldChange("联合工会", _yes_no(union.is_joint), _yes_no(item.is_joint)))
            union.is_joint = item.is_joint
        return (union, item, changes) if changes else None


def _cycles(new_rows: dict[str, _UnionRow], known: dict[str, Union]) -> list[list[str]]:
    """Each loop of new rows whose parents lead back to themselves (A under B, B under A)."""
    cycles: list[list[str]] = []
    done: set[str] = set()
    for start in new_rows:
        path: list[str] = []
        on_path: set[str] = set()
        code = start
        while code in new_rows and code not in known and code not in done:
            if code in on_path:
                cycles.append(path[path.index(code) :])
                break
            path.append(code)
            on_path.add(code)
            code = new_rows[code].parent_code
        done.update(path)
    return cycles


def _depth(code: str, new_rows: dict[str, _UnionRow]) -> int:
    depth = 0
    while (parent := new_rows[code].parent_code) in new_rows:
        code = parent
        depth += 1
    return depth


def union_tree_import(
    *,
    table: Iterable[tuple[int, list[str]]],
    by: Actor,
    dry_run: bool = False,
    preview_rows: int = 0,
    file_name: str = "",
    sha256: str = "",
) -> ImportReport:
    """Import a union tree file (`table`: rows of `common.spreadsheets.iter_rows`). All or nothing."""
    require_can_write(by)
    importer = UnionTreeImport(
        by=by, dry_run=dry_run, preview_rows=preview_rows, file_name=file_name, sha256=sha256
    )
    return importer.run(table)


# --- enterprises -------------------------------------------------------------------------------

ENTERPRISE_HEADERS = [
    "单位名称",
    "统一社会信用代码",
    "所属工会编码",
    "所属行业",
    "规上企业",
    "国有企业",
]
ENTERPRISE_REQUIRED = ["单位名称", "统一社会信用代码", "所属工会编码"]


@dataclass(slots=True)
class _EnterpriseRow:
    number: int
    name: str
    credit_code: str
    union_code: str
    industry: str | None
    above_designated_size: bool | None
    is_state_owned: bool | None
    values: RowDict


class EnterpriseImport(TableImport):
    headers = ENTERPRISE_HEADERS
    required = ENTERPRISE_REQUIRED
    duplicate_message = _lazy("统一社会信用代码与第%(n)d行重复。")
    audit_kind = "企业单位"
    record_column = "统一社会信用代码"

    def parse_row(self, number: int, values: RowDict) -> tuple[_EnterpriseRow | None, list[str]]:
        cells = _Cells(values)
        name = cells.required("单位名称", max_length=200)
        credit = cells.text("统一社会信用代码")
        credit_code = cells.attempt(normalize_credit_code, credit) if credit else None
        if not credit:
            cells.problems.append(_("统一社会信用代码不能为空。"))
        union_code = cells.required("所属工会编码", max_length=32)
        industry = (
            cells.attempt(parse_industry, cells.text("所属行业"))
            if cells.text("所属行业")
            else None
        )
        above = cells.attempt(parse_flag, cells.text("规上企业"), label=_("规上企业"))
        state = cells.attempt(parse_flag, cells.text("国有企业"), label=_("国有企业"))
        if cells.problems:
            return None, cells.problems
        return (
            _EnterpriseRow(number, name, credit_code, union_code, industry, above, state, values),
            [],
        )

    def row_key(self, item: _EnterpriseRow) -> str:
        return item.credit_code

    def process_batch(self, rows: list[ParsedRow]) -> None:
        items: list[_EnterpriseRow] = [r.item for r in rows]
        unions = {u.code: u for u in Union.objects.filter(code__in={i.union_code for i in items})}
        existing = {
            e.credit_code: e
            for e in Enterprise.objects.filter(
                credit_code__in=[i.credit_code for i in items]
            ).select_related("union")
        }
        new: list[tuple[_EnterpriseRow, Enterprise]] = []
        changed: list[tuple[_EnterpriseRow, Enterprise, list[FieldChange]]] = []
        unchanged: list[_EnterpriseRow] = []
        for item in items:
            problems: list[str] = []
            union = unions.get(item.union_code)
            if union is None or not in_scope(self.by, union):
                problems.append(NOT_FOUND % {"label": _("所属工会编码"), "c": item.union_code})
            current = existing.get(item.credit_code)
            if current is not None and not in_scope(self.by, current.union):
                problems.append(
                    _("统一社会信用代码 %(c)s 已由其他工会登记。") % {"c": item.credit_code}
                )
            if problems:
                self.refuse(item.number, problems)
                continue
            if current is None:
                new.append(
                    (
                        item,
                        Enterprise(
                            name=item.name,
                            credit_code=item.credit_code,
                            union=union,
                            industry=item.industry or "",
                            above_designated_size=bool(item.above_designated_size),
                            is_state_owned=bool(item.is_state_owned),
                        ),
                    )
                )
            elif changes := _enterprise_changes(current, item, union):
                changed.append((item, current, changes))
            else:
                unchanged.append(item)
        if not self.writing:
            return
        if new:
            Enterprise.objects.bulk_create([e for _i, e in new], batch_size=1000)
        if changed:
            now = timezone.now()
            for _item, enterprise, _changes in changed:
                enterprise.updated_at = now
            Enterprise.objects.bulk_update(
                [e for _i, e, _c in changed],
                [
                    "name",
                    "union",
                    "industry",
                    "above_designated_size",
                    "is_state_owned",
                    "updated_at",
                ],
                batch_size=1000,
            )
        outcomes = (
            [(i.number, "new", i.values, None) for i, _e in new]
            + [(i.number, "update", i.values, c) for i, _e, c in changed]
            + [(i.number, "skip", i.values, None) for i in unchanged]
        )
        for number, kind, values, changes in sorted(outcomes, key=lambda o: o[0]):
            self.note(number, kind, values, changes)


def _enterprise_changes(
    enterprise: Enterprise, item: _EnterpriseRow, union: Union
) -> list[FieldChange]:
    """Bring an enterprise in line with the row; what the row leaves empty stays as it is."""
    changes: list[FieldChange] = []
    if enterprise.name != item.name:
        changes.append(FieldChange("单位名称", enterprise.name, item.name))
        enterprise.name = item.name
    if enterprise.union_id != union.pk:
        changes.append(FieldChange("所属工会编码", enterprise.union.code, union.code))
        enterprise.union = union
    if item.industry is not None and enterprise.industry != item.industry:
        changes.append(
            FieldChange(
                "所属行业",
                enterprise.get_industry_display() if enterprise.industry else "",
                str(Enterprise.Industry(item.industry).label),
            )
        )
        enterprise.industry = item.industry
    for label, attr in (("规上企业", "above_designated_size"), ("国有企业", "is_state_owned")):
        given = getattr(item, attr)
        if given is not None and getattr(enterprise, attr) != given:
            changes.append(FieldChange(label, _yes_no(getattr(enterprise, attr)), _yes_no(given)))
            setattr(enterprise, attr, given)
    return changes


def enterprise_import(
    *,
    table: Iterable[tuple[int, list[str]]],
    by: Actor,
    dry_run: bool = False,
    preview_rows: int = 0,
    file_name: str = "",
    sha256: str = "",
) -> ImportReport:
    """Import an enterprise file (`table`: rows of `common.spreadsheets.iter_rows`). All or
    nothing; an enterprise already registered (by its credit code) is brought in line."""
    require_can_write(by)
    importer = EnterpriseImport(
        by=by, dry_run=dry_run, preview_rows=preview_rows, file_name=file_name, sha256=sha256
    )
    return importer.run(table)


# --- staff accounts ----------------------------------------------------------------------------

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
