"""A file named .xlsx that is not a zip (a renamed .xls, a PDF, a truncated download) is refused
with a message a clerk can act on at every entry point: 400 from the API, the message on the admin
page, exit 1 from a command; never a 500 or a traceback."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from common.spreadsheets import SpreadsheetError, iter_rows
from tests.activities.factories import ActivityFactory
from tests.skills.factories import CompetitionFactory
from tests.welfare.factories import LineFactory, PlanFactory

pytestmark = pytest.mark.django_db

NOT_A_ZIP = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old .xls, renamed"
MESSAGE = "文件不是有效的 .xlsx 表格"


def upload(name="名单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, NOT_A_ZIP)


def client_for(user) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


@pytest.fixture
def line(tree):
    import datetime as dt

    from django.utils import timezone

    year = timezone.localdate().year
    plan = PlanFactory(
        union=tree.city,
        year=year,
        enrolment_opens=dt.date(year - 1, 11, 1),
        enrolment_closes=dt.date(year, 12, 31),
    )
    return LineFactory(plan=plan)


@pytest.mark.parametrize("content", [NOT_A_ZIP, b"", b"PK\x03\x04 truncated"])
def test_reading_a_non_zip_xlsx_raises_the_spreadsheet_error(content):
    with pytest.raises(SpreadsheetError) as exc:
        list(iter_rows(io.BytesIO(content), "名单.xlsx"))
    assert MESSAGE in exc.value.messages[0]


def test_the_results_api_answers_400(tree, staff, api):
    competition = CompetitionFactory(union=tree.wuxing)
    response = api(staff["district_admin"]).post(
        f"/api/v1/skills/competitions/{competition.pk}/results/",
        {"file": upload()},
        format="multipart",
    )
    assert response.status_code == 400
    assert MESSAGE in str(response.json())


def test_the_results_admin_page_shows_the_message(tree, staff):
    competition = CompetitionFactory(union=tree.wuxing)
    response = client_for(staff["district_admin"]).post(
        reverse("admin:skills_competition_results", args=[competition.pk]), {"file": upload()}
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()


def test_the_attendance_admin_page_shows_the_message(tree, staff):
    activity = ActivityFactory(union=tree.zhili_factory)
    response = client_for(staff["township_admin"]).post(
        reverse("admin:activities_activity_import_attendance", args=[activity.pk]),
        {"file": upload()},
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()


@pytest.mark.parametrize("kind", ["enrolment", "claim"])
def test_the_welfare_import_pages_show_the_message(tree, staff, line, kind):
    response = client_for(staff["township_admin"]).post(
        reverse(f"admin:welfare_{kind}_import"),
        {"plan": line.plan.pk, "file": upload()},
        follow=True,
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()


def test_the_roster_admin_import_shows_the_message(tree, staff):
    response = client_for(staff["township_admin"]).post(
        reverse("admin:members_member_import"), {"format": "0", "import_file": upload()}
    )
    assert response.status_code == 200
    assert "xlsx" in response.content.decode()


def _command_fails(*args) -> CommandError:
    with pytest.raises(CommandError) as exc:
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())
    return exc.value


def test_import_members_exits_1_with_the_message(tree, tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(NOT_A_ZIP)
    error = _command_fails("import_members", str(path))
    assert error.returncode == 1 and MESSAGE in str(error)


def test_import_attendance_exits_1_with_the_message(tree, tmp_path):
    path = tmp_path / "名单.xlsx"
    path.write_bytes(NOT_A_ZIP)
    error = _command_fails("import_attendance", str(path))
    assert error.returncode == 1 and MESSAGE in str(error)


def test_import_results_exits_1_with_the_message(tree, tmp_path):
    competition = CompetitionFactory(union=tree.wuxing)
    path = tmp_path / "成绩.xlsx"
    path.write_bytes(NOT_A_ZIP)
    error = _command_fails("import_results", str(competition.pk), str(path))
    assert error.returncode == 1 and MESSAGE in str(error)
