"""The dashboard in a real browser: Playwright driving Debian's Chromium against live_server."""

import os
from pathlib import Path

import pytest
from django.db import connections

from dashboard import services

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="/usr/bin/chromium is absent (apt-get install -y chromium fonts-noto-cjk)",
    ),
]


@pytest.fixture
def browser_page():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # around it are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(accept_downloads=True, locale="zh-CN")
        try:
            yield context
        finally:
            context.close()
            browser.close()
            # ORM calls made while Playwright's loop runs get a connection of their own
            # (Django keys connections by context): close it, or the test database cannot be
            # dropped at the end of the session.
            connections.close_all()


@pytest.fixture
def leader_session(client, staff, records, member_figures) -> str:
    """A 2024 snapshot, made before the browser starts, and the leader's session key."""
    services.rollup_year(year=2024, figures=member_figures)
    client.force_login(staff["leadership"])
    return client.cookies["sessionid"].value


def test_leadership_opens_the_dashboard_sees_charts_drills_down_and_downloads_the_report_card(
    live_server, leader_session, browser_page, tmp_path
):
    # given: the leader's session in the browser
    host = live_server.url.split("//")[1].split(":")[0]
    browser_page.add_cookies(
        [
            {
                "name": "sessionid",
                "value": leader_session,
                "domain": host,
                "path": "/",
            }
        ]
    )
    page = browser_page.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # when: the dashboard opens
    page.goto(f"{live_server.url}/dashboard/?year=2024")

    # then: ECharts (from our static files) drew on canvases
    page.wait_for_selector("#chart-children canvas", timeout=15000)
    page.wait_for_selector("#chart-trend canvas")
    # 2024 has no targets (the card sets them from 2025): the board says so instead of an
    # empty progress chart
    page.wait_for_selector("#target-note")
    assert page.locator("#chart-progress").count() == 0
    assert page.evaluate("typeof echarts") == "object"
    assert page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('chart-children')) !== undefined"
    )
    assert errors == []
    card = page.locator("article[data-key='registered_members']")
    assert card.locator(".value a").inner_text() == "10"

    # when: the leader opens the records behind a figure
    card.locator(".value a").click()
    page.wait_for_selector("#drill-total")

    # then
    assert page.locator("#drill-total").inner_text() == "10"
    assert page.locator("table.records tbody tr").count() == 10

    # when: back on the dashboard, the report card is downloaded
    page.go_back()
    with page.expect_download() as download:
        page.click("#report-card-pdf")
    target = tmp_path / "card.pdf"
    download.value.save_as(target)

    # then
    assert download.value.suggested_filename.endswith(".pdf")
    assert target.read_bytes().startswith(b"%PDF")
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
