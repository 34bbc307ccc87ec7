"""The error file of a refused import (下载错误文件): the clerk's own file, every row as it came, with
a 错误原因 column added that holds every problem of each bad row, to fix in Excel and upload again
(the importers ignore a column they do not know, so the fixed file goes straight back in).

It carries the file's full ID numbers, so it is built in memory and never stored (issue 14), on
disk or in the database: it only ever rides in a response. A small one rides inside the page that
refused the import, as a data: link (one click, no second request). A big one would make that
page as big as the file and more (a 10 MB upload gave a 13 MB page), so the page says instead to
choose the same file again and press 检查并下载错误文件 (CHECK_ERRORS): every import form has that
second button, which runs the same dry run and answers with the file itself as an attachment
(`error_file_answer`). The import commands write it where the operator says (`--errors-file`).
"""

import base64
import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from common.importing import ImportReport
from common.spreadsheets import formula_safe

REASON_COLUMN = "错误原因"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
# Control characters XML 1.0 cannot carry (a cell pasted from elsewhere may hold one).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The biggest error file a refusal page carries as a data: link (base64 adds a third: a page
# of about 1.4 MB at most); a bigger one is fetched with the form's check button.
ERROR_FILE_INLINE_MAX = 1_000_000
# The name of each import form's second submit button (检查并下载错误文件).
CHECK_ERRORS = "_check_errors"


@dataclass(frozen=True)
class ErrorFile:
    name: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def inline(self) -> bool:
        """Small enough to ride inside the refusal page."""
        return self.size <= ERROR_FILE_INLINE_MAX

    @property
    def data_uri(self) -> str:
        media_type = self.content_type.split(";")[0]
        return f"data:{media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


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
        return ErrorFile(name, XLSX_TYPE, _xlsx(rows))
    return ErrorFile(name, CSV_TYPE, _csv(rows))


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


def error_file_response(error_file: ErrorFile) -> HttpResponse:
    """The file itself as the answer to 检查并下载错误文件, written straight into the response."""
    response = HttpResponse(error_file.data, content_type=error_file.content_type)
    response["Content-Disposition"] = content_disposition_header(True, error_file.name)
    response["Cache-Control"] = "no-store"  # it holds full ID numbers: no copy in a cache
    return response


def error_file_for_upload(upload, report: ImportReport | None) -> ErrorFile | None:
    """The error file of a refused import from an admin upload (read again from the start, in
    memory); None when there is nothing to fix."""
    from common.spreadsheets import iter_rows

    if upload is None or report is None or report.ok:
        return None
    upload.seek(0)
    return build_error_file(iter_rows(upload, upload.name), report, file_name=upload.name)


def wants_error_file(request: HttpRequest) -> bool:
    """The form was sent with 检查并下载错误文件: a dry run whatever the form's dry-run box says."""
    return request.method == "POST" and CHECK_ERRORS in request.POST


def error_file_answer(
    request: HttpRequest, upload, report: ImportReport | None
) -> HttpResponse | None:
    """For a custom import page sent with 检查并下载错误文件: the error file as an attachment, or
    None (the page is shown) with 文件没有错误，可以导入 when the file is clean. None too when the
    form was sent with 导入, or when the file could not be read at all (the page says why)."""
    if not wants_error_file(request) or report is None:
        return None
    error_file = error_file_for_upload(upload, report)
    if error_file is None:
        messages.success(request, _("文件没有错误，可以导入"))
        return None
    return error_file_response(error_file)
