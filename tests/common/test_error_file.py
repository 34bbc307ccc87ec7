"""下载错误文件: a refused import gives the clerk their own file back with a 错误原因 column, every
problem of each bad row in it, never stored: inside the page that refused it (a data: link) when
small, else through the form's 检查并下载错误文件 button (tests/common/test_error_file_check.py).
Fixed in Excel and uploaded again, it goes in."""

import base64
import csv
import io
import re
from urllib.parse import unquote

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from common.models import ImportUpload
from members.golive import STAFF_HEADERS, UNION_HEADERS
from members.models import Member, Union
from tests.factories import make_id_number
from tests.members.helpers import roster_csv, roster_xlsx, row

pytestmark = pytest.mark.django_db


def bad_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def error_file_link(response) -> tuple[str, str]:
    """The refusal page's 下载错误文件 link: (data: URI, file name)."""
    page = response.content.decode()
    match = re.search(r'id="import-error-file" href="(data:[^"]+)" download="([^"]+)"', page)
    assert match, "the refused import offers no 下载错误文件"
    assert "下载错误文件" in page
    return match.group(1), match.group(2)


def downloaded_name(download) -> str:
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    return unquote(disposition.split("filename*=utf-8''")[1])


def error_file_of(response) -> tuple[str, bytes]:
    """The file name and bytes behind the refusal page's 下载错误文件 link."""
    uri, name = error_file_link(response)
    return name, base64.b64decode(uri.split(";base64,", 1)[1])


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Chinese Excel opens it as is
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def upload(client, url: str, name: str, content: bytes, fmt: str = "1"):
    return client.post(url, {"format": fmt, "import_file": SimpleUploadedFile(name, content)})


ROSTER_URL = "/admin/members/member/import/"


def test_a_roster_with_two_bad_rows_downloads_their_reasons_and_goes_in_once_fixed(
    client, staff, tree
):
    # given: rows 2 and 4 are fine; row 3 has two problems, row 5 one
    numbers = [make_id_number() for _ in range(4)]
    content = roster_csv(
        [
            row("张三", numbers[0], tree.zhili_factory.code),
            row("李四", bad_check_digit(numbers[1]), tree.zhili_factory.code, joined="昨天"),
            row("王五", numbers[2], tree.zhili_factory.code),
            row("赵六", numbers[3], "999999"),
        ]
    )
    client.force_login(staff["township_admin"])

    # when: the clerk uploads it
    response = upload(client, ROSTER_URL, "名册.csv", content)

    # then: the error file is the clerk's file with the reasons of rows 3 and 5
    name, data = error_file_of(response)
    assert name == "名册-错误原因.csv"
    rows = csv_rows(data)
    assert rows[0][-1] == "错误原因"
    assert rows[1][0] == "张三" and rows[1][-1] == ""
    assert rows[2][1] == bad_check_digit(numbers[1])  # the cell as the clerk typed it
    assert "校验位" in rows[2][-1] and "入会日期" in rows[2][-1]
    assert rows[3][-1] == ""
    assert "999999" in rows[4][-1]
    assert Member.objects.count() == 0
    assert not ImportUpload.objects.exists()  # nothing of the file kept on the server

    # when: the clerk fixes both rows in the downloaded file and uploads it again
    rows[2][1] = numbers[1]
    rows[2][6] = "2024-03-01"
    rows[4][3] = tree.zhili_factory.code
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    response = upload(client, ROSTER_URL, "名册-错误原因.csv", out.getvalue().encode("utf-8-sig"))

    # then: the preview accepts it, the confirmation writes all four
    assert "confirm_form" in response.context, response.content.decode()[:2000]
    client.post("/admin/members/member/process_import/", response.context["confirm_form"].initial)
    assert Member.objects.count() == 4


def test_an_xlsx_upload_gets_an_xlsx_error_file(client, staff, tree):
    number = make_id_number()
    content = roster_xlsx(
        [
            ["张三", number, "13800001111", tree.zhili_factory.code, "", "", "2024-01-01", ""],
            ["李四", "123", "", tree.zhili_factory.code, "", "", "2024-01-01", ""],
        ]
    )
    client.force_login(staff["township_admin"])
    response = upload(client, ROSTER_URL, "名册.xlsx", content, fmt="0")
    name, data = error_file_of(response)
    assert name == "名册-错误原因.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [[c if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)]
    assert cells[0][-1] == "错误原因"
    assert cells[1][1] == number and cells[1][-1] == ""
    assert "公民身份号码" in cells[2][-1]


def test_the_union_tree_import_offers_the_error_file_too(client, staff, tree):
    content = (
        "\ufeff"
        + ",".join(UNION_HEADERS)
        + "\r\n"
        + f"330502003,妙西镇总工会,乡镇,{tree.wuxing.code},\r\n"
        + "330502004G01,无上级,基层工会,999999,\r\n"
    ).encode()
    client.force_login(staff["district_admin"])
    response = upload(client, "/admin/members/union/import/", "工会.csv", content)
    _name, data = error_file_of(response)
    rows = csv_rows(data)
    assert rows[1][-1] == "" and "999999" in rows[2][-1]
    assert not Union.objects.filter(code="330502003").exists()


def test_staff_accounts_come_in_through_the_admin_import(client, staff, tree):
    content = (
        "\ufeff"
        + ",".join(STAFF_HEADERS)
        + "\r\n"
        + f"miaoxi,钱七,{tree.zhili.code},乡镇(街道)管理员,13900001234\r\n"
    ).encode()
    client.force_login(staff["district_admin"])
    response = upload(client, "/admin/members/staffprofile/import/", "账号.csv", content)
    page = response.content.decode()
    assert "139****1234" in page and "13900001234" not in page  # the preview masks the phone
    client.post(
        "/admin/members/staffprofile/process_import/", response.context["confirm_form"].initial
    )
    user = User.objects.get(username="miaoxi")
    assert not user.has_usable_password()
    assert user.staff_profile.phone == "13900001234"


def test_a_leader_has_no_staff_import(client, staff):
    client.force_login(staff["leadership"])
    assert client.get("/admin/members/staffprofile/import/").status_code == 403


def test_the_command_prints_the_reasons_and_writes_the_error_file(tmp_path, tree):
    good, bad = make_id_number(), bad_check_digit(make_id_number())
    source = tmp_path / "名册.csv"
    source.write_bytes(
        roster_csv(
            [row("张三", good, tree.zhili_factory.code), row("李四", bad, tree.zhili_factory.code)]
        )
    )
    target = tmp_path / "错误.csv"
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_members",
            str(source),
            "--errors-file",
            str(target),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "第3行：" in err.getvalue() and "错误文件已写入" in err.getvalue()
    rows = csv_rows(target.read_bytes())
    assert rows[1][-1] == "" and "校验位" in rows[2][-1]
    assert Member.objects.count() == 0


# --- the imports with pages of their own (attendance, results, enrolments, claims, records) -------


def test_the_attendance_page_offers_the_error_file_and_takes_the_fixed_file(tree, staff):
    from activities.models import Attendance
    from tests.activities.factories import ActivityFactory
    from tests.factories import MemberFactory

    activity = ActivityFactory(union=tree.zhili_factory)
    numbers = [make_id_number(), make_id_number()]
    for name, number in zip(["张三", "李四"], numbers, strict=True):
        MemberFactory(union=tree.zhili_factory, id_number=number, name=name)
    client = Client()
    client.force_login(staff["township_admin"])
    url = reverse("admin:activities_activity_import_attendance", args=[activity.pk])
    content = f"姓名,公民身份号码\n张三,{numbers[0]}\n李四,123\n王五,456\n".encode()
    response = client.post(url, {"file": SimpleUploadedFile("名单.csv", content)})
    _name, data = error_file_of(response)
    rows = csv_rows(data)
    assert rows[1][-1] == "" and rows[2][-1] and rows[3][-1]
    # fixed: the bad rows dropped or corrected, the 错误原因 column left in
    fixed = [rows[0], rows[1], ["李四", numbers[1], ""]]
    out = io.StringIO()
    csv.writer(out).writerows(fixed)
    response = client.post(
        url, {"file": SimpleUploadedFile("名单-错误原因.csv", out.getvalue().encode("utf-8-sig"))}
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(activity=activity).count() == 2


def test_the_proposal_page_offers_the_error_file(tree, staff):
    header = "类别,编号,标题,提出人,承办工会编码,承办方式,主办单位,交办日期,答复期限"
    bad = f"政协提案,7,关于技能培训的提案,赵委员,{tree.shuanglin.code},会办,市人社局,2025-03-01,2025-06-01"
    client = Client()
    client.force_login(staff["district_admin"])
    response = client.post(
        reverse("admin:welfare_proposal_import"),
        {"file": SimpleUploadedFile("提案.csv", f"{header}\n{bad}\n".encode())},
    )
    _name, data = error_file_of(response)
    assert "不存在或不在您的管辖范围内" in csv_rows(data)[1][-1]


def test_an_error_file_refused_again_keeps_one_reason_column():
    from common.error_file import build_error_file
    from common.importing import ImportReport

    report = ImportReport()
    report.add_problem(3, ["新的问题"])
    table = [(1, ["姓名", "错误原因", ""]), (2, ["张三", "", ""]), (3, ["李四", "旧的问题"])]
    error_file = build_error_file(table, report, file_name="名册-错误原因.csv")
    assert error_file.name == "名册-错误原因.csv"
    assert csv_rows(error_file.data) == [["姓名", "错误原因"], ["张三", ""], ["李四", "新的问题"]]
