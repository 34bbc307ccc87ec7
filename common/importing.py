"""The shape every spreadsheet import in the portal shares (rosters, attendance, competition
entries, mutual-aid enrolments, ...): rows numbered as Excel numbers them, read in batches with a
few queries per batch, and all or nothing: one bad row and the whole file is rolled back, with
each bad row named by its number and what is wrong with it, in words a clerk understands.

Subclass `TableImport`, set `headers` / `required`, implement `run_batch`, and call `run(table)`
with `common.spreadsheets.iter_rows(stream, filename)` (or any (row number, cells) iterable).
"""

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from common.spreadsheets import SpreadsheetError

MAX_PROBLEMS_KEPT = 1000
RowDict = dict[str, str]


@dataclass
class RowProblem:
    row: int
    messages: list[str]

    def __str__(self) -> str:
        return _("第%(row)d行：%(msg)s") % {"row": self.row, "msg": "；".join(self.messages)}


@dataclass
class RowOutcome:
    row: int
    kind: str  # "new" | "update" | "skip"
    values: RowDict


@dataclass
class ImportReport:
    dry_run: bool = False
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problem_count: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    preview: list[RowOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add_problem(self, row: int, messages: list[str]) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(RowProblem(row, messages))

    def summary(self) -> str:
        if not self.ok:
            return _("共%(total)d行，其中%(bad)d行有错误，未写入任何数据。") % {
                "total": self.total,
                "bad": self.problem_count,
            }
        prefix = _("（试导入，未写入）") if self.dry_run else ""
        text = _("共%(total)d行：新增%(created)d条，更新%(updated)d条，%(unchanged)d条无变化。") % {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        return prefix + text + "".join(self.notes)


def table_rows(
    table: Iterable[tuple[int, list[str]]], *, headers: list[str], required: list[str]
) -> Iterator[tuple[int, RowDict]]:
    """(row number, cells) with the header row first → (row number, {header: text}), skipping
    blank rows. Columns may come in any order; unknown columns are ignored."""
    iterator = iter(table)
    try:
        _number, header = next(iterator)
    except StopIteration:
        raise SpreadsheetError(_("文件是空的：第1行应为表头。")) from None
    positions = {name.strip().lstrip("\ufeff"): i for i, name in enumerate(header) if name}
    missing = [h for h in required if h not in positions]
    if missing:
        raise SpreadsheetError(
            _("第1行缺少表头：%(missing)s。模板表头为：%(headers)s。")
            % {"missing": "、".join(missing), "headers": "，".join(headers)}
        )
    columns = [(h, positions[h]) for h in headers if h in positions]
    for number, cells in iterator:
        row = {h: (cells[i] if i < len(cells) else "") for h, i in columns}
        if any(row.values()):
            yield number, row


class TableImport:
    """A batched, all-or-nothing import. Subclasses check and write one batch in `run_batch`,
    calling `self.report.add_problem(row, [...])` for bad rows and writing only while
    `self.report.ok` (a later bad row still rolls everything back)."""

    headers: list[str] = []
    required: list[str] = []
    batch_size: int = 2000

    def __init__(self, *, by=None, dry_run: bool = False, preview_rows: int = 0) -> None:
        self.by = by
        self.report = ImportReport(dry_run=dry_run)
        self.preview_rows = preview_rows

    def run_batch(self, batch: list[tuple[int, RowDict]]) -> None:
        raise NotImplementedError

    def note(self, row: int, kind: str, values: RowDict) -> None:
        """Keep a row for the admin's preview ("new", "update" or "skip")."""
        if len(self.report.preview) < self.preview_rows:
            self.report.preview.append(RowOutcome(row, kind, self.shown_values(values)))

    def shown_values(self, values: RowDict) -> RowDict:
        return dict(values)

    def run_rows(self, rows: Iterable[tuple[int, RowDict]]) -> ImportReport:
        with transaction.atomic():
            iterator = iter(rows)
            while batch := list(itertools.islice(iterator, self.batch_size)):
                self.report.total += len(batch)
                self.run_batch(batch)
            if self.report.dry_run or not self.report.ok:
                transaction.set_rollback(True)
        return self.report

    def run(self, table: Iterable[tuple[int, list[str]]]) -> ImportReport:
        return self.run_rows(table_rows(table, headers=self.headers, required=self.required))


def finish_import_command(command, report: ImportReport) -> None:
    """End a management command the way every import command does: each bad row on stderr, then
    exit 1 with the summary if any row was bad (nothing was written), else the summary on stdout."""
    from django.core.management.base import CommandError

    for problem in report.problems:
        command.stderr.write(str(problem))
    if report.problem_count > len(report.problems):
        command.stderr.write(
            _("……另有%(n)d行错误未列出。") % {"n": report.problem_count - len(report.problems)}
        )
    if not report.ok:
        raise CommandError(report.summary(), returncode=1)
    command.stdout.write(report.summary())
