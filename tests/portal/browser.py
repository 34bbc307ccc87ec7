"""What every portal browser test shares: Debian's Chromium, a phone (390×844) and a staff desk
(1366×768), signing a member or a staff user in without the UI, and the checks each page a person
sees must pass — no sideways scroll, no script or console error, under 100 KB transferred, no
serious or critical axe-core violation, and still usable with the text at 200%.

The modules start one browser each (the `chromium` fixture below, which tests/conftest.py offers
every module) and a fresh context per test, so cookies never leak between tests."""

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.db.models import F

from members.models import Member
from portal import services
from portal.models import SmsCode
from tests.portal.helpers import last_code

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 768}
MAX_PAGE_BYTES = 100 * 1024

# Every module of browser tests carries these: a real server thread (transaction=True), the slow
# mark, one xdist group so `make test -n 2 --dist loadgroup` keeps the browser modules on one
# worker (two Chromiums on two cores starve the live servers), and a skip without Chromium.
browser_marks = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.xdist_group("portal_browser"),
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="/usr/bin/chromium is absent (apt-get install -y chromium fonts-noto-cjk)",
    ),
]


@pytest.fixture(scope="module")
def chromium():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
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
                "--no-first-run",
                "--disable-sync",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()
            # ORM calls made while Playwright's loop runs get a connection of their own
            # (Django keys connections by context): close it, or the test database cannot be
            # dropped at the end of the session.
            connections.close_all()


def phone_context(browser):
    """A cheap Android phone: 390×844 CSS px, touch, Chinese."""
    return browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )


def desk_context(browser):
    return browser.new_context(viewport=DESK, locale="zh-CN")


def host_of(live_server) -> str:
    return live_server.url.split("//")[1].split(":")[0]


def sign_in_member(context, live_server, member: Member) -> None:
    """The device cookie the SMS sign-in sets (the sign-in itself is proved in test_browser.py)."""
    key = services.new_device_key()
    services.device_sign_in(account=services.account_for(member), device_key=key)
    context.add_cookies(
        [
            {
                "name": settings.PORTAL_DEVICE_COOKIE,
                "value": key,
                "domain": host_of(live_server),
                "path": "/",
            }
        ]
    )


def sign_in_staff(context, live_server, client, user) -> None:
    """A staff session made with the test client's force_login, handed to the browser."""
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host_of(live_server),
                "path": "/",
            }
        ]
    )


def watched_page(context):
    """A new page and the list its script errors and console errors are collected into."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    page.on("console", lambda m: m.type == "error" and errors.append(f"{page.url}: {m.text}"))
    # The console says only "Failed to load resource": name the file that failed.
    page.on(
        "response",
        lambda r: (
            r.status >= 400
            and r.request.resource_type != "document"
            and errors.append(f"{page.url}: {r.status} {r.url}")
        ),
    )
    return page, errors


def page_weight(page) -> int:
    """Bytes transferred for the document and everything it loaded except images."""
    return page.evaluate(
        "performance.getEntriesByType('resource').concat(performance.getEntriesByType("
        "'navigation')).filter(e => e.initiatorType !== 'img')"
        ".reduce((s, e) => s + (e.transferSize || e.encodedBodySize || 0), 0)"
    )


def sideways_overflow(page) -> int:
    """How many CSS px the page is wider than the layout viewport (0: no sideways scroll).

    Not window.innerWidth: a mobile browser zooms out to fit a page that is too wide, and
    innerWidth (the visual viewport) grows with it, hiding the very overflow looked for."""
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


def assert_page_ok(page, errors: list[str]) -> None:
    """The checks for every page a person sees in a journey."""
    where = page.url
    assert sideways_overflow(page) <= 0, f"{where} scrolls sideways"
    weight = page_weight(page)
    assert weight < MAX_PAGE_BYTES, f"{where} weighs {weight} bytes"
    assert errors == [], errors


def with_axe(context) -> None:
    """Load the vendored axe-core into every page this context opens. An init script goes in
    through the DevTools protocol, which the page's Content-Security-Policy does not govern, so
    the CSP under test stays as served."""
    context.add_init_script(path=AXE_JS)


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core on the page as it is now; the violations of these impacts."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    results = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map("
        "v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"
    )
    return [v for v in results if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    return json.dumps(violations, ensure_ascii=False, indent=1)


# Android WebViews (WeChat's, 浙里办's, the union's own app) carry the phone's font-size setting
# as WebSettings.setTextZoom: every font size is multiplied, whatever its CSS unit, while widths
# given in px stay. Doubling each element's computed font size does the same here, and unlike
# injecting html{font-size:200%} it also catches a size fixed in px.
TEXT_ZOOM_JS = """factor => {
  const all = [document.documentElement, ...document.querySelectorAll('body, body *')];
  const sizes = all.map(el => parseFloat(getComputedStyle(el).fontSize));
  all.forEach((el, i) => el.style.setProperty('font-size', (sizes[i] * factor) + 'px', 'important'));
}"""

# A control is clipped when it sticks out of the viewport or its own text overflows its box
# (text that wraps is fine; text cut off, hidden or overlapping the next thing is not). A block of
# text squeezed under four characters wide is as unreadable, so it counts too.
CLIPPED_JS = """() => {
  const width = document.documentElement.clientWidth;  // the layout viewport
  const bad = [];
  for (const el of document.querySelectorAll(
      'a, button, input, select, textarea, label, h1, h2, dt, dd, p, li, .tile, .note')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const name = el.tagName.toLowerCase() + ' "' + (el.innerText || el.value || el.name || '').trim().slice(0, 20) + '"';
    if (r.left < -1 || r.right > width + 1) bad.push(name + ' outside the screen');
    else if (!['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)
             && (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== 'inline'))
      bad.push(name + ' text wider than its box');
    else if (['DD', 'P', 'LI', 'H1', 'H2'].includes(el.tagName) && el.innerText.trim()
             && r.width < 4 * parseFloat(getComputedStyle(el).fontSize))
      bad.push(name + ' squeezed to ' + Math.round(r.width) + ' px');
  }
  return bad;
}"""


def zoom_text(page, factor: float = 2) -> None:
    page.evaluate(TEXT_ZOOM_JS, factor)


def clipped_controls(page) -> list[str]:
    return page.evaluate(CLIPPED_JS)


def pass_step_up(page, member: Member) -> None:
    """Claims and bank details may ask for a fresh SMS code first (step-up): answer it."""
    if "/portal/confirm/" not in page.url:
        return
    # A walk that signed this member in by SMS a moment ago would meet the one-code-a-minute
    # rule: the earlier codes are moved back in time, as if the worker came back later.
    SmsCode.objects.filter(phone=member.phone).update(
        created_at=F("created_at") - dt.timedelta(minutes=5)
    )
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_label("短信验证码").fill(last_code(member.phone))
    page.get_by_role("button", name="确认").click()
    page.wait_for_load_state()


def staff_signs_in(page, live_server, username: str, password: str = "pw-12345678") -> None:
    """Through the admin's sign-in form, as a person does (tests/conftest.py turns the second
    factor off, as for every staff fixture; the two-factor form is proved in
    tests/members/test_signin_two_factor.py)."""
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    assert "/admin/login/" not in page.url, page.locator(".errornote").all_inner_texts()


def assert_desk_page_ok(page, errors: list[str]) -> None:
    """What every staff page at 1366×768 must pass: no sideways scroll, no script or console
    error. (The admin's own scripts and styles weigh more than the portal's 100 KB budget.)"""
    assert sideways_overflow(page) <= 0, f"{page.url} scrolls sideways"
    assert errors == [], errors
