"""A leader's path at 1366×768, from the sign-in form to the figures: lands on the dashboard (not
the admin's workbench), opens the records behind a figure, downloads the report card as a PDF.
What tests/dashboard/test_browser.py already proves (the charts drawn, the drill-down's total)
is not repeated; this adds the real sign-in, what the leader sees at a desk's width (no sideways
scroll, every column of the records on screen, no console error) and a PDF worth its name."""

import re
import zlib

import pytest

from dashboard import services
from dashboard.models import Indicator
from tests.portal.browser import (
    assert_desk_page_ok,
    browser_marks,
    staff_signs_in,
    watched_page,
)

pytestmark = browser_marks


@pytest.fixture
def snapshot_2024(staff, records, member_figures):
    """The 2024 roll-up, the latest year with figures: the board a leader opens by default."""
    services.rollup_year(year=2024, figures=member_figures)


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's objects as text, the compressed object streams inflated (WeasyPrint packs the
    font dictionaries into them), so what the file declares can be searched."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue  # not a deflated stream (an image)
    return b"\n".join(parts)


def columns_on_screen(page) -> dict:
    """How far the records table sticks out of its box and of the page (0, 0: every column
    shows without scrolling)."""
    return page.evaluate(
        """() => {
          const table = document.querySelector('table');
          const box = table.parentElement;
          return {
            box: box.scrollWidth - box.clientWidth,
            page: table.getBoundingClientRect().right - document.documentElement.clientWidth,
          };
        }"""
    )


def test_a_leader_signs_in_lands_on_the_dashboard_drills_into_a_figure_and_gets_the_pdf(
    live_server, chromium, snapshot_2024, tmp_path
):
    # given
    context = chromium.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", accept_downloads=True
    )
    page, errors = watched_page(context)
    registered = Indicator.objects.get(key="registered_members").name_zh

    # when: the leader signs in through the form, asking for no particular page
    staff_signs_in(page, live_server, "leader")

    # then: the dashboard of the city, for the latest year with figures, not the workbench
    assert re.fullmatch(rf"{re.escape(live_server.url)}/dashboard/(\?.*)?", page.url), page.url
    assert page.get_by_role("heading", level=1).inner_text() == "湖州市总工会 · 2024年度工作指标"
    card = page.locator("article").filter(has=page.get_by_role("heading", name=registered))
    figure = card.get_by_role("link", name="10", exact=True)
    assert figure.is_visible()
    page.locator("#chart-children canvas").wait_for()
    assert_desk_page_ok(page, errors)

    # when: the leader opens the records behind the figure
    figure.click()
    page.wait_for_load_state()

    # then: the figure's name, its total and all ten records with every column on screen
    assert page.get_by_role("heading", level=1).inner_text() == registered
    assert page.get_by_text(re.compile(r"合计\s*10\b")).is_visible()
    assert page.get_by_text("10 条记录").is_visible()
    assert page.locator("table tbody tr").count() == 10
    cut = columns_on_screen(page)
    assert cut["box"] <= 0 and cut["page"] <= 0, cut
    assert_desk_page_ok(page, errors)
    page.screenshot(path=str(tmp_path / "drilldown.png"), full_page=True)

    # when: back to the board, the report card is downloaded
    page.get_by_role("link", name=re.compile("返回看板")).click()
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载成绩单（PDF）").click()
    target = tmp_path / "card.pdf"
    download.value.save_as(target)

    # then: a real PDF, named for the city and the year, with a font embedded for the Chinese
    pdf = target.read_bytes()
    assert download.value.suggested_filename.endswith(".pdf")
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]
    assert len(pdf) > 10_000, len(pdf)
    # a font embedded for the text; without one the Chinese prints as empty boxes
    assert b"/FontFile" in pdf_objects(pdf)
    assert_desk_page_ok(page, errors)
    context.close()
