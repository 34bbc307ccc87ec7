"""Records clerks bring in bulk, on the one importer loop (common.importing.TableImport): the
建议/提案 assigned to the unions (交办清单) and 三访日 visit logs. All or nothing; a union code
outside the clerk's tree is answered like one that does not exist; a file imported twice adds
nothing the second time (a row matching a record already kept is left alone)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from common.importing import FieldChange, ImportReport, ParsedRow, RowDict, TableImport
from members.actors import Actor
from members.fields import parse_date
from members.models import Enterprise, EnterpriseYear, Union
from members.scoping import NOT_IN_SCOPE, references, require_can_write
from members.validators import normalize_credit_code
from welfare.models import LeadershipVisit, Proposal
from welfare.services.proposals import proposal_receive
from welfare.services.visits_by_leaders import (
    leadership_visit_matter_raise,
    leadership_visit_record,
)
from welfare.services.wages import FIRST_STATISTICS_YEAR, enterprise_year_record

PROPOSAL_HEADERS = [
    "类别",
    "编号",
    "标题",
    "提出人",
    "承办工会编码",
    "承办方式",
    "主办单位",
    "交办日期",
    "答复期限",
]
PROPOSAL_REQUIRED = ["类别", "标题", "提出人", "承办工会编码", "承办方式", "交办日期", "答复期限"]

VISIT_HEADERS = [
    "组织工会编码",
    "领导姓名",
    "领导职务",
    "方式",
    "日期",
    "地点",
    "接待走访对象",
    "人数",
    "反映问题",
    "解决情况",
    "跟踪事项",
]
VISIT_REQUIRED = ["组织工会编码", "领导姓名", "领导职务", "方式", "日期", "地点", "接待走访对象"]


def _choice(values: RowDict, column: str, choices, problems: list[str]) -> str:
    """A choice named by its Chinese label (主办, 下访, 政协提案, ...)."""
    text = values.get(column, "").strip()
    by_label = {str(label): value for value, label in choices}
    if text in by_label:
        return by_label[text]
    problems.append(
        _("%(col)s“%(v)s”无效，应为：%(options)s。")
        % {"col": column, "v": text, "options": "、".join(by_label)}
    )
    return ""


def _date(values: RowDict, column: str, problems: list[str]):
    try:
        return parse_date(values.get(column, ""), label=column)
    except ValidationError as exc:
        problems.extend(exc.messages)
        return None


def _required(values: RowDict, columns: list[str], problems: list[str]) -> None:
    for column in columns:
        if not values.get(column, "").strip():
            problems.append(_("%(col)s不能为空。") % {"col": column})


class _UnionCodeImport(TableImport):
    union_column: str

    def unions(self, rows: list[ParsedRow]) -> dict[str, Union]:
        codes = {r.item.union_code for r in rows}
        return {u.code: u for u in references(Union, self.by).filter(code__in=codes)}

    def union_problem(self, code: str) -> list[str]:
        return [
            _("%(col)s“%(code)s”%(msg)s")
            % {"col": self.union_column, "code": code, "msg": NOT_IN_SCOPE}
        ]

    def write(self, number: int, values: RowDict, call) -> None:
        """Write one row through its service; a refusal by the service's rules is the row's."""
        try:
            call()
        except ValidationError as exc:
            self.refuse(number, exc.messages)
        except PermissionDenied as exc:
            self.refuse(number, [str(exc)])
        else:
            self.note(number, "new", values)


# --- 建议/提案交办清单 ---------------------------------------------------------------------------


@dataclass(slots=True)
class _ProposalRow:
    union_code: str
    data: dict = field(default_factory=dict)


class ProposalImport(_UnionCodeImport):
    headers = PROPOSAL_HEADERS
    required = PROPOSAL_REQUIRED
    union_column = "承办工会编码"
    duplicate_message = _lazy("与第%(n)d行重复（同一类别、编号和承办工会）。")

    def parse_row(self, number: int, values: RowDict):
        problems: list[str] = []
        _required(values, ["标题", "提出人", "承办工会编码"], problems)
        data = {
            "source": _choice(values, "类别", Proposal.Source.choices, problems),
            "role": _choice(values, "承办方式", Proposal.Role.choices, problems),
            "received_on": _date(values, "交办日期", problems),
            "due_on": _date(values, "答复期限", problems),
            "number": values.get("编号", "").strip(),
            "title": values.get("标题", "").strip(),
            "proposer": values.get("提出人", "").strip(),
            "lead_unit": values.get("主办单位", "").strip(),
        }
        if problems:
            return None, problems
        return _ProposalRow(values["承办工会编码"].strip(), data), []

    def row_key(self, item: _ProposalRow):
        if not item.data["number"]:
            return None
        return (item.data["source"], item.data["number"], item.union_code)

    def process_batch(self, rows: list[ParsedRow]) -> None:
        unions = self.unions(rows)
        for r in rows:
            union = unions.get(r.item.union_code)
            if union is None:
                self.refuse(r.number, self.union_problem(r.item.union_code))
                continue
            if not self.writing:
                continue
            data = r.item.data
            same = Proposal.objects.filter(
                union=union, source=data["source"], title=data["title"]
            ).filter(number=data["number"], received_on=data["received_on"])
            if same.exists():
                self.note(r.number, "skip", r.values)
                continue
            self.write(
                r.number,
                r.values,
                lambda u=union, d=data: proposal_receive(union=u, by=self.by, **d),
            )


def proposal_import(
    *, table: Iterable[tuple[int, list[str]]], by: Actor, dry_run: bool = False, preview_rows=0
) -> ImportReport:
    """Register the 建议/提案 listed in `table` (header row first). All or nothing."""
    require_can_write(by)
    return ProposalImport(by=by, dry_run=dry_run, preview_rows=preview_rows).run(table)


# --- 三访日台账 ----------------------------------------------------------------------------------

MATTER_SEPARATOR = re.compile(r"[；;\n]+")


@dataclass(slots=True)
class _VisitRow:
    union_code: str
    data: dict = field(default_factory=dict)
    matters: list[str] = field(default_factory=list)


class LeadershipVisitImport(_UnionCodeImport):
    headers = VISIT_HEADERS
    required = VISIT_REQUIRED
    union_column = "组织工会编码"

    def parse_row(self, number: int, values: RowDict):
        problems: list[str] = []
        _required(
            values, ["组织工会编码", "领导姓名", "领导职务", "地点", "接待走访对象"], problems
        )
        people = values.get("人数", "").strip() or "0"
        if not people.isdigit():
            problems.append(_("人数应为整数。"))
        data = {
            "kind": _choice(values, "方式", LeadershipVisit.Kind.choices, problems),
            "visited_on": _date(values, "日期", problems),
            "leader_name": values.get("领导姓名", "").strip(),
            "leader_post": values.get("领导职务", "").strip(),
            "place": values.get("地点", "").strip(),
            "met": values.get("接待走访对象", "").strip(),
            "people_met": int(people) if people.isdigit() else 0,
            "raised": values.get("反映问题", "").strip(),
            "solved": values.get("解决情况", "").strip(),
        }
        matters = [
            m.strip() for m in MATTER_SEPARATOR.split(values.get("跟踪事项", "")) if m.strip()
        ]
        if any(len(m) > 200 for m in matters):
            problems.append(_("跟踪事项每项不超过200字，多项以“；”分隔。"))
        if problems:
            return None, problems
        return _VisitRow(values["组织工会编码"].strip(), data, matters), []

    def row_key(self, item: _VisitRow):
        d = item.data
        return (item.union_code, d["leader_name"], d["kind"], d["visited_on"], d["place"])

    def process_batch(self, rows: list[ParsedRow]) -> None:
        unions = self.unions(rows)
        for r in rows:
            item: _VisitRow = r.item
            union = unions.get(item.union_code)
            if union is None:
                self.refuse(r.number, self.union_problem(item.union_code))
                continue
            if not self.writing:
                continue
            d = item.data
            same = LeadershipVisit.objects.filter(
                union=union,
                leader_name=d["leader_name"],
                kind=d["kind"],
                visited_on=d["visited_on"],
                place=d["place"],
            )
            if same.exists():
                self.note(r.number, "skip", r.values)
                continue

            def call(union=union, item=item):
                visit = leadership_visit_record(union=union, by=self.by, **item.data)
                for matter in item.matters:
                    leadership_visit_matter_raise(
                        visit=visit,
                        raised_by_name=item.data["met"][:50],
                        subject=matter,
                        body=matter,
                        by=self.by,
                    )

            self.write(r.number, r.values, call)


def leadership_visit_import(
    *, table: Iterable[tuple[int, list[str]]], by: Actor, dry_run: bool = False, preview_rows=0
) -> ImportReport:
    """Record the 三访日 visits listed in `table`; each 跟踪事项 (separated by ；) becomes a
    职工心声 concern of the visit's union. All or nothing."""
    require_can_write(by)
    return LeadershipVisitImport(by=by, dry_run=dry_run, preview_rows=preview_rows).run(table)


# --- 企业年度信息（规上、建会） -------------------------------------------------------------------

ENTERPRISE_YEAR_HEADERS = ["统一社会信用代码", "企业名称", "年度", "规上企业", "已建会"]
ENTERPRISE_YEAR_REQUIRED = ["统一社会信用代码", "年度", "规上企业", "已建会"]
YES = {"是", "Y", "YES", "1", "TRUE", "√"}
NO = {"否", "N", "NO", "0", "FALSE", "×"}


def _yes_no(values: RowDict, column: str, problems: list[str]) -> bool:
    text = values.get(column, "").strip().upper()
    if text in YES:
        return True
    if text in NO:
        return False
    problems.append(_("%(col)s应填“是”或“否”。") % {"col": column})
    return False


def _shown(flag: bool) -> str:
    return _("是") if flag else _("否")


@dataclass(slots=True)
class _EnterpriseYearRow:
    credit_code: str
    year: int
    above_designated_size: bool
    has_union: bool


class EnterpriseYearImport(TableImport):
    """The year's list of enterprises with 规上 and 建会, as the statistics bureau and the union
    organisation department compile it. A row for an enterprise and year already recorded
    corrects it (before → after in the preview); the enterprise must be one of the clerk's tree
    (by its credit code), answered like a code that does not exist otherwise."""

    headers = ENTERPRISE_YEAR_HEADERS
    required = ENTERPRISE_YEAR_REQUIRED
    masked_columns = ()
    duplicate_message = _lazy("与第%(n)d行重复（同一企业、同一年度）。")

    def parse_row(self, number: int, values: RowDict):
        problems: list[str] = []
        try:
            code = normalize_credit_code(values.get("统一社会信用代码", ""))
        except ValidationError as exc:
            problems.extend(exc.messages)
            code = ""
        year_text = values.get("年度", "").strip().removesuffix("年")
        year = int(year_text) if year_text.isdigit() else 0
        latest = timezone.localdate().year + 1
        if not FIRST_STATISTICS_YEAR <= year <= latest:
            problems.append(
                _("年度应为%(a)d至%(b)d之间的年份。") % {"a": FIRST_STATISTICS_YEAR, "b": latest}
            )
        above = _yes_no(values, "规上企业", problems)
        unionised = _yes_no(values, "已建会", problems)
        if problems:
            return None, problems
        return _EnterpriseYearRow(code, year, above, unionised), []

    def row_key(self, item: _EnterpriseYearRow):
        return (item.credit_code, item.year)

    def process_batch(self, rows: list[ParsedRow]) -> None:
        codes = {r.item.credit_code for r in rows}
        enterprises = {
            e.credit_code: e
            for e in references(Enterprise, self.by)
            .filter(credit_code__in=codes)
            .select_related("union")
        }
        known = {
            (y.enterprise_id, y.year): y
            for y in EnterpriseYear.objects.filter(
                enterprise__in=enterprises.values(), year__in={r.item.year for r in rows}
            )
        }
        for r in rows:
            item: _EnterpriseYearRow = r.item
            enterprise = enterprises.get(item.credit_code)
            if enterprise is None:
                self.refuse(
                    r.number,
                    [
                        _("统一社会信用代码“%(c)s”%(msg)s")
                        % {"c": item.credit_code, "msg": NOT_IN_SCOPE}
                    ],
                )
                continue
            if not self.writing:
                continue
            before = known.get((enterprise.pk, item.year))
            changes = []
            if before is not None:
                for label, name in (("规上企业", "above_designated_size"), ("已建会", "has_union")):
                    old, new = getattr(before, name), getattr(item, name)
                    if old != new:
                        changes.append(FieldChange(label, _shown(old), _shown(new)))
                if not changes:
                    self.note(r.number, "skip", r.values)
                    continue
            try:
                enterprise_year_record(
                    enterprise=enterprise,
                    year=item.year,
                    above_designated_size=item.above_designated_size,
                    has_union=item.has_union,
                    by=self.by,
                )
            except ValidationError as exc:
                self.refuse(r.number, exc.messages)
            except PermissionDenied as exc:
                self.refuse(r.number, [str(exc)])
            else:
                self.note(r.number, "update" if before else "new", r.values, changes)


def enterprise_year_import(
    *, table: Iterable[tuple[int, list[str]]], by: Actor, dry_run: bool = False, preview_rows=0
) -> ImportReport:
    """Record 规上 and 建会 per enterprise and year from `table` (header row first). All or
    nothing; importing the same file twice changes nothing the second time."""
    require_can_write(by)
    return EnterpriseYearImport(by=by, dry_run=dry_run, preview_rows=preview_rows).run(table)
