"""下载错误文件 keeps the file, not the page: the refused import's error file is stored sealed (like
an export's file), fetched by the clerk who uploaded it and by no one else (404, as for a file
that does not exist), swept after an hour; the page that refused the import only links to it, so
it stays small however big the upload."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from common.error_file import ERROR_FILE_TTL
from common.export_jobs import sweep_export_jobs
from common.models import ExportChunk, ExportJob
from members.golive import UNION_HEADERS
from members.models import Member, Union
from tests.common.test_error_file import (
    ROSTER_URL,
    bad_check_digit,
    csv_rows,
    error_file_link,
    error_file_of,
    upload,
)
from tests.factories import make_id_number
from tests.members.helpers import roster_csv, row

pytestmark = pytest.mark.django_db


def refused_roster(client, tree, *, good_rows: int = 1) -> tuple[object, str]:
    """Upload a roster of `good_rows` good rows and one bad one (as the client's user)."""
    rows = [row(f"会员{i}", make_id_number(), tree.zhili_factory.code) for i in range(good_rows)]
    bad = bad_check_digit(make_id_number())
    rows.append(row("李四", bad, tree.zhili_factory.code))
    response = upload(client, ROSTER_URL, "名册.csv", roster_csv(rows))
    assert response.status_code == 200
    return response, bad


def test_only_the_clerk_who_uploaded_the_file_can_fetch_its_error_file(client, staff, tree):
    # given: a township clerk's roster refused
    client.force_login(staff["township_admin"])
    response, _bad = refused_roster(client, tree)
    link = error_file_link(response)
    job = ExportJob.objects.get(kind=ExportJob.Kind.IMPORT_ERRORS)
    others = [
        staff["district_admin"],  # the clerk's own district, over the clerk's union
        staff["city_admin"],
        User.objects.create_superuser("root", password="x"),
        staff["nanxun_admin"],
    ]

    # when / then: everyone else, however high, is answered as for a missing file
    for other in others:
        someone = Client()
        someone.force_login(other)
        assert someone.get(link).status_code == 404, other.username
        assert someone.get(f"/exports/{job.pk}/").status_code == 404, other.username
    assert Client().get(link).status_code == 302  # signed out: to the sign-in page

    # and the clerk still gets it, and only the clerk's fetch was counted
    name, data = error_file_of(response)
    assert name == "名册-错误原因.csv"
    assert "校验位" in csv_rows(data)[-1][-1]
    job.refresh_from_db()
    assert job.downloads == 1
    assert job.requested_by == staff["township_admin"]


def test_the_error_file_rests_sealed_and_is_gone_an_hour_later(client, staff, tree):
    # given: a refused roster whose error file holds a full ID number
    client.force_login(staff["township_admin"])
    response, bad = refused_roster(client, tree)
    job = ExportJob.objects.get(kind=ExportJob.Kind.IMPORT_ERRORS)
    stored = b"".join(
        bytes(c) for c in ExportChunk.objects.filter(job=job).values_list("sealed", flat=True)
    )
    assert stored and bad.encode() not in stored
    assert job.expires_at <= timezone.now() + ERROR_FILE_TTL

    # when: the export sweep runs just after the hour
    sweep_export_jobs(now=timezone.now() + ERROR_FILE_TTL + dt.timedelta(minutes=1))

    # then: the file is gone, the record stays, the link says why
    assert not ExportChunk.objects.filter(job=job).exists()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED
    page = client.get(error_file_link(response))
    assert page.status_code == 200 and not page.has_header("Content-Disposition")
    assert "已过下载期限" in page.content.decode()


def test_a_refusal_page_for_a_big_bad_upload_stays_small(client, staff, tree):
    # given: 3,000 good rows and one bad one
    client.force_login(staff["township_admin"])

    # when
    response, _bad = refused_roster(client, tree, good_rows=3000)

    # then: the page carries a link and the bad row, not the file
    _name, data = error_file_of(response)
    assert len(data) > 200_000
    assert len(response.content) < 100_000, len(response.content)
    assert "第3002行" in response.content.decode()
    assert Member.objects.count() == 0


def test_a_superuser_loading_the_tree_into_an_empty_database_gets_the_error_file(admin_client):
    # given: no union at all yet, and a superuser with no union of their own
    content = (
        "\ufeff"
        + ",".join(UNION_HEADERS)
        + "\r\n"
        + "330500,湖州市总工会,市总工会,,\r\n"
        + "330502,吴兴区总工会,区县工会,999999,\r\n"
    ).encode()

    # when
    response = upload(admin_client, "/admin/members/union/import/", "工会.csv", content)

    # then
    _name, data = error_file_of(response)
    assert "999999" in csv_rows(data)[2][-1]
    assert not Union.objects.exists()
    assert ExportJob.objects.get().union is None


def test_a_file_of_many_bad_rows_lists_the_first_hundred_and_points_to_the_error_file(
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
    assert len(response.content) < 100_000, len(response.content)
    assert "第101行" in page and "第102行" not in page
    assert "另有300行有错误，本页未列出" in page
    _name, data = error_file_of(response)
    assert "校验位" in csv_rows(data)[400][-1]  # the last bad row's reason is in the file


def test_a_records_page_lists_the_first_hundred_bad_rows_too(client, staff, tree):
    header = "类别,编号,标题,提出人,承办工会编码,承办方式,主办单位,交办日期,答复期限"
    bad = [
        f"政协提案,{i},关于技能培训的提案,赵委员,{tree.shuanglin.code},会办,市人社局,2025-03-01,2025-06-01"
        for i in range(150)
    ]
    client.force_login(staff["district_admin"])
    response = client.post(
        reverse("admin:welfare_proposal_import"),
        {"file": SimpleUploadedFile("提案.csv", "\n".join([header, *bad]).encode())},
    )
    page = response.content.decode()
    assert "第101行" in page and "第102行" not in page
    assert "另有50行有错误，本页未列出" in page
    error_file_link(response)
