"""Import errors a clerk can act on in the admin: every problem of a row written in the table,
rows in file order, a Chinese heading that reads."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import Member
from tests.factories import make_id_number
from tests.members.helpers import roster_csv, row

pytestmark = pytest.mark.django_db


def bad_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def test_the_error_table_shows_every_problem_of_every_row_in_file_order(client, staff, tree):
    # given: row 2 is fine; row 3 has two problems (check digit, date); row 4 an unknown union;
    # row 5 a bad check digit
    content = roster_csv(
        [
            row("张三", make_id_number(), tree.zhili_factory.code),
            row("李四", bad_check_digit(make_id_number()), tree.zhili_factory.code, joined="昨天"),
            row("王五", make_id_number(), "999999"),
            row("赵六", bad_check_digit(make_id_number()), tree.zhili_factory.code),
        ]
    )
    client.force_login(staff["township_admin"])

    # when
    response = client.post(
        "/admin/members/member/import/",
        {"format": "1", "resource": "0", "import_file": SimpleUploadedFile("名册.csv", content)},
    )

    # then
    page = response.content.decode()
    assert "以下行有错误，整个文件未导入" in page
    assert "某些行验数据证失败" not in page
    table = page[page.index('id="import-errors"') :]
    table = table[: table.index("</table>")]
    assert re.findall(r"第(\d+)行", table) == ["3", "4", "5"]
    row3 = table[table.index("第3行") : table.index("第4行")]
    assert "校验位" in row3
    assert "入会日期" in row3  # the second problem of the same row, in the cell itself
    assert row3.count("<li>") >= 2
    assert "validation-error-container" not in table  # nothing hidden behind a hover
    assert Member.objects.count() == 0
