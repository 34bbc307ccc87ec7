import datetime as dt
import io
import os
import re
import subprocess
import sys
import zlib
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.utils import timezone

from dashboard import selectors, services
from dashboard.models import RollupRun, Snapshot, SnapshotValue
from members.actors import SYSTEM
from tests.dashboard.factories import IndicatorFactory, SnapshotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolled_up(tree, records, member_figures):
    IndicatorFactory(key="test_not_declared_anywhere", name_zh="未声明的指标")
    services.rollup_year(year=2024, figures=member_figures)
    return Snapshot.objects.get(is_current=True)


def test_the_overview_shows_the_years_figures_by_line_of_work(client, staff, rolled_up):
    # given
    client.force_login(staff["leadership"])

    # when
    response = client.get("/dashboard/", {"year": 2024})

    # then
    assert response.status_code == 200
    html = response.content.decode()
    for theme in ("思政引领", "深化产改", "维权服务", "强基固本"):
        assert theme in html
    assert "/static/vendor/echarts/echarts.min.js" in html
    assert "cdn" not in html.lower()
    rows = {r.indicator.key: r for r in response.context["board"].rows}
    assert rows["registered_members"].value == Decimal(10)
    assert rows["test_not_declared_anywhere"].value is None
    assert "暂无数据" in html
    assert response.context["chart_data"]["children"]["nodes"] == [
        {"code": "330502", "name": "吴兴区总工会"},
        {"code": "330503", "name": "南浔区总工会"},
    ]
    assert response.context["chart_data"]["children"]["values"]["registered_members"] == [5, 5]


def test_a_district_admin_sees_their_district_and_its_townships_only(client, staff, rolled_up):
    # given
    client.force_login(staff["district_admin"])

    # when
    own = client.get("/dashboard/", {"year": 2024})
    other = client.get("/dashboard/", {"year": 2024, "union": "330503"})

    # then
    assert own.context["union"].code == "330502"
    assert [n.code for n in own.context["nodes"]] == ["330502", "330502001", "330502002"]
    assert [n["code"] for n in own.context["chart_data"]["children"]["nodes"]] == [
        "330502001",
        "330502002",
    ]
    assert other.status_code == 403


def test_the_overview_needs_a_signed_in_user_with_a_part_of_the_tree(client, django_user_model):
    # given
    nobody = django_user_model.objects.create_user("nobody", password="pw-12345678")

    # when
    anonymous = client.get("/dashboard/")
    client.force_login(nobody)
    unscoped = client.get("/dashboard/")

    # then
    assert anonymous.status_code == 302
    assert anonymous["Location"] == "/admin/login/?next=/dashboard/"
    assert unscoped.status_code == 403


def test_a_city_admin_starts_a_rollup_from_the_page_and_it_is_queued_after_commit(
    client, staff, tree, django_capture_on_commit_callbacks
):
    # given
    client.force_login(staff["city_admin"])

    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/dashboard/rollup/", {"year": 2024})

    # then
    run = RollupRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/?year=2024"
    assert (run.year, run.status, run.requested_by) == (2024, "queued", staff["city_admin"])
    assert len(callbacks) == 1


@pytest.mark.parametrize("role", ["leadership", "district_admin"])
def test_leadership_and_district_staff_cannot_start_a_rollup(client, staff, tree, role):
    # given
    client.force_login(staff[role])

    # when
    response = client.post("/dashboard/rollup/", {"year": 2024})

    # then
    assert response.status_code == 403
    assert RollupRun.objects.count() == 0


def test_starting_a_rollup_while_one_runs_is_refused_visibly(client, staff, tree):
    # given
    from dashboard.models import RollupLock

    holder = RollupRun.objects.create(year=2024, status="running", progress_total=10)
    RollupLock.objects.create(year=2024, run=holder, heartbeat_at=timezone.now())
    client.force_login(staff["city_admin"])

    # when
    response = client.post("/dashboard/rollup/", {"year": 2024}, follow=True)

    # then
    assert "正在进行" in response.content.decode()
    assert list(RollupRun.objects.all()) == [holder]


def test_the_progress_of_a_run_is_readable_while_it_runs(client, staff, tree):
    # given
    run = RollupRun.objects.create(
        year=2024, status="running", progress_done=30, progress_total=120
    )
    client.force_login(staff["leadership"])

    # when
    data = client.get(f"/dashboard/runs/{run.pk}/").json()

    # then
    assert (data["status"], data["percent"], data["finished"]) == ("running", 25, False)


def test_the_report_card_pdf_is_made_from_the_snapshot(client, staff, rolled_up):
    # given
    client.force_login(staff["leadership"])

    # when
    response = client.get("/dashboard/report-card.pdf", {"year": 2024})

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    # typeset in the CJK font shipped with the code (dashboard.exports.PDF_FONT_FAMILY)
    assert b"HZ-Report-Sans" in pdf_objects(response.content)


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's compressed object streams, inflated (where the embedded font names live)."""
    out = b""
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            out += zlib.decompress(match.group(1))
        except zlib.error:
            continue
    return out + pdf


def test_the_report_card_xlsx_has_every_indicator_with_targets_and_districts(
    client, staff, rolled_up
):
    # given
    client.force_login(staff["leadership"])

    # when
    response = client.get("/dashboard/report-card.xlsx", {"year": 2024})

    # then
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    header = rows[2]
    assert header[-2:] == ("吴兴区总工会", "南浔区总工会")
    by_name = {r[1]: r for r in rows[3:]}
    members = by_name["会员实名制数据库会员数"]
    assert members[3] == 10
    assert members[7] == 681000  # published for 2024
    assert members[-2:] == (5, 5)
    assert by_name["未声明的指标"][3] == "暂无数据"
    assert len(rows[3:]) == 52


def test_projection_at_the_current_pace_and_same_date_last_year(tree):
    # given: a 2025 snapshot as of 1 July 2025 whose row carries its months (182 counted by
    # 1 July, 200 with records dated later in the year) and the same date last year; an older
    # 2024 snapshot no longer matters
    indicator = IndicatorFactory(key="test_flow", accumulates=True)
    july = dt.datetime(2025, 7, 1, 12, tzinfo=dt.UTC)
    now = SnapshotFactory(year=2025, computed_at=july, as_of=dt.date(2025, 7, 1), is_current=True)
    then = SnapshotFactory(year=2024, computed_at=july - dt.timedelta(days=366), is_current=True)
    months = ["30", "60", "90", "120", "150", "180", "182", None, None, None, None, None]
    SnapshotValue.objects.create(
        snapshot=now,
        indicator=indicator,
        union=tree.city,
        value=200,
        months=months,
        last_year_same_date=150,
    )
    SnapshotValue.objects.create(snapshot=then, indicator=indicator, union=tree.city, value=99)

    # when
    row = {
        r.indicator.key: r for r in selectors.board(viewer=SYSTEM, year=2025, union=tree.city).rows
    }["test_flow"]

    # then: 1 July is day 182 of 365, and the pace is what was counted by then
    assert row.value == Decimal(200)
    assert row.projection == Decimal("365.00")
    assert row.last_year_same_date == Decimal(150)


def test_the_monthly_trend_is_the_current_snapshots_months_not_the_roll_up_history(tree):
    # given: roll-ups of 2025 that ran in March and May, the last one with the year's months
    indicator = IndicatorFactory(key="test_trend")
    for month, value in [(3, 10), (5, 20)]:
        snap = SnapshotFactory(
            year=2025,
            computed_at=dt.datetime(2025, month, 10, tzinfo=dt.UTC),
            as_of=dt.date(2025, month, 10),
            is_current=month == 5,
        )
        months = [str(m * 4) if m <= month else None for m in range(1, 13)]
        SnapshotValue.objects.create(
            snapshot=snap, indicator=indicator, union=tree.city, value=value, months=months
        )

    # when
    trend = selectors.monthly_trend(viewer=SYSTEM, year=2025, union=tree.city)["test_trend"]

    # then
    assert trend == [4.0, 8.0, 12.0, 16.0, 20.0, None, None, None, None, None, None, None]


PDF_WITHOUT_SYSTEM_FONTS = """
import django

django.setup()
from dashboard.exports import html_to_pdf

pdf = html_to_pdf(
    '<html><body style="font-family: \\'HZ Report Sans\\', sans-serif">'
    "<h1>湖州市总工会</h1><p>会员 68.1万人</p></body></html>"
)
import sys

sys.stdout.buffer.write(pdf)
"""


def test_the_pdf_is_typeset_in_chinese_on_a_machine_without_any_cjk_font(tmp_path):
    # given: fontconfig that knows no font at all, as on a fresh machine without fonts-noto-cjk
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "LOG_LEVEL": "WARNING"}

    # when
    done = subprocess.run(
        [sys.executable, "-c", PDF_WITHOUT_SYSTEM_FONTS],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        timeout=120,
    )

    # then: the shipped font, regular and bold, is embedded
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    fonts = set(re.findall(rb"/FontName\s*/\w+\+([\w-]+)", pdf_objects(done.stdout)))
    assert fonts == {b"HZ-Report-Sans", b"HZ-Report-Sans-Bold"}
