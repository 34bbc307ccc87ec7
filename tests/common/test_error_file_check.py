"""检查并下载错误文件 (issue 14: the error file streamed in the response, never stored): every import
form's second button runs the same dry run and answers with the error file itself, writing no row
and keeping nothing; a clean file is answered 文件没有错误，可以导入. A refusal page carries a small
error file as a data: link and points a big one to that button, so it stays small."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from common.error_file import CHECK_ERRORS, ERROR_FILE_INLINE_MAX
from common.models import ExportChunk, ExportJob, ImportUpload
from members.golive import UNION_HEADERS
from members.importing import ROSTER_HEADERS
from members.models import Member, Union
from tests.common.test_error_file import (
    ROSTER_URL,
    bad_check_digit,
    csv_rows,
    downloaded_name,
    error_file_of,
    upload,
)
from tests.factories import make_id_number
from tests.members.helpers import roster_csv, roster_xlsx, row

pytestmark = pytest.mark.django_db


def check(client, url: str, name: str, content: bytes, fmt: str = "1"):
    """The import form sent with 检查并下载错误文件 instead of 提交."""
    return client.post(
        url, {"format": fmt, "import_file": SimpleUploadedFile(name, content), CHECK_ERRORS: "1"}
    )


def attachment(response) -> tuple[str, bytes]:
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return downloaded_name(response), response.content


def assert_nothing_kept(media_root) -> None:
    assert not ImportUpload.objects.exists()
    assert not ExportJob.objects.exists() and not ExportChunk.objects.exists()
    assert not any(media_root.rglob("*")), list(media_root.rglob("*"))


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def test_the_check_button_answers_with_the_error_file_and_writes_and_keeps_nothing(
    client, staff, tree, media_root
):
    # given: row 3 has two problems, row 4 one
    numbers = [make_id_number() for _ in range(3)]
    content = roster_csv(
        [
            row("张三", numbers[0], tree.zhili_factory.code),
            row("李四", bad_check_digit(numbers[1]), tree.zhili_factory.code, joined="昨天"),
            row("王五", numbers[2], "999999"),
        ]
    )
    client.force_login(staff["township_admin"])

    # when
    response = check(client, ROSTER_URL, "名册.csv", content)

    # then: the answer is the file, every row and every reason, and nothing is left behind
    name, data = attachment(response)
    assert name == "名册-错误原因.csv"
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(data)
    assert [r[0] for r in rows] == ["姓名", "张三", "李四", "王五"]
    assert rows[0][-1] == "错误原因" and rows[1][-1] == ""
    assert "校验位" in rows[2][-1] and "入会日期" in rows[2][-1]
    assert "999999" in rows[3][-1]
    assert Member.objects.count() == 0
    assert_nothing_kept(media_root)


def test_the_check_button_answers_an_xlsx_with_an_xlsx(client, staff, tree, media_root):
    content = roster_xlsx([["李四", "123", "", tree.zhili_factory.code, "", "", "2024-01-01", ""]])
    client.force_login(staff["township_admin"])
    response = check(client, ROSTER_URL, "名册.xlsx", content, fmt="0")
    name, data = attachment(response)
    assert name == "名册-错误原因.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[0][-1] == "错误原因" and "公民身份号码" in cells[1][-1]
    assert_nothing_kept(media_root)


def test_a_clean_file_checked_is_answered_that_it_can_be_imported(client, staff, tree):
    content = roster_csv([row("张三", make_id_number(), tree.zhili_factory.code)])
    client.force_login(staff["township_admin"])

    response = check(client, ROSTER_URL, "名册.csv", content)

    assert not response.has_header("Content-Disposition")
    assert "文件没有错误，可以导入" in response.content.decode()
    assert "confirm_form" in response.context  # the preview, ready to confirm
    assert Member.objects.count() == 0


def test_a_superuser_loading_the_tree_into_an_empty_database_gets_the_error_file(
    admin_client, media_root
):
    # given: no union at all yet, and a superuser with no union of their own
    content = (
        "\ufeff"
        + ",".join(UNION_HEADERS)
        + "\r\n"
        + "330500,湖州市总工会,市总工会,,\r\n"
        + "330502,吴兴区总工会,区县工会,999999,\r\n"
    ).encode()

    # when: 提交, then 检查并下载错误文件
    refused = upload(admin_client, "/admin/members/union/import/", "工会.csv", content)
    checked = check(admin_client, "/admin/members/union/import/", "工会.csv", content)

    # then: both give the file; nothing needs a union to keep it
    for data in (error_file_of(refused)[1], attachment(checked)[1]):
        assert "999999" in csv_rows(data)[2][-1]
    assert not Union.objects.exists()
    assert_nothing_kept(media_root)


def big_roster(tree, *, rows: int, note_chars: int) -> bytes:
    """A roster whose last row is bad, padded with a 备注 column the importer ignores."""
    note = "备" * note_chars
    body = [
        [*row(f"会员{i}", make_id_number(), tree.zhili_factory.code), note] for i in range(rows)
    ]
    body.append([*row("李四", bad_check_digit(make_id_number()), tree.zhili_factory.code), note])
    return roster_csv(body, headers=[*ROSTER_HEADERS, "备注"])


def test_a_big_bad_uploads_refusal_page_stays_small_and_points_to_the_check_button(
    client, staff, tree, media_root
):
    # given: an upload whose error file is over the page's limit
    content = big_roster(tree, rows=120, note_chars=3000)
    assert len(content) > ERROR_FILE_INLINE_MAX
    client.force_login(staff["township_admin"])

    # when: 提交
    response = upload(client, ROSTER_URL, "名册.csv", content)

    # then: the page lists the bad row and says how to get the file, with no file inside
    page = response.content.decode()
    assert len(response.content) < 100_000, len(response.content)
    assert "data:" not in page and 'id="import-error-file"' not in page
    assert "第122行" in page
    assert "请在上面的表单中重新选择同一文件，点“检查并下载错误文件”下载" in page
    assert 'name="_check_errors"' in page  # the button is right there
    assert_nothing_kept(media_root)

    # when: the same file, 检查并下载错误文件
    _name, data = attachment(check(client, ROSTER_URL, "名册.csv", content))

    # then: the whole file, with the reason on its last row
    rows = csv_rows(data)
    assert len(rows) == 122 and rows[-1][-2].startswith("备")
    assert "校验位" in rows[-1][-1]
    assert Member.objects.count() == 0
    assert_nothing_kept(media_root)


def test_a_small_bad_uploads_refusal_page_carries_the_file(client, staff, tree):
    content = big_roster(tree, rows=3, note_chars=10)
    client.force_login(staff["township_admin"])
    response = upload(client, ROSTER_URL, "名册.csv", content)
    name, data = error_file_of(response)
    assert name == "名册-错误原因.csv"
    assert "校验位" in csv_rows(data)[-1][-1]
    assert "import-error-file-too-big" not in response.content.decode()


def test_a_file_of_many_bad_rows_lists_the_first_hundred_and_carries_the_rest_in_the_file(
    client, staff, tree
):
    # given: 400 rows, every one bad (rows 2 to 401 of the file)
    client.force_login(staff["township_admin"])
    rows = [
        row(f"会员{i}", bad_check_digit(make_id_number()), tree.zhili_factory.code)
        for i in range(400)
    ]

    # when
    response = upload(client, ROSTER_URL, "名册.csv", roster_csv(rows))

    # then: the page lists the first hundred and says where the rest are
    page = response.content.decode()
    assert len(response.content) < 200_000, len(response.content)
    assert "第101行" in page and "第102行" not in page
    assert "另有300行有错误，本页未列出" in page
    _name, data = error_file_of(response)
    assert "校验位" in csv_rows(data)[400][-1]  # the last bad row's reason is in the file


# --- the import pages of their own (records, attendance) -----------------------------------------


PROPOSAL_HEADER = "类别,编号,标题,提出人,承办工会编码,承办方式,主办单位,交办日期,答复期限"


def test_a_records_page_lists_the_first_hundred_bad_rows_too(client, staff, tree):
    bad = [
        f"政协提案,{i},关于技能培训的提案,赵委员,{tree.shuanglin.code},会办,市人社局,2025-03-01,2025-06-01"
        for i in range(150)
    ]
    client.force_login(staff["district_admin"])
    response = client.post(
        reverse("admin:welfare_proposal_import"),
        {"file": SimpleUploadedFile("提案.csv", "\n".join([PROPOSAL_HEADER, *bad]).encode())},
    )
    page = response.content.decode()
    assert "第101行" in page and "第102行" not in page
    assert "另有50行有错误，本页未列出" in page
    error_file_of(response)


def test_a_records_page_checked_answers_with_the_error_file(client, staff, tree, media_root):
    bad = [
        f"政协提案,{i},关于技能培训的提案,赵委员,{tree.shuanglin.code},会办,市人社局,2025-03-01,2025-06-01"
        for i in range(150)
    ]
    client.force_login(staff["district_admin"])
    url = reverse("admin:welfare_proposal_import")
    assert 'name="_check_errors"' in client.get(url).content.decode()

    # when: the form's dry-run box unticked, sent with 检查并下载错误文件
    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("提案.csv", "\n".join([PROPOSAL_HEADER, *bad]).encode()),
            CHECK_ERRORS: "1",
        },
    )

    # then
    name, data = attachment(response)
    assert name == "提案-错误原因.csv"
    rows = csv_rows(data)
    assert len(rows) == 151 and all("不在您的管辖范围内" in r[-1] for r in rows[1:])
    assert_nothing_kept(media_root)


def test_a_clean_attendance_list_checked_is_not_written(tree, staff):
    from activities.models import Attendance
    from tests.activities.factories import ActivityFactory
    from tests.factories import MemberFactory

    activity = ActivityFactory(union=tree.zhili_factory)
    number = make_id_number()
    MemberFactory(union=tree.zhili_factory, id_number=number, name="张三")
    client = Client()
    client.force_login(staff["township_admin"])
    url = reverse("admin:activities_activity_import_attendance", args=[activity.pk])

    # when: dry-run box unticked, but sent with 检查并下载错误文件
    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("名单.csv", f"姓名,公民身份号码\n张三,{number}\n".encode()),
            CHECK_ERRORS: "1",
        },
    )

    # then
    assert response.status_code == 200 and not response.has_header("Content-Disposition")
    assert "文件没有错误，可以导入" in response.content.decode()
    assert not Attendance.objects.filter(activity=activity).exists()

    # and a bad one is answered with its error file
    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("名单.csv", "姓名,公民身份号码\n李四,123\n".encode()),
            CHECK_ERRORS: "1",
        },
    )
    name, data = attachment(response)
    assert name == "名单-错误原因.csv" and csv_rows(data)[1][-1]


def test_the_results_page_has_the_check_button_and_the_experts_page_not(tree, staff, media_root):
    from tests.skills.factories import CompetitionFactory

    competition = CompetitionFactory(union=tree.wuxing)
    client = Client()
    client.force_login(staff["district_admin"])
    results_url = reverse("admin:skills_competition_results", args=[competition.pk])
    experts_url = reverse("admin:skills_competition_experts", args=[competition.pk])
    assert 'name="_check_errors"' in client.get(results_url).content.decode()
    assert 'name="_check_errors"' not in client.get(experts_url).content.decode()

    # when: a results sheet naming nobody on file, dry-run box unticked, checked
    sheet = f"姓名,公民身份号码,成绩,奖项\n张伟,{make_id_number()},90,一等奖\n".encode()
    response = client.post(
        results_url, {"file": SimpleUploadedFile("成绩.csv", sheet), CHECK_ERRORS: "1"}
    )

    # then
    name, data = attachment(response)
    assert name == "成绩-错误原因.csv" and csv_rows(data)[1][-1]
    assert not competition.entries.exists()
    assert_nothing_kept(media_root)
