"""Going live: enterprises by file (name, credit code with its check character, union, industry,
规上, 国有); a blank cell leaves an existing enterprise's field alone."""

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
from members.actors import Actor
from members.golive._common import NOT_FOUND, _Cells, _yes_no, parse_flag, parse_industry
from members.models import Enterprise, Union
from members.scoping import in_scope, require_can_write
from members.validators import normalize_credit_code

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
