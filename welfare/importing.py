"""Bulk enrolment in mutual aid from an enterprise's roster (互助参保名单导入), on the roster
import's rules (common.importing.TableImport): rows numbered as Excel numbers them, a few queries
per batch, all or nothing, and a file imported twice adds nothing the second time."""

import contextlib
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from common.importing import ImportReport, RowDict, TableImport
from members import crypto
from members.fields import parse_date
from members.models import Member
from members.scoping import in_scope
from members.services import require_can_write
from members.validators import mask_id_number, parse_id_number
from welfare.models import BenefitLine, Claim, Enrolment, MutualAidPlan
from welfare.services import check_claim_values, claim_submit, enrolment_problems

ENROLMENT_HEADERS = ["姓名", "公民身份号码", "互助项目", "参保日期"]
ENROLMENT_REQUIRED = ["姓名", "公民身份号码", "互助项目"]


class EnrolmentImport(TableImport):
    headers = ENROLMENT_HEADERS
    required = ENROLMENT_REQUIRED
    batch_size = 5000

    def __init__(
        self,
        *,
        plan: MutualAidPlan,
        by: User | None,
        enrolled_on: dt.date | None = None,
        dry_run: bool = False,
        preview_rows: int = 0,
    ) -> None:
        super().__init__(by=by, dry_run=dry_run, preview_rows=preview_rows)
        self.plan = plan
        self.enrolled_on = enrolled_on or timezone.localdate()
        # A line is named by its project name or by its kind's label (住院医疗互助, ...).
        self.lines: dict[str, BenefitLine] = {}
        for line in plan.lines.select_related("plan"):
            self.lines[line.name] = line
            self.lines[str(line.get_kind_display())] = line
        self.seen: dict[tuple[str, int], int] = {}

    def _parse(self, number: int, row: RowDict):
        problems: list[str] = []
        name = " ".join(row.get("姓名", "").split())
        if not name:
            problems.append(_("姓名不能为空。"))
        facts = None
        try:
            facts = parse_id_number(row.get("公民身份号码", ""))
        except ValidationError as exc:
            problems.extend(exc.messages)
        line = self.lines.get(row.get("互助项目", "").strip())
        if line is None:
            problems.append(
                _("互助项目“%(v)s”不在方案中，应为：%(options)s。")
                % {
                    "v": row.get("互助项目", "").strip(),
                    "options": "、".join(sorted({ln.name for ln in self.lines.values()})),
                }
            )
        enrolled_on = self.enrolled_on
        if row.get("参保日期", "").strip():
            try:
                enrolled_on = parse_date(row["参保日期"], label=_("参保日期"))
            except ValidationError as exc:
                problems.extend(exc.messages)
        if problems:
            return None, problems
        return (name, crypto.hash_id_number(facts.number), line, enrolled_on), []

    def run_batch(self, batch: list[tuple[int, RowDict]]) -> None:
        report = self.report
        parsed = []
        for number, row in batch:
            item, problems = self._parse(number, row)
            if item is not None:
                first = self.seen.setdefault((item[1], item[2].pk), number)
                if first != number:
                    problems = [_("与第%(n)d行重复（同一人同一互助项目）。") % {"n": first}]
            if problems:
                report.add_problem(number, problems)
            else:
                parsed.append((number, row, item))
        if not parsed:
            return
        members = {
            m.id_number_hash: m
            for m in Member.objects.filter(
                id_number_hash__in={item[1] for _n, _r, item in parsed},
                status=Member.Status.ACTIVE,
            ).select_related("union", "enterprise")
        }
        existing = set(
            Enrolment.objects.filter(
                member__in=list(members.values()), line__plan=self.plan
            ).values_list("member_id", "line_id")
        )
        new: list[Enrolment] = []
        for number, row, (name, id_hash, line, enrolled_on) in parsed:
            member = members.get(id_hash)
            problems: list[str] = []
            if member is None:
                problems.append(_("该公民身份号码没有在会会籍，请先办理入会。"))
            elif self.by is not None and not in_scope(self.by, member.union):
                problems.append(_("此人不在您的管辖范围内。"))
            elif member.name != name:
                problems.append(
                    _("姓名与会员登记的“%(n)s”不一致，请核对公民身份号码。") % {"n": member.name}
                )
            else:
                problems = enrolment_problems(member=member, line=line, enrolled_on=enrolled_on)
            if problems:
                report.add_problem(number, problems)
                continue
            if (member.pk, line.pk) in existing:
                report.unchanged += 1
                self.note(number, "skip", row)
                continue
            self.note(number, "new", row)
            new.append(
                Enrolment(
                    member=member,
                    line=line,
                    union=member.union,
                    payer=member.enterprise,
                    enrolled_on=enrolled_on,
                    contribution=line.contribution,
                    enrolled_by=self.by,
                )
            )
        if report.problem_count or not new:
            return
        Enrolment.objects.bulk_create(new, batch_size=2000)
        report.created += len(new)

    def shown_values(self, values: RowDict) -> RowDict:
        shown = dict(values)
        with contextlib.suppress(ValidationError):
            shown["公民身份号码"] = mask_id_number(parse_id_number(shown["公民身份号码"]).number)
        return shown


def enrolment_import(
    *,
    plan: MutualAidPlan,
    table: Iterable[tuple[int, list[str]]],
    by: User | None = None,
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
    report = importer.run(table)
    # Checks run in two passes per batch; a clerk reads the problems best in row order.
    report.problems.sort(key=lambda problem: problem.row)
    return report


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


class ClaimImport(EnrolmentImport):
    """Claims keyed in from paper forms. Each row is judged by the same checks as a claim filed
    one by one (claim_submit); a row already imported (same enrolment, admission date and
    hospital) is left alone, so a file imported twice adds nothing."""

    headers = CLAIM_HEADERS
    required = CLAIM_REQUIRED
    batch_size = 1000

    def _parse_claim(self, number: int, row: RowDict):
        base, problems = self._parse(number, {**row, "参保日期": ""})

        def attempt(func, *args, **kwargs):
            try:
                return func(*args, **kwargs)
            except ValidationError as exc:
                problems.extend(exc.messages)
                return None

        admitted = attempt(parse_date, row.get("入院日期", ""), label=_("入院日期"))
        discharged = attempt(parse_date, row.get("出院日期", ""), label=_("出院日期"))
        total = attempt(parse_money, row.get("医疗总费用", ""), label=_("医疗总费用"))
        eligible = attempt(parse_money, row.get("政策范围内费用", ""), label=_("政策范围内费用"))
        category = CATEGORY_BY_LABEL.get(row.get("就诊类别", "").strip())
        if category is None:
            problems.append(
                _("就诊类别“%(v)s”无法识别，应为：%(o)s。")
                % {"v": row.get("就诊类别", ""), "o": "、".join(CATEGORY_BY_LABEL)}
            )
        hospital = row.get("医院", "").strip()
        if not hospital:
            problems.append(_("医院不能为空。"))
        if problems:
            return None, problems
        return (base, admitted, discharged, total, eligible, category, hospital), []

    def run_batch(self, batch: list[tuple[int, RowDict]]) -> None:
        report = self.report
        parsed = []
        for number, row in batch:
            item, problems = self._parse_claim(number, row)
            if problems:
                report.add_problem(number, problems)
            else:
                parsed.append((number, row, item))
        if not parsed:
            return
        hashes = {item[0][1] for _n, _r, item in parsed}
        enrolments = {
            (e.member.id_number_hash, e.line_id): e
            for e in Enrolment.objects.filter(
                member__id_number_hash__in=hashes, line__plan=self.plan
            ).select_related("member", "line__plan", "union")
        }
        today = timezone.localdate()
        for number, row, item in parsed:
            (
                (name, id_hash, line, _on),
                admitted,
                discharged,
                total,
                eligible,
                category,
                hospital,
            ) = item
            enrolment = enrolments.get((id_hash, line.pk))
            problems: list[str] = []
            if enrolment is None:
                problems.append(_("此人未参加%(l)s。") % {"l": line})
            elif self.by is not None and not in_scope(self.by, enrolment.union):
                problems.append(_("此人不在您的管辖范围内。"))
            elif enrolment.member.name != name:
                problems.append(
                    _("姓名与会员登记的“%(n)s”不一致，请核对公民身份号码。")
                    % {"n": enrolment.member.name}
                )
            else:
                try:
                    check_claim_values(
                        enrolment=enrolment,
                        admitted_on=admitted,
                        discharged_on=discharged,
                        total_expenses=total,
                        eligible_expenses=eligible,
                        today=today,
                    )
                except ValidationError as exc:
                    problems.extend(exc.messages)
            if problems:
                report.add_problem(number, problems)
                continue
            if report.problem_count:
                continue  # nothing will be written: only keep checking
            if Claim.objects.filter(
                enrolment=enrolment, admitted_on=admitted, hospital=hospital
            ).exists():
                report.unchanged += 1
                self.note(number, "skip", row)
                continue
            claim_submit(
                enrolment=enrolment,
                admitted_on=admitted,
                discharged_on=discharged,
                hospital=hospital,
                category=category,
                total_expenses=total,
                eligible_expenses=eligible,
                diagnosis=row.get("诊断", ""),
                by=self.by,
            )
            report.created += 1
            self.note(number, "new", row)


def claim_import(
    *,
    plan: MutualAidPlan,
    table: Iterable[tuple[int, list[str]]],
    by: User | None = None,
    dry_run: bool = False,
    preview_rows: int = 0,
) -> ImportReport:
    """File the claims listed in `table` against `plan`'s enrolments. All or nothing."""
    require_can_write(by)
    report = ClaimImport(plan=plan, by=by, dry_run=dry_run, preview_rows=preview_rows).run(table)
    report.problems.sort(key=lambda problem: problem.row)
    return report
