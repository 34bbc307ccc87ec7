"""The one importer loop (common/importing.py): row numbers, every problem of a row on one line,
the file's order, ID numbers masked by default, all or nothing."""

import pytest

from common.importing import ParsedRow, TableImport
from members.actors import system
from members.models import Union
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db


class CodesImport(TableImport):
    """A toy importer: each row creates a union code; odd codes are refused in the second pass."""

    headers = ["编码", "公民身份号码"]
    required = ["编码"]
    batch_size = 2

    def parse_row(self, number, values):
        problems = []
        if not values["编码"].isdigit():
            problems += ["编码须为数字。", "编码须为数字（第二条）。"]
        return (values["编码"] if not problems else None), problems

    def row_key(self, item):
        return item

    def process_batch(self, rows: list[ParsedRow]) -> None:
        for r in rows:
            if int(r.item) % 2:
                self.refuse(r.number, ["编码须为双数。"])
            elif self.writing:
                Union.objects.create(code=r.item, name=r.item, level="city")
                self.note(r.number, "new", r.values)


def table(*codes, number=""):
    return [(1, ["编码", "公民身份号码"]), *[(i, [c, number]) for i, c in enumerate(codes, 2)]]


def test_problems_are_one_line_per_row_in_the_files_order_and_nothing_is_kept():
    # given: a bad row in the last batch, a duplicate, a row bad twice
    report = CodesImport(by=system("test")).run(table("2", "x", "4", "2", "5"))
    # then
    assert [str(p) for p in report.problems] == [
        "第3行：编码须为数字。；编码须为数字（第二条）。",
        "第5行：与第2行重复。",
        "第6行：编码须为双数。",
    ]
    assert report.problem_count == 3 and report.total == 5
    assert not Union.objects.exists()


def test_a_good_file_is_written_and_its_preview_masks_id_numbers_by_default():
    number = make_id_number()
    importer = CodesImport(preview_rows=5, by=system("test"))
    report = importer.run(table("2", "4", number=number))
    assert report.ok and report.created == 2
    assert set(Union.objects.values_list("code", flat=True)) == {"2", "4"}
    shown = report.preview[0].values["公民身份号码"]
    assert shown == number[:6] + "********" + number[-4:]


def test_a_dry_run_writes_nothing():
    report = CodesImport(dry_run=True, by=system("test")).run(table("2", "4"))
    assert report.ok and report.created == 2
    assert not Union.objects.exists()
