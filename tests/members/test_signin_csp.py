"""A Content-Security-Policy with no inline script, and a Referrer-Policy, on every kind of page;
the pages still work under it in a real browser (issue 10.6)."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

CHROMIUM = Path("/usr/bin/chromium")


def _policy(answer) -> dict[str, list[str]]:
    header = answer["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/members/member/", "/dashboard/", "/api/docs/", "/api/v1/members/"]
)
def test_every_page_carries_a_policy_that_runs_no_inline_script(staff, url):
    client = Client()
    client.force_login(staff["city_admin"])
    answer = client.get(url)
    assert answer.status_code == 200
    policy = _policy(answer)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert answer["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_sign_in_and_lockout_pages_carry_the_policy():
    answer = Client().get("/admin/login/")
    assert answer.status_code == 200
    assert _policy(answer)["script-src"] == ["'self'"]


def test_our_templates_hold_no_inline_script_or_handler():
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|\son[a-z]+="
    )
    offenders = [
        str(path)
        for folder in django_settings.TEMPLATES[0]["DIRS"]
        for path in Path(folder).rglob("*.html")
        if inline.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent")
def test_admin_docs_and_dashboard_work_under_the_policy_in_a_browser(live_server, staff, client):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    client.force_login(staff["city_admin"])
    session = client.cookies["sessionid"].value
    host = live_server.url.split("//")[1].split(":")[0]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(locale="zh-CN")
            context.add_cookies(
                [{"name": "sessionid", "value": session, "domain": host, "path": "/"}]
            )
            page = context.new_page()
            # Generating the whole API schema for Swagger takes a while on a loaded machine.
            page.set_default_timeout(120_000)
            violations: list[str] = []
            page.on(
                "console",
                lambda msg: (
                    violations.append(msg.text) if "Content Security Policy" in msg.text else None
                ),
            )
            # the Swagger UI draws the API from its separately served init script
            page.goto(f"{live_server.url}/api/docs/")
            page.wait_for_selector(".swagger-ui .info")
            # the admin's own scripts (actions, filters) run
            page.goto(f"{live_server.url}/admin/members/member/")
            page.wait_for_selector("#changelist")
            # the dashboard's year picker submits through dashboard.js, not an inline handler
            page.goto(f"{live_server.url}/dashboard/")
            page.wait_for_selector("select[name=year]")
            years = page.eval_on_selector_all(
                "select[name=year] option", "os => os.map(o => o.value)"
            )
            if len(years) > 1:
                with page.expect_navigation():
                    page.select_option("select[name=year]", years[-1])
                assert f"year={years[-1]}" in page.url
            assert violations == []
        finally:
            browser.close()
            connections.close_all()
