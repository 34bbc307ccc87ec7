"""The admin's import page (django-import-export) on the one importer loop (common.importing).

django-import-export brings the page, the upload, the preview and the confirmation; the rows go
through the same `TableImport` as the management command, never through its own per-row
resource machinery. A resource subclasses `TableImportResource`, names its template columns
(`import_headers`) and runs its import (`run_import`). A refused file comes back with every
problem of every bad row in the table (templates/admin/import_export/import.html) and its error
file (common.error_file), never stored: inside the page when small, else through the form's
检查并下载错误文件 button (common.uploads.CleanImportMixin).
"""

import hashlib
import io
from collections.abc import Callable, Iterable, Iterator

import tablib
from django.core.exceptions import ValidationError
from import_export.formats.base_formats import CSV, XLSX
from import_export.results import Result, RowResult

from common.error_file import build_error_file
from common.importing import ImportReport, RowDict, SpreadsheetError
from common.resources import FormulaSafeResource
from common.spreadsheets import cell_text, detect_csv_encoding
from members.actors import Actor
from members.history import acting_as

PREVIEW_ROWS = 500


class ChineseCSV(CSV):
    """CSV in whatever encoding Chinese Excel saved it: read as bytes and detected."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        raw = in_stream if isinstance(in_stream, bytes) else in_stream.encode()
        encoding = detect_csv_encoding(io.BytesIO(raw))
        return tablib.import_set(raw.decode(encoding), format="csv")


IMPORT_FORMATS = [XLSX, ChineseCSV]


def dataset_rows(dataset: tablib.Dataset) -> Iterator[tuple[int, list[str]]]:
    """A tablib dataset as (row number in the file, cells), the header as row 1."""
    yield 1, [cell_text(h) for h in (dataset.headers or [])]
    for index, row in enumerate(dataset, start=2):
        yield index, [cell_text(v) for v in row]


class TableImportResource(FormulaSafeResource):
    """Subclass with `import_headers` and either `table_importer` (an importer taking the table
    as it is: `table=, by=, dry_run=, preview_rows=, file_name=, sha256=`) or its own
    `run_import`; `user` is the importing clerk."""

    import_headers: list[str] = []
    table_importer: Callable[..., ImportReport] | None = None

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def run_import(
        self,
        *,
        table: Iterable[tuple[int, list[str]]],
        by: Actor,
        dry_run: bool,
        preview_rows: int,
        file_name: str,
        sha256: str,
    ) -> ImportReport:
        if self.table_importer is None:
            raise NotImplementedError
        return type(self).table_importer(
            table=table,
            by=by,
            dry_run=dry_run,
            preview_rows=preview_rows,
            file_name=file_name,
            sha256=sha256,
        )

    def preview_cells(self, outcome) -> list[str]:
        # A changed field shows before → after; ID numbers are masked (common.importing).
        return [
            change.transition if (change := outcome.changed(h)) else outcome.values.get(h, "")
            for h in self.import_headers
        ]

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        user = kwargs.get("user") or self.user
        file_name = kwargs.get("file_name") or ""
        result = Result()
        result.diff_headers = list(self.import_headers)
        try:
            with acting_as(user):
                report = self.run_import(
                    table=dataset_rows(dataset),
                    by=user,
                    dry_run=dry_run,
                    preview_rows=PREVIEW_ROWS,
                    file_name=file_name,
                    # The admin hands over the parsed table, not the upload: its digest is the
                    # table's.
                    sha256=""
                    if dry_run
                    else hashlib.sha256(dataset.export("csv").encode()).hexdigest(),
                )
        except SpreadsheetError as exc:
            result.append_invalid_row(1, {}, ValidationError(exc.messages))
            result.invalid_rows_on_page, result.problems_not_on_page = result.invalid_rows, 0
            return result
        result.total_rows = report.total
        for problem in report.problems:
            result.append_invalid_row(problem.row, {}, ValidationError(problem.messages))
        # In the file's order (report.sort_problems); the rest only in the error file.
        result.invalid_rows_on_page = result.invalid_rows[: len(report.problems_on_page)]
        result.problems_not_on_page = report.problems_not_on_page
        if not report.ok:
            result.error_file = build_error_file(dataset_rows(dataset), report, file_name=file_name)
            result.error_summary = report.summary()
            return result
        for outcome in report.preview:
            row = RowResult()
            row.import_type = outcome.kind
            row.diff = self.preview_cells(outcome)
            result.append_row_result(row)
        result.totals[RowResult.IMPORT_TYPE_NEW] = report.created
        result.totals[RowResult.IMPORT_TYPE_UPDATE] = report.updated
        result.totals[RowResult.IMPORT_TYPE_SKIP] = report.unchanged
        return result


__all__ = [
    "IMPORT_FORMATS",
    "ChineseCSV",
    "RowDict",
    "TableImportResource",
    "dataset_rows",
]
