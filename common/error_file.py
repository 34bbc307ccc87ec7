"""The error file of a refused import (下载错误文件): the clerk's own file, every row as it came, with
a 错误原因 column added that holds every problem of each bad row, to fix in Excel and upload again
(the importers ignore a column they do not know, so the fixed file goes straight back in).

It carries the file's full ID numbers, so it is built in memory and never rests on disk
unencrypted (issue 10). The admin keeps it as an export's file is kept (`error_file_store`): sealed
with the ID key ring in PostgreSQL, fetched through the export download (common.export_views) by
the clerk who uploaded it and by no one else, deleted by the export sweep after ERROR_FILE_TTL.
The page that refused the import only links to it, so the page stays small whatever the file's
size (it used to carry the file as a data: link: a 10 MB upload gave a 13 MB page). The import
commands write it where the operator says (`--errors-file`).

openpyxl writes each sheet through a temporary file on disk, so the .xlsx is written here by hand:
one sheet of inline strings, which Excel opens as plain text cells (no cell of the clerk's can run
as a formula). A .csv upload gets a .csv back, UTF-8 with a BOM, the form Chinese Excel opens
without garbling.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.export_jobs import SealedSink
from common.importing import ImportReport
from common.models import ExportJob
from common.spreadsheets import formula_safe
from members.scoping import viewer_union

REASON_COLUMN = "错误原因"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
# Control characters XML 1.0 cannot carry (a cell pasted from elsewhere may hold one).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Long enough to fix a file in Excel and upload it again; the clerk can always re-upload the
# original to get a fresh one.
ERROR_FILE_TTL = dt.timedelta(hours=1)


@dataclass(frozen=True)
class ErrorFile:
    name: str
    content_type: str
    data: bytes
    rows: int = 0  # the file's rows below the header

    @property
    def file_format(self) -> str:
        return "xlsx" if self.name.endswith(".xlsx") else "csv"


def reasons_by_row(report: ImportReport) -> dict[int, str]:
    """Row number → every problem of that row, on one line."""
    return {problem.row: "；".join(problem.messages) for problem in report.problems}


def error_file_name(file_name: str) -> str:
    path = Path(file_name or "导入文件.csv")
    suffix = ".xlsx" if path.suffix.lower() in {".xlsx", ".xlsm"} else ".csv"
    stem = path.stem.removesuffix(f"-{REASON_COLUMN}")  # refused again: the same name
    return f"{stem}-{REASON_COLUMN}{suffix}"


def build_error_file(
    table: Iterable[tuple[int, list[str]]], report: ImportReport, *, file_name: str
) -> ErrorFile:
    """`table`: the uploaded file's rows as (row number, cells), the header first, as
    `common.spreadsheets.iter_rows` reads them. Every row is written back in the file's order;
    bad rows get their reasons in the added column."""
    reasons = reasons_by_row(report)
    if report.problem_count > len(report.problems):
        # Only the first rows' problems are kept; say so on the header rather than pretend.
        header_note = _("错误原因（只列出前%(n)d个错误行）") % {"n": len(report.problems)}
    else:
        header_note = REASON_COLUMN
    rows: list[list[str]] = []
    width = 0
    old_reasons: int | None = None
    for number, cells in table:
        cells = list(cells)
        if not rows:  # the header row
            while cells and not cells[-1]:
                cells.pop()
            # A file that is itself an error file, uploaded again: its old reasons give way.
            old_reasons = next(
                (i for i, h in enumerate(cells) if h.startswith(REASON_COLUMN)), None
            )
            if old_reasons is not None:
                del cells[old_reasons]
            width = len(cells)
            rows.append([*cells, header_note])
            continue
        if old_reasons is not None and old_reasons < len(cells):
            del cells[old_reasons]
        while len(cells) > width and not cells[-1]:
            cells.pop()
        padded = cells + [""] * (width - len(cells))
        rows.append([*padded, formula_safe(reasons.get(number, ""))])
    name = error_file_name(file_name)
    if name.endswith(".xlsx"):
        return ErrorFile(name, XLSX_TYPE, _xlsx(rows), rows=len(rows) - 1)
    return ErrorFile(name, CSV_TYPE, _csv(rows), rows=len(rows) - 1)


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xlsx(rows: list[list[str]]) -> bytes:
    sheet = io.StringIO()
    sheet.write(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>"
    )
    for r, cells in enumerate(rows, start=1):
        sheet.write(f'<row r="{r}">')
        for c, value in enumerate(cells):
            if value == "":
                continue
            text = escape(_XML_ILLEGAL.sub("", str(value)))
            sheet.write(
                f'<c r="{_column_letter(c)}{r}" t="inlineStr"><is><t xml:space="preserve">'
                f"{text}</t></is></c>"
            )
        sheet.write("</row>")
    sheet.write("</sheetData></worksheet>")
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet.getvalue(),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
    return out.getvalue()


@transaction.atomic
def error_file_store(error_file: ErrorFile, *, by: User) -> ExportJob:
    """Keep `error_file` for `by`, who uploaded the refused file, to fetch through the export
    download (`exports:download`) until ERROR_FILE_TTL has passed; the export sweep then deletes
    it. Sealed a chunk at a time like an export's file. Returns the job the page links to."""
    now = timezone.now()
    stem = error_file.name.removesuffix(f".{error_file.file_format}")
    job = ExportJob.objects.create(
        kind=ExportJob.Kind.IMPORT_ERRORS,
        union=viewer_union(by),
        title=stem[:200],
        file_format=error_file.file_format,
        requested_by=by,
        status=ExportJob.Status.DONE,
        rows_done=error_file.rows,
        rows_total=error_file.rows,
        size=len(error_file.data),
        started_at=now,
        finished_at=now,
        expires_at=now + ERROR_FILE_TTL,
        message=_("导入未通过：原文件加“错误原因”一列，供改正后重新上传。"),
    )
    sink = SealedSink(job.pk)
    sink.write(error_file.data)
    sink.finish()
    return job


def error_file_for_upload(upload, report: ImportReport | None, *, by: User) -> ExportJob | None:
    """The error file of a refused import from an admin upload (read again from the start, in
    memory), kept for `by` (`error_file_store`); None when there is nothing to fix."""
    from common.spreadsheets import iter_rows

    if upload is None or report is None or report.ok:
        return None
    upload.seek(0)
    error_file = build_error_file(iter_rows(upload, upload.name), report, file_name=upload.name)
    return error_file_store(error_file, by=by)
