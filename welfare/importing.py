"""Mutual aid from spreadsheets, on the one importer loop (common.importing.TableImport): rows
numbered as Excel numbers them, a few queries per batch, all or nothing, every problem of a row
named, and a file imported twice adds nothing the second time.

- Bulk enrolment from an enterprise's roster (互助参保名单导入): `enrolment_import`.
- Claims filed on paper and keyed in (互助申请批量导入): `claim_import`.

Both name a person (姓名 + 公民身份号码) and one of the plan's benefit lines (互助项目) the same
way; `_PersonLine` reads those three cells for both."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from common.importing import ImportReport, ParsedRow, RowDict, TableImport
from members import crypto
from members.actors import Actor
from members.fields import parse_date
from members.models import Member
from members.scoping import in_scope, require_can_write
from members.validators import parse_id_number
from welfare.models import BenefitLine, Claim, Enrolment, MutualAidPlan
from welfare.services import check_claim_values, claim_submit, enrolment_problems

ENROLMENT_HEADERS = ["姓名", "公民身份号码", "互助项目", "参保日期"]
ENROLMENT_REQUIRED = ["姓名", "公民身份号码", "互助项目"]


@dataclass(slots=True)
class _PersonLine:
    name: str
    id_hash: str
    line: BenefitLine


class _PlanImport(TableImport):
    """What the two mutual-aid imports share: the plan, and reading who and which line a row
    names. Each row's problems are all collected; a person outside the clerk's tree is answered
    without a word about them."""

    def __init__(
        self, *, plan: MutualAidPlan, by: Actor, dry_run: bool = False, preview_rows: int = 0
    ) -> None:
        super().__init__(by=by, dry_run=dry_run, preview_rows=preview_rows)
        self.plan = plan
        # A line is named by its project name or by its kind's label (住院医疗互助, ...).
        self.lines: dict[str, BenefitLine] = {}
        for line in plan.lines.select_related("plan"):
            self.lines[line.name] = line
            self.lines[str(line.get_kind_display())] = line

    def person_and_line(self, values: RowDict, problems: list[str]) -> _PersonLine | None:
        name = " ".join(values.get("姓名", "").split())
        if not name:
            problems.append(_("姓名不能为空。"))
        facts = None
        try:
            facts = parse_id_number(values.get("公民身份号码", ""))
        except ValidationError as exc:
            problems.extend(exc.messages)
        named = values.get("互助项目", "").strip()
        line = self.lines.get(named)
        if line is None:
            problems.append(
                _("互助项目“%(v)s”不在方案中，应为：%(options)s。")
                % {
                    "v": named,
                    "options": "、".join(sorted({ln.name for ln in self.lines.values()})),
                }
            )
        if not name or facts is None or line is None:
            return None
        return _PersonLine(name, crypto.hash_id_number(facts.number), line)

    def person_problems(self, member: Member | None, name: str) -> list[str]:
        if member is None:
            return [_("该公民身份号码没有在会会籍，请先办理入会。")]
        if not in_scope(self.by, member.union):
            return [_("此人不在您的管辖范围内。")]
        if member.name != name:
            return [_("姓名与会员登记的“%(n)s”不一致，请核对公民身份号码。") % {"n": member.name}]
        return []


@dataclass(slots=True)
class _Enrolling:
    who: _PersonLine
    enrolled_on: dt.date


class EnrolmentImport(_PlanImport):
    headers = ENROLMENT_HEADERS
    required = ENROLMENT_REQUIRED
    batch_size = 5000
    duplicate_message = _lazy("与第%(n)d行重复（同一人同一互助项目）。")

    def __init__(self, *, enrolled_on: dt.date | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.enrolled_on = enrolled_on or timezone.localdate()

    def parse_row(self, number: int, values: RowDict) -> tuple[_Enrolling | None, list[str]]:
        problems: list[str] = []
        who = self.person_and_line(values, problems)
        enrolled_on = self.enrolled_on
        if values.get("参保日期", "").strip():
            try:
                enrolled_on = parse_date(values["参保日期"], label=_("参保日期"))
            except ValidationError as exc:
                problems.extend(exc.messages)
        if problems:
            return None, problems
        return _Enrolling(who, enrolled_on), []

    def row_key(self, item: _Enrolling) -> tuple[str, int]:
        return (item.who.id_hash, item.who.line.pk)

    def process_batch(self, rows: list[ParsedRow]) -> None:
        members = {
            m.id_number_hash: m
            for m in Member.objects.filter(
                id_number_hash__in={r.item.who.id_hash for r in rows},
                status=Member.Status.ACTIVE,
            ).select_related("union", "enterprise")
        }
        existing = set(
            Enrolment.objects.filter(
                member__in=list(members.values()), line__plan=self.plan
            ).values_list("member_id", "line_id")
        )
        new: list[Enrolment] = []
        for r in rows:
            item: _Enrolling = r.item
            line = item.who.line
            member = members.get(item.who.id_hash)
            problems = self.person_problems(member, item.who.name)
            if not problems:
                problems = enrolment_problems(
                    member=member, line=line, enrolled_on=item.enrolled_on
                )
            if problems:
                self.refuse(r.number, problems)
                continue
            if not self.writing:
                continue  # nothing will be written: only keep checking
            if (member.pk, line.pk) in existing:
                self.note(r.number, "skip", r.values)
                continue
            self.note(r.number, "new", r.values)
            new.append(
                Enrolment(
                    member=member,
                    line=line,
                    union=member.union,
                    payer=member.enterprise,
                    enrolled_on=item.enrolled_on,
                    contribution=line.contribution,
                    enrolled_by=self.staff_user,
                )
            )
        if self.writing and new:
            Enrolment.objects.bulk_create(new, batch_size=2000)


def enrolment_import(
    *,
    plan: MutualAidPlan,
    table: Iterable[tuple[int, list[str]]],
    by: Actor,
    enrolled_on: dt.date | None = None,
    dry_run: bool = False,
    preview_rows: int = 0,
) -> ImportReport:
    """Enrol the members listed in `table` ((row number, cells), header row first, e.g. from
    `common.spreadsheets.iter_rows`) in `plan`'s benefit lines. All or nothing."""
    require_can_write(by)
    importer = EnrolmentImport(
        plan=plan, by=by, enrolled_on=enrolled_on, dry_run=dry_run, preview_rows=preview_rows
    )
    return importer.run(table)


# --- claims filed on paper, keyed in a spreadsheet (互助申请批量导入) ----------------------------

CLAIM_COLUMNS = {
    "姓名": "name",
    "公民身份号码": "id_number",
    "互助项目": "line",
    "入院日期": "admitted_on",
    "出院日期": "discharged_on",
    "医院": "hospital",
    "就诊类别": "category",
    "医疗总费用": "total_expenses",
    "政策范围内费用": "eligible_expenses",
    "诊断": "diagnosis",
}
CLAIM_HEADERS = list(CLAIM_COLUMNS)
CLAIM_REQUIRED = CLAIM_HEADERS[:-1]
CATEGORY_BY_LABEL = {str(label): value for value, label in Claim.Category.choices}


def parse_money(raw: str, *, label: str) -> Decimal:
    text = (raw or "").replace(",", "").replace("，", "").replace("元", "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("%(label)s“%(v)s”不是金额，请写成 1234.56。") % {"label": label, "v": raw}
        ) from None
    if value < 0 or value != value.quantize(Decimal("0.01")):
        raise ValidationError(_("%(label)s须为不小于0、最多两位小数的金额。") % {"label": label})
    return value


@dataclass(slots=True)
class _ClaimRow:
    who: _PersonLine
    admitted_on: dt.date
    discharged_on: dt.date
    total_expenses: Decimal
    eligible_expenses: Decimal
    category: str
    hospital: str


class ClaimImport(_PlanImport):
    """Claims keyed in from paper forms. Each row is judged by the same checks as a claim filed
    one by one (claim_submit); a row already imported (same enrolment, admission date and
    hospital) is left alone, so a file imported twice adds nothing."""

    headers = CLAIM_HEADERS
    required = CLAIM_REQUIRED
    batch_size = 1000

    def parse_row(self, number: int, values: RowDict) -> tuple[_ClaimRow | None, list[str]]:
        problems: list[str] = []
        who = self.person_and_line(values, problems)

        def attempt(func, *args, **kwargs):
            try:
                return func(*args, **kwargs)
            except ValidationError as exc:
                problems.extend(exc.messages)
                return None

        admitted = attempt(parse_date, values.get("入院日期", ""), label=_("入院日期"))
        discharged = attempt(parse_date, values.get("出院日期", ""), label=_("出院日期"))
        total = attempt(parse_money, values.get("医疗总费用", ""), label=_("医疗总费用"))
        eligible = attempt(parse_money, values.get("政策范围内费用", ""), label=_("政策范围内费用"))
        category = CATEGORY_BY_LABEL.get(values.get("就诊类别", "").strip())
        if category is None:
            problems.append(
                _("就诊类别“%(v)s”无法识别，应为：%(o)s。")
                % {"v": values.get("就诊类别", ""), "o": "、".join(CATEGORY_BY_LABEL)}
            )
        hospital = values.get("医院", "").strip()
        if not hospital:
            problems.append(_("医院不能为空。"))
        if problems:
            return None, problems
        return _ClaimRow(who, admitted, discharged, total, eligible, category, hospital), []

    def process_batch(self, rows: list[ParsedRow]) -> None:
        enrolments = {
            (e.member.id_number_hash, e.line_id): e
            for e in Enrolment.objects.filter(
                member__id_number_hash__in={r.item.who.id_hash for r in rows},
                line__plan=self.plan,
            ).select_related("member__union", "line__plan", "union")
        }
        today = timezone.localdate()
        for r in rows:
            item: _ClaimRow = r.item
            enrolment = enrolments.get((item.who.id_hash, item.who.line.pk))
            if enrolment is None:
                problems = [_("此人未参加%(l)s。") % {"l": item.who.line}]
            elif not in_scope(self.by, enrolment.union):
                problems = [_("此人不在您的管辖范围内。")]
            else:
                problems = self.person_problems(enrolment.member, item.who.name)
            if not problems:
                try:
                    check_claim_values(
                        enrolment=enrolment,
                        admitted_on=item.admitted_on,
                        discharged_on=item.discharged_on,
                        total_expenses=item.total_expenses,
                        eligible_expenses=item.eligible_expenses,
                        today=today,
                    )
                except ValidationError as exc:
                    problems = exc.messages
            if problems:
                self.refuse(r.number, problems)
                continue
            if not self.writing:
                continue  # nothing will be written: only keep checking
            if Claim.objects.filter(
                enrolment=enrolment, admitted_on=item.admitted_on, hospital=item.hospital
            ).exists():
                self.note(r.number, "skip", r.values)
                continue
            claim_submit(
                enrolment=enrolment,
                admitted_on=item.admitted_on,
                discharged_on=item.discharged_on,
                hospital=item.hospital,
                category=item.category,
                total_expenses=item.total_expenses,
                eligible_expenses=item.eligible_expenses,
                diagnosis=r.values.get("诊断", ""),
                by=self.by,
            )
            self.note(r.number, "new", r.values)


def claim_import(
    *,
    plan: MutualAidPlan,
    table: Iterable[tuple[int, list[str]]],
    by: Actor,
    dry_run: bool = False,
    preview_rows: int = 0,
) -> ImportReport:
    """File the claims listed in `table` against `plan`'s enrolments. All or nothing."""
    require_can_write(by)
    return ClaimImport(plan=plan, by=by, dry_run=dry_run, preview_rows=preview_rows).run(table)
