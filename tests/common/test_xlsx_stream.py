"""The streaming writer of export files (common.xlsx_stream): what it writes reads back in openpyxl
as the values given, formulas defused, characters XML cannot hold dropped, times in Huzhou."""

import codecs
import datetime as dt
import io
import zoneinfo
from decimal import Decimal

import openpyxl
import pytest

from common import xlsx_stream
from common.xlsx_stream import CsvStream, XlsxStream

HUZHOU = zoneinfo.ZoneInfo("Asia/Shanghai")


def wall(*args) -> dt.datetime:
    """A wall-clock time, as a spreadsheet holds it (no zone)."""
    return dt.datetime(*args)  # noqa: DTZ001


class ForwardOnly(io.RawIOBase):
    """A sink that cannot seek, as the sealed sink cannot."""

    def __init__(self):
        super().__init__()
        self.data = bytearray()

    def writable(self):
        return True

    def write(self, b):
        self.data += b
        return len(b)


def written(rows, **kwargs) -> list[list[tuple]]:
    sink = ForwardOnly()
    with XlsxStream(sink, **kwargs) as out:
        out.write_rows(rows)
    book = openpyxl.load_workbook(io.BytesIO(bytes(sink.data)))
    return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]


def test_values_read_back_as_written():
    # given
    rows = [
        ("姓名", "入会日期", "人次", "金额", "是否", "时间"),
        ("张三", dt.date(2024, 3, 1), 12, Decimal("1.50"), True, wall(2024, 6, 3, 23, 30)),
        ("李四", None, 0, 2.25, False, None),
    ]

    # when
    [sheet] = written(rows)

    # then
    assert sheet[0] == rows[0]
    assert sheet[1] == ("张三", wall(2024, 3, 1), 12, 1.5, True, wall(2024, 6, 3, 23, 30))
    assert sheet[2] == ("李四", None, 0, 2.25, False, None)


def test_text_that_excel_would_run_is_defused_and_markup_is_escaped():
    # when
    [sheet] = written([('=HYPERLINK("http://x","点我")', "+1", "-2", "@a", "a<b>&c", " 空格 ")])

    # then
    assert sheet[0] == ('\'=HYPERLINK("http://x","点我")', "'+1", "'-2", "'@a", "a<b>&c", " 空格 ")


def test_characters_xml_cannot_hold_are_dropped_without_losing_the_row():
    # given: a bell, a NUL and the batch separator itself inside names
    rows = [("甲\x07乙", "丙\x00"), ("丁\x1f戊", "己")]

    # when
    [sheet] = written(rows)

    # then
    assert sheet == [("甲乙", "丙"), ("丁戊", "己")]


def test_an_aware_datetime_is_written_as_huzhou_wall_clock_time():
    # given: 23:30 in Huzhou is 15:30 UTC
    moment = dt.datetime(2024, 6, 3, 15, 30, tzinfo=dt.UTC)

    # when
    [sheet] = written([(moment,)], tz=HUZHOU)

    # then
    assert sheet[0][0] == wall(2024, 6, 3, 23, 30)


def test_other_values_are_written_as_their_text():
    # when
    [sheet] = written([(zoneinfo.ZoneInfo("UTC"), dt.time(8, 0))])

    # then
    assert sheet[0] == ("UTC", "08:00:00")


def test_rows_past_a_sheets_limit_go_on_to_a_second_sheet(monkeypatch):
    # given: a sheet limit of 3 rows (Excel's is 1,048,576)
    monkeypatch.setattr(xlsx_stream, "MAX_ROWS", 3)

    # when
    sheets = written([(i,) for i in range(7)], sheet_title="2024")

    # then
    assert [[r[0] for r in s] for s in sheets] == [[0, 1, 2], [3, 4, 5], [6]]


def test_csv_has_a_bom_for_chinese_excel_and_defuses_formulas():
    # given
    sink = ForwardOnly()

    # when
    with CsvStream(sink, tz=HUZHOU) as out:
        out.write_rows([("姓名", "时间"), ("=1+1", dt.datetime(2024, 1, 1, 0, 0, tzinfo=dt.UTC))])

    # then
    data = bytes(sink.data)
    assert data.startswith(codecs.BOM_UTF8)
    assert data.decode("utf-8-sig").splitlines() == ["姓名,时间", "'=1+1,2024-01-01 08:00:00"]


@pytest.mark.parametrize(("n", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (703, "AAA")])
def test_column_letters(n, letters):
    assert xlsx_stream.column_letters(n) == letters
