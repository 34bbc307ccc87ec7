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

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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
    Row numbers are the ones Excel shows, so a clerk can find the row."""
    suffix = Path(filename).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        yield from _iter_xlsx(stream)
    elif suffix in {".csv", ".txt"}:
        yield from _iter_csv(stream)
    else:
        raise ValidationError(
            _("不支持的文件类型“%(suffix)s”：请上传 .xlsx 或 .csv 文件。")
            % {"suffix": suffix or "?"}
        )


def _iter_xlsx(stream: BinaryIO) -> Iterator[tuple[int, list[str]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ValidationError(_("无法读取该 Excel 文件，请确认是 .xlsx 格式。")) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
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
