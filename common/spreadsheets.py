"""Reading and writing the spreadsheets union staff exchange: .xlsx and .csv in the encodings
Chinese Excel saves (UTF-8, UTF-8 with BOM, GB18030/GBK)."""

import codecs
import contextlib
import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(ValidationError):
    """The file as a whole cannot be read as this kind of table (wrong type, not a workbook,
    wrong headers). Every caller answers it as the clerk's mistake: 400, the message on the
    page, exit 1; never a 500."""


def formula_safe(value: object) -> object:
    """A text cell that Excel would run as a formula gets a leading apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def detect_csv_encoding(stream: BinaryIO, chunk_size: int = 1 << 20) -> str:
    """UTF-8 (with or without BOM) if the whole stream decodes as UTF-8, else GB18030 (a superset of
    GBK and GB2312). Reads the stream once in chunks, so memory stays flat, and rewinds it."""
    stream.seek(0)
    head = stream.read(3)
    encoding = "utf-8-sig" if head == codecs.BOM_UTF8 else "utf-8"
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(chunk_size):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        encoding = "gb18030"
    stream.seek(0)
    return encoding


def cell_text(value: object) -> str:
    """One spreadsheet cell as the text a clerk typed: Excel dates as ISO dates, whole numbers
    without a trailing .0 (an ID typed as a number has already lost its digits: the check catches it)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def iter_rows(stream: BinaryIO, filename: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number in the file, cells) for every row, the header row included (number 1).
    Row numbers are the ones Excel shows, so a clerk can find the row. A file that cannot be read
    as its name says raises `SpreadsheetError`, when the first row is asked for."""
    suffix = Path(filename).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        yield from _iter_xlsx(stream)
    elif suffix in {".csv", ".txt"}:
        yield from _iter_csv(stream)
    else:
        raise SpreadsheetError(
            _("不支持的文件类型“%(suffix)s”：请上传 .xlsx 或 .csv 文件。")
            % {"suffix": suffix or "?"}
        )


NOT_XLSX = _lazy(
    "文件不是有效的 .xlsx 表格（可能是 .xls 等其他格式改了扩展名，或文件已损坏）："
    "请在 Excel 中“另存为”Excel 工作簿（.xlsx）或 CSV 后重新上传。"
)


def _iter_xlsx(stream: BinaryIO) -> Iterator[tuple[int, list[str]]]:
    import openpyxl

    # A renamed .xls, a PDF or a truncated download fails in zipfile (BadZipFile), in openpyxl or
    # in the XML parser, either on opening or while the rows stream; each is the file's fault.
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # any failure to open: "not a workbook"
        raise SpreadsheetError(str(NOT_XLSX)) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        while True:
            try:
                number, row = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a corrupt part, found mid-stream
                raise SpreadsheetError(str(NOT_XLSX)) from exc
            yield number, [cell_text(v) for v in row]
    finally:
        workbook.close()


def _iter_csv(stream: BinaryIO) -> Iterator[tuple[int, list[str]]]:
    encoding = detect_csv_encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        for number, row in enumerate(csv.reader(text), start=1):
            yield number, [cell.strip() for cell in row]
    finally:
        # Hand the byte stream back to its owner open (closing the wrapper would close it too).
        with contextlib.suppress(ValueError):
            text.detach()
