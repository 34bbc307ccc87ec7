"""Competition results from a spreadsheet (成绩导入), with the roster import's rules: rows
numbered as Excel numbers them, every bad row named, nothing written if any row is bad, and a file
imported twice changes nothing the second time. An entrant not yet entered is entered by the
sheet; ranks are derived from the scores once the whole file is in."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from common.importing import FieldChange, ImportReport, ParsedRow, RowDict, TableImport
from members import crypto
from members.actors import SystemActor
from members.models import Member
from members.validators import parse_id_number
from skills.models import Competition, CompetitionEntry
from skills.services import competition_rank
from skills.services._common import require_staff_write

RESULT_HEADERS = ["姓名", "公民身份号码", "成绩", "奖项"]
RESULT_REQUIRED = ["姓名", "公民身份号码", "成绩"]
AWARD_BY_LABEL = {str(label): value for value, label in CompetitionEntry.Award.choices}
AWARD_LABELS = dict(CompetitionEntry.Award.choices)
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


@dataclass(slots=True)
class _Parsed:
    name: str
    id_hash: str
    score: Decimal
    award: str


class EntryResultImport(TableImport):
    headers = RESULT_HEADERS
    required = RESULT_REQUIRED
    duplicate_message = _lazy("公民身份号码与第%(n)d行重复。")

    def __init__(self, *, competition: Competition, by: User | SystemActor, dry_run: bool = False):
        super().__init__(by=by, dry_run=dry_run)
        self.competition = competition

    def parse_row(self, number: int, values: RowDict) -> tuple[_Parsed | None, list[str]]:
        problems: list[str] = []

        def attempt(func, *args):
            try:
                return func(*args)
            except ValidationError as exc:
                problems.extend(exc.messages)
                return None

        name = " ".join(values.get("姓名", "").split())
        if not name:
            problems.append(_("姓名不能为空。"))
        score = attempt(parse_score, values.get("成绩", ""))
        award = attempt(parse_award, values.get("奖项", ""))
        facts = attempt(parse_id_number, values.get("公民身份号码", ""))
        if problems:
            return None, problems
        return _Parsed(name, crypto.hash_id_number(facts.number), score, award), []

    def row_key(self, item: _Parsed) -> str:
        return item.id_hash

    def process_batch(self, rows: list[ParsedRow]) -> None:
        members = {
            m.id_number_hash: m
            for m in Member.objects.filter(
                id_number_hash__in=[r.item.id_hash for r in rows], status=Member.Status.ACTIVE
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
        now = timezone.now()
        for r in rows:
            p: _Parsed = r.item
            member = members.get(p.id_hash)
            problems: list[str] = []
            if member is None:
                problems.append(_("查无此在会会员，请核对公民身份号码。"))
            elif not member.union.is_within(self.competition.union):
                # Outside the competition's tree: nothing of the registered member is named.
                problems.append(
                    _("%(n)s 不属于“%(u)s”及其下级工会，不能列入本竞赛成绩。")
                    % {"n": p.name, "u": self.competition.union}
                )
            elif member.name != p.name:
                problems.append(_("姓名与会员库中的“%(n)s”不一致，请核对。") % {"n": member.name})
            if problems:
                self.refuse(r.number, problems)
                continue
            if not self.writing:
                continue  # nothing will be written: only keep checking
            entry = entries.get(member.pk)
            if entry is None:
                new.append(
                    CompetitionEntry(
                        competition=self.competition,
                        member=member,
                        union=member.union,
                        score=p.score,
                        award=p.award,
                    )
                )
                self.note(r.number, "new", r.values)
            elif entry.score != p.score or entry.award != p.award:
                changes = [
                    FieldChange("成绩", str(entry.score or ""), str(p.score)),
                    FieldChange(
                        "奖项", entry.get_award_display(), str(AWARD_LABELS.get(p.award, ""))
                    ),
                ]
                entry.score, entry.award = p.score, p.award
                entry.updated_at = now  # bulk_update does not touch auto_now
                changed.append(entry)
                self.note(r.number, "update", r.values, [c for c in changes if c.before != c.after])
            else:
                self.note(r.number, "skip", r.values)
        if not self.writing:
            return
        if new:
            CompetitionEntry.objects.bulk_create(new, batch_size=1000)
        if changed:
            CompetitionEntry.objects.bulk_update(
                changed, ["score", "award", "updated_at"], batch_size=1000
            )

    def finish(self) -> None:
        # Ranks follow from the whole file's scores, so they are derived once it is all in.
        if not self.report.dry_run:
            competition_rank(competition=self.competition, by=self.by)


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
    return EntryResultImport(competition=competition, by=by, dry_run=dry_run).run(table)
