"""Competition results from a spreadsheet (成绩导入), with the roster import's rules: rows
numbered as Excel numbers them, every bad row named, nothing written if any row is bad, and a file
imported twice changes nothing the second time. An entrant not yet entered is entered by the
sheet; ranks are derived from the scores once the whole file is in."""

import contextlib
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.importing import ImportReport, RowDict, TableImport
from members import crypto
from members.actors import SystemActor
from members.models import Member
from members.validators import mask_id_number, parse_id_number
from skills.models import Competition, CompetitionEntry
from skills.services import competition_rank
from skills.services._common import require_staff_write

RESULT_HEADERS = ["姓名", "公民身份号码", "成绩", "奖项"]
RESULT_REQUIRED = ["姓名", "公民身份号码", "成绩"]
AWARD_BY_LABEL = {str(label): value for value, label in CompetitionEntry.Award.choices}
MAX_SCORE = Decimal("99999.99")


def parse_score(raw: str) -> Decimal:
    value = (raw or "").strip()
    if not value:
        raise ValidationError(_("成绩不能为空。"))
    try:
        score = Decimal(value)
    except InvalidOperation:
        raise ValidationError(_("成绩“%(v)s”不是数字。") % {"v": value}) from None
    if not score.is_finite() or score < 0 or score > MAX_SCORE:
        raise ValidationError(_("成绩“%(v)s”应在0到99999.99之间。") % {"v": value})
    if score != score.quantize(Decimal("0.01")):
        raise ValidationError(_("成绩“%(v)s”最多保留两位小数。") % {"v": value})
    return score.quantize(Decimal("0.01"))


def parse_award(raw: str) -> str:
    value = (raw or "").strip()
    if not value or value in {"无", "-"}:
        return ""
    if value in AWARD_BY_LABEL:
        return AWARD_BY_LABEL[value]
    raise ValidationError(
        _("奖项“%(v)s”无法识别，应为：%(o)s，或留空。")
        % {"v": value, "o": "、".join(AWARD_BY_LABEL)}
    )


class EntryResultImport(TableImport):
    headers = RESULT_HEADERS
    required = RESULT_REQUIRED

    def __init__(self, *, competition: Competition, by: User | SystemActor, dry_run: bool = False):
        super().__init__(by=by, dry_run=dry_run)
        self.competition = competition
        self.seen: dict[str, int] = {}

    def run_batch(self, batch: list[tuple[int, RowDict]]) -> None:
        parsed = []
        for number, row in batch:
            problems: list[str] = []
            facts = score = award = None
            name = " ".join(row.get("姓名", "").split())
            if not name:
                problems.append(_("姓名不能为空。"))
            for parse, key in ((parse_score, "成绩"), (parse_award, "奖项")):
                try:
                    value = parse(row.get(key, ""))
                except ValidationError as exc:
                    problems.extend(exc.messages)
                    continue
                if key == "成绩":
                    score = value
                else:
                    award = value
            try:
                facts = parse_id_number(row.get("公民身份号码", ""))
            except ValidationError as exc:
                problems.extend(exc.messages)
            if facts is not None:
                id_hash = crypto.hash_id_number(facts.number)
                first = self.seen.setdefault(id_hash, number)
                if first != number:
                    problems.append(_("公民身份号码与第%(n)d行重复。") % {"n": first})
            if problems:
                self.report.add_problem(number, problems)
            else:
                parsed.append((number, name, id_hash, score, award))
        if not parsed:
            return
        members = {
            m.id_number_hash: m
            for m in Member.objects.filter(
                id_number_hash__in=[p[2] for p in parsed], status=Member.Status.ACTIVE
            ).select_related("union")
        }
        entries = {
            e.member_id: e
            for e in CompetitionEntry.objects.filter(
                competition=self.competition,
                member_id__in=[m.pk for m in members.values()],
            )
        }
        new, changed = [], []
        for number, name, id_hash, score, award in parsed:
            member = members.get(id_hash)
            if member is None:
                self.report.add_problem(number, [_("查无此在会会员，请核对公民身份号码。")])
                continue
            if member.name != name:
                self.report.add_problem(
                    number,
                    [_("姓名与会员库中的“%(n)s”不一致，请核对。") % {"n": member.name}],
                )
                continue
            if not member.union.is_within(self.competition.union):
                self.report.add_problem(
                    number,
                    [
                        _("%(n)s 不属于“%(u)s”及其下级工会，不能列入本竞赛成绩。")
                        % {"n": name, "u": self.competition.union}
                    ],
                )
                continue
            if self.report.problem_count:
                continue  # nothing will be written: only keep checking
            entry = entries.get(member.pk)
            if entry is None:
                new.append(
                    CompetitionEntry(
                        competition=self.competition,
                        member=member,
                        union=member.union,
                        score=score,
                        award=award,
                    )
                )
            elif entry.score != score or entry.award != award:
                entry.score, entry.award = score, award
                entry.updated_at = timezone.now()  # bulk_update does not touch auto_now
                changed.append(entry)
            else:
                self.report.unchanged += 1
        if self.report.problem_count:
            return
        if new:
            CompetitionEntry.objects.bulk_create(new, batch_size=1000)
            self.report.created += len(new)
        if changed:
            CompetitionEntry.objects.bulk_update(
                changed, ["score", "award", "updated_at"], batch_size=1000
            )
            self.report.updated += len(changed)

    def shown_values(self, values: RowDict) -> RowDict:
        shown = dict(values)
        with contextlib.suppress(KeyError, ValidationError):
            shown["公民身份号码"] = mask_id_number(parse_id_number(shown["公民身份号码"]).number)
        return shown


def entry_results_import(
    *,
    competition: Competition,
    table,
    by: User | SystemActor,
    dry_run: bool = False,
) -> ImportReport:
    """Import a results sheet (header row first: 姓名, 公民身份号码, 成绩, 奖项) into
    `competition`, e.g. `table=common.spreadsheets.iter_rows(stream, filename)`. All or nothing;
    the ranks are derived once the whole file is in."""
    require_staff_write(by, competition.union)
    with transaction.atomic():
        importer = EntryResultImport(competition=competition, by=by, dry_run=dry_run)
        report = importer.run(table)
        report.problems.sort(key=lambda p: p.row)  # a file's problems in the file's order
        if report.ok and not dry_run:
            competition_rank(competition=competition, by=by)
    return report
