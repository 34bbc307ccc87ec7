"""Going live: the union tree by file (code, name, level, parent code), parents before or after
their children in the same file, written parents first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from common.importing import (
    FieldChange,
    ImportReport,
    ParsedRow,
    RowDict,
    TableImport,
)
from members.actors import Actor, SystemActor
from members.golive._common import NOT_FOUND, Level, _Cells, _yes_no, parse_flag, parse_level
from members.models import Union
from members.scoping import in_scope, is_city_staff, require_can_write
from members.services import ALLOWED_PARENT_LEVELS

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
