"""The member and claim lists in a real browser at 1366×768: every column on screen (no
horizontal scroll), names on one line. Playwright driving Debian's Chromium against live_server."""

import os
from pathlib import Path

import pytest
from django.db import connections

from members.models import Union
from tests.factories import EnterpriseFactory, MemberFactory, UnionFactory
from tests.welfare.factories import ClaimFactory, EnrolmentFactory, LineFactory, PlanFactory

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent"),
]

LONG_UNION = "湖州织里振华木业有限公司工会委员会"
LONG_ENTERPRISE = "湖州织里振华木业有限公司（织里镇童装产业园区分厂）"


@pytest.fixture
def page_as(live_server, client):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")

        def open_as(user):
            client.force_login(user)
            host = live_server.url.split("//")[1].split(":")[0]
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "domain": host,
                        "path": "/",
                    }
                ]
            )
            return context.new_page()

        try:
            yield open_as
        finally:
            context.close()
            browser.close()
            connections.close_all()


@pytest.fixture
def long_names(tree):
    union = UnionFactory(code="330502001G0099", name=LONG_UNION, parent=tree.zhili)
    enterprise = EnterpriseFactory(name=LONG_ENTERPRISE, union=union)
    members = [
        MemberFactory(union=union, enterprise=enterprise, name=name)
        for name in ("欧阳振华", "李文博", "司马晓雯")
    ]
    line = LineFactory(plan=PlanFactory(union=tree.city))
    for member in members:
        ClaimFactory(
            enrolment=EnrolmentFactory(member=member, line=line),
            hospital="浙江大学医学院附属第一医院湖州分院",
        )
    return union


def overflow(page) -> dict:
    return page.evaluate(
        """() => {
          const results = document.querySelector('#changelist .results');
          return {
            page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            list: results.scrollWidth - results.clientWidth,
          };
        }"""
    )


def visible(page, selector: str) -> bool:
    """The header cell lies inside the viewport's width."""
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1366


def test_the_member_list_fits_1366_px_with_names_on_one_line(
    live_server, page_as, staff, long_names, tmp_path
):
    # given
    page = page_as(staff["township_admin"])
    # when
    page.goto(f"{live_server.url}/admin/members/member/")
    page.wait_for_selector("#result_list")
    # then
    assert overflow(page) == {"page": 0, "list": 0}
    for column in ("joined_on", "status", "name"):
        assert visible(page, f"#result_list th.column-{column}"), column
    # one line, not one character a line: the name's link is less than two characters tall
    name = page.locator("#result_list th.field-name a").first
    font = page.evaluate("el => parseFloat(getComputedStyle(el).fontSize)", name.element_handle())
    assert name.bounding_box()["height"] < 2 * font
    page.screenshot(path=str(tmp_path / "members.png"))


def test_the_claim_list_fits_1366_px(live_server, page_as, staff, long_names, tmp_path):
    page = page_as(staff["township_admin"])
    page.goto(f"{live_server.url}/admin/welfare/claim/")
    page.wait_for_selector("#result_list")
    assert overflow(page) == {"page": 0, "list": 0}
    headers = page.locator("#result_list thead th").all_inner_texts()
    for wanted in ("核定互助金", "状态", "提交时间"):
        column = next(i for i, h in enumerate(headers) if wanted in h)
        assert visible(page, f"#result_list thead th >> nth={column}"), wanted
    # a cut cell still tells its whole text on hover
    union_cell = page.locator("#result_list td.field-union").first
    assert union_cell.get_attribute("title") == LONG_UNION
    assert Union.objects.filter(name=LONG_UNION).exists()
    page.screenshot(path=str(tmp_path / "claims.png"))
