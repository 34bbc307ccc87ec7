"""The one loop every spreadsheet import in the portal runs on (rosters, attendance, competition
results, mutual-aid enrolments and claims).

The loop, here and nowhere else:
- rows are numbered as Excel numbers them (the header is row 1) and read in batches, so an importer
  needs a few queries per batch, never one per row, and memory stays flat at city scale;
- every cell of a row is checked (`parse_row`), then the same person twice in the file
  (`row_key`), then what the row refers to (`process_batch`); every problem of a row is kept,
  merged into one line per row, and the report lists the rows in the file's order;
- all or nothing: one bad row and the whole file is rolled back (so is a dry run);
- ID numbers are masked in every preview and change list unless an importer says otherwise
  (`masked_columns`); a problem message never quotes a cell that holds one;
- an updated row is kept with each field before → after, for the dry run and the admin preview;
- an importer that names an `audit_kind` keeps a written import as one `common.ImportBatch` (who,
  the file's name and SHA-256, the counts, every updated row before → after, written in bulk per
  batch): its bulk writes bypass `save()`, so there is no per-row history to duplicate it.

An importer subclasses `TableImport`, sets `headers` / `required`, implements `parse_row` and
`process_batch`, and calls `self.note(...)` for each row it adds, updates or leaves alone.
"""

import itertools
from collections.abc import Hashable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from common.spreadsheets import SpreadsheetError
from members.actors import Actor, staff_user

MAX_PROBLEMS_KEPT = 1000
# Bad rows listed on a refusal page; the rest are in the error file (a page of 1,000 rows weighed
# 300 KB and no clerk reads past the first screens: the same mistake repeats down a column).
PROBLEMS_ON_PAGE = 100
MAX_CHANGES_KEPT = 1000
ID_COLUMN = "公民身份号码"
PHONE_COLUMN = "手机号码"
RowDict = dict[str, str]

__all__ = [
    "ID_COLUMN",
    "PHONE_COLUMN",
    "FieldChange",
    "ImportReport",
    "ParsedRow",
    "RowDict",
    "RowOutcome",
    "RowProblem",
    "SpreadsheetError",
    "TableImport",
    "finish_import_command",
    "mask_phone",
    "mask_text",
    "table_rows",
    "write_errors_file",
]


def mask_text(value: str) -> str:
    """An ID number as a preview may show it: 330502********123X. Whatever the cell holds (a
    valid number, a mistyped one, garbage): the birth date never shows, short junk not at all."""
    text = (value or "").strip().upper()
    if len(text) >= 10:
        return text[:6] + "*" * 8 + text[-4:]
    return "*" * len(text)


def mask_phone(value: str) -> str:
    """A mobile number as a preview may show it: 138****1111."""
    text = (value or "").strip()
    if len(text) >= 7:
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    return "*" * len(text)


@dataclass
class RowProblem:
    row: int
    messages: list[str]

    def __str__(self) -> str:
        return _("第%(row)d行：%(msg)s") % {"row": self.row, "msg": "；".join(self.messages)}


@dataclass
class FieldChange:
    """One field of an existing record as the file changes it (texts as a clerk reads them)."""

    label: str
    before: str
    after: str

    @property
    def transition(self) -> str:
        empty = _("（空）")
        return f"{self.before or empty} → {self.after or empty}"

    def __str__(self) -> str:
        return f"{self.label}：{self.transition}"


@dataclass
class RowOutcome:
    row: int
    kind: str  # "new" | "update" | "skip"
    values: RowDict  # the row's cells, ID numbers masked
    changes: list[FieldChange] = field(default_factory=list)

    def changed(self, label: str) -> FieldChange | None:
        return next((c for c in self.changes if c.label == label), None)

    def __str__(self) -> str:
        who = self.values.get("姓名", "")
        if self.values.get(ID_COLUMN):
            who = f"{who}（{self.values[ID_COLUMN]}）"
        return _("第%(row)d行 %(who)s：%(changes)s") % {
            "row": self.row,
            "who": who,
            "changes": "；".join(str(c) for c in self.changes),
        }


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
    changes: list[RowOutcome] = field(default_factory=list)  # updated rows, before → after
    notes: list[str] = field(default_factory=list)
    _by_row: dict[int, RowProblem] = field(default_factory=dict, repr=False)
    _bad_rows: set[int] = field(default_factory=set, repr=False)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add_problem(self, row: int, messages: list[str]) -> None:
        """Record problems of a row; a row found bad twice (its cells, then its references) is
        still one bad row, with all its problems on one line."""
        if not messages:
            return
        if row in self._bad_rows:
            known = self._by_row.get(row)
            if known is not None:
                known.messages.extend(m for m in messages if m not in known.messages)
            return
        self._bad_rows.add(row)
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            problem = RowProblem(row, list(messages))
            self.problems.append(problem)
            self._by_row[row] = problem

    @property
    def problems_on_page(self) -> list[RowProblem]:
        return self.problems[:PROBLEMS_ON_PAGE]

    @property
    def problems_not_on_page(self) -> int:
        """Bad rows a refusal page does not list (it points to the error file for them)."""
        return self.problem_count - len(self.problems_on_page)

    def sort_problems(self) -> None:
        # Checks run in passes per batch; a clerk reads the problems best in the file's order.
        self.problems.sort(key=lambda problem: problem.row)

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
    blank rows. Columns may come in any order; unknown columns are ignored, and a column left out
    is absent from the dict (not an empty string): "not in the file" and "left empty" both mean
    "leave as it is" to an importer, never "clear it"."""
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


@dataclass(slots=True)
class ParsedRow:
    """A row whose cells all parsed: its number, its cells, and what the importer made of them."""

    number: int
    values: RowDict
    item: Any


class TableImport:
    """A batched, all-or-nothing import (see the module docstring)."""

    headers: list[str] = []
    required: list[str] = []
    batch_size: int = 2000
    # Columns shown masked in every preview and change list: an import is no reason to show an
    # ID number in full (PIPL), and no importer has to remember to say so.
    masked_columns: tuple[str, ...] = (ID_COLUMN,)
    duplicate_message: str = _lazy("与第%(n)d行重复。")
    # Set to keep a written import as one ImportBatch (see the module docstring).
    audit_kind: str = ""
    # The column that names a row's record in the audit batch (with the masked ID, if any).
    record_column: str = "姓名"

    def __init__(
        self,
        *,
        by: Actor,
        dry_run: bool = False,
        preview_rows: int = 0,
        file_name: str = "",
        sha256: str = "",
    ) -> None:
        if by is None:
            raise TypeError("an import needs its actor: a staff user or members.actors.system(...)")
        self.by = by
        self.report = ImportReport(dry_run=dry_run)
        self.preview_rows = preview_rows
        self.file_name = file_name
        self.sha256 = sha256
        self.batch = None
        self._batch_changes: list = []
        self._seen: dict[Hashable, int] = {}

    # -- what an importer says --------------------------------------------------------------
    def parse_row(self, number: int, values: RowDict) -> tuple[Any, list[str]]:
        """Check every cell of one row on its own: (what the row says, []) or (None, problems)."""
        raise NotImplementedError

    def row_key(self, item: Any) -> Hashable | None:
        """What makes two rows of the file the same row (the same person, the same person at the
        same activity, ...); None: any number of equal rows is fine."""
        return None

    def process_batch(self, rows: list[ParsedRow]) -> None:
        """Resolve what the rows refer to (a query per batch), `refuse` bad rows, and, while
        `self.writing`, write the batch and `note` each row."""
        raise NotImplementedError

    def finish(self) -> None:
        """After the last batch, inside the transaction, when every row was good."""

    def writes(self) -> AbstractContextManager[object]:
        """A context the whole import runs in, inside its transaction: an importer that writes
        in the background (common.pg_copy) ends those writes on leaving it."""
        return nullcontext()

    # -- what the loop offers ---------------------------------------------------------------
    @property
    def writing(self) -> bool:
        """False once any row was bad: nothing will be kept, so later batches are only checked."""
        return self.report.ok

    def refuse(self, number: int, messages: list[str]) -> None:
        self.report.add_problem(number, messages)

    def shown_values(self, values: RowDict) -> RowDict:
        return {
            h: (
                (mask_phone if h == PHONE_COLUMN else mask_text)(v)
                if h in self.masked_columns
                else v
            )
            for h, v in values.items()
        }

    def note(
        self,
        number: int,
        kind: str,
        values: RowDict,
        changes: list[FieldChange] | None = None,
    ) -> None:
        """Count a row as "new", "update" or "skip" and keep it for the preview; an updated row
        is also kept with its changes, before → after."""
        report = self.report
        if kind == "new":
            report.created += 1
        elif kind == "update":
            report.updated += 1
        else:
            report.unchanged += 1
        if kind == "update" and self.batch is not None:
            self._batch_changes.append(self._batch_change(number, values, changes or []))
        keep_preview = len(report.preview) < self.preview_rows
        keep_change = kind == "update" and len(report.changes) < MAX_CHANGES_KEPT
        if keep_preview or keep_change:
            outcome = RowOutcome(number, kind, self.shown_values(values), list(changes or []))
            if keep_preview:
                report.preview.append(outcome)
            if keep_change:
                report.changes.append(outcome)

    @property
    def staff_user(self) -> User | None:
        """The account to record as having imported (none for the system)."""
        return staff_user(self.by)

    # -- the audit batch -----------------------------------------------------------------------
    def _open_batch(self) -> None:
        from common.models import ImportBatch
        from members.history import actor_reason, current_actor

        user = self.by if getattr(self.by, "is_authenticated", False) else None
        profile = getattr(user, "staff_profile", None) if user is not None else None
        self.batch = ImportBatch.objects.create(
            kind=self.audit_kind,
            by=user,
            actor=user.get_username()
            if user is not None
            else (actor_reason(current_actor()) or _("系统")),
            union=profile.union if profile is not None else None,
            file_name=self.file_name[:255],
            sha256=self.sha256,
        )

    def _batch_change(self, number: int, values: RowDict, changes: list[FieldChange]):
        from common.models import ImportBatchChange

        shown = self.shown_values(values)
        record = shown.get(self.record_column, "")
        if shown.get(ID_COLUMN):
            record = f"{record}（{shown[ID_COLUMN]}）"
        return ImportBatchChange(
            batch=self.batch,
            row=number,
            record=record[:100],
            changes=[{"field": c.label, "before": c.before, "after": c.after} for c in changes],
        )

    def _flush_batch(self) -> None:
        from common.models import ImportBatchChange

        if self._batch_changes and self.report.ok:
            ImportBatchChange.objects.bulk_create(self._batch_changes, batch_size=1000)
        self._batch_changes = []

    def _close_batch(self) -> None:
        report = self.report
        self.batch.total = report.total
        self.batch.created = report.created
        self.batch.updated = report.updated
        self.batch.unchanged = report.unchanged
        self.batch.save(update_fields=["total", "created", "updated", "unchanged"])

    # -- the loop -----------------------------------------------------------------------------
    def _parse_batch(self, batch: list[tuple[int, RowDict]]) -> list[ParsedRow]:
        parsed: list[ParsedRow] = []
        parse_row, row_key, seen = self.parse_row, self.row_key, self._seen
        for number, values in batch:
            item, problems = parse_row(number, values)
            key = row_key(item) if item is not None else None
            if key is not None:
                first = seen.setdefault(key, number)
                if first != number:
                    problems = [*problems, str(self.duplicate_message) % {"n": first}]
            if problems:
                self.refuse(number, problems)
            else:
                parsed.append(ParsedRow(number, values, item))
        return parsed

    def run_rows(self, rows: Iterable[tuple[int, RowDict]]) -> ImportReport:
        # writes() is left first: a write still in flight ends before the commit or rollback.
        with transaction.atomic(), self.writes():
            if self.audit_kind and not self.report.dry_run:
                self._open_batch()  # rolled back with everything else if any row is bad
            iterator = iter(rows)
            while batch := list(itertools.islice(iterator, self.batch_size)):
                self.report.total += len(batch)
                parsed = self._parse_batch(batch)
                if parsed:
                    self.process_batch(parsed)
                if self.batch is not None:
                    self._flush_batch()  # one bulk insert per batch: memory stays flat
            if self.report.ok:
                self.finish()
                if self.batch is not None:
                    self._close_batch()
            self.report.sort_problems()
            if self.report.dry_run or not self.report.ok:
                transaction.set_rollback(True)
        return self.report

    def run(self, table: Iterable[tuple[int, list[str]]]) -> ImportReport:
        return self.run_rows(table_rows(table, headers=self.headers, required=self.required))


def write_errors_file(report: ImportReport, *, source, target) -> None:
    """The refused `source` file (a path) with its 错误原因 column, written to `target`: .xlsx if
    the source is one, else .csv (UTF-8 with BOM), whatever `target` is called."""
    from pathlib import Path

    from common.error_file import build_error_file
    from common.spreadsheets import iter_rows

    source = Path(source)
    with source.open("rb") as stream:
        error_file = build_error_file(iter_rows(stream, source.name), report, file_name=source.name)
    Path(target).write_bytes(error_file.data)


def finish_import_command(command, report: ImportReport, *, source=None, errors_file=None) -> None:
    """End a management command the way every import command does: each bad row on stderr, then
    exit 1 with the summary if any row was bad (nothing was written); else, on a dry run, each
    row it would change (field before → after), then the summary on stdout.

    With `errors_file` (a path the operator chose, `--errors-file`), a refused `source` file is
    also written there with a 错误原因 column added (common.error_file), as the admin offers it."""
    from django.core.management.base import CommandError

    for problem in report.problems:
        command.stderr.write(str(problem))
    if report.problem_count > len(report.problems):
        command.stderr.write(
            _("……另有%(n)d行错误未列出。") % {"n": report.problem_count - len(report.problems)}
        )
    if not report.ok and errors_file is not None and source is not None:
        write_errors_file(report, source=source, target=errors_file)
        command.stderr.write(_("错误文件已写入：%(p)s") % {"p": errors_file})
    if not report.ok:
        raise CommandError(report.summary(), returncode=1)
    if report.dry_run:
        for outcome in report.changes:
            command.stdout.write(str(outcome))
        if report.updated > len(report.changes):
            command.stdout.write(
                _("……另有%(n)d行变更未列出。") % {"n": report.updated - len(report.changes)}
            )
    command.stdout.write(report.summary())
