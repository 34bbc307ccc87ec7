"""The member's main path on a phone-sized Chromium (390×844): scan a poster, sign in by SMS code,
check in with one tap, show the e-card."""

import datetime as dt

import pytest
from django.utils import timezone

from activities import services as activity_services
from activities.models import Attendance
from tests.activities.factories import ActivityFactory
from tests.factories import MemberFactory, make_id_number
from tests.portal.browser import assert_page_ok, browser_marks, phone_context, watched_page
from tests.portal.helpers import last_code

PHONE = "13912300001"

pytestmark = browser_marks


@pytest.fixture
def phone_browser(chromium):
    context = phone_context(chromium)
    yield context
    context.close()


def test_a_worker_scans_a_poster_signs_in_by_sms_checks_in_and_shows_the_card(
    live_server, tree, phone_browser, tmp_path
):
    # given: a session under way, and a member with a phone number
    id_number = make_id_number()
    member = MemberFactory(
        union=tree.zhili_factory, name="周快递", phone=PHONE, id_number=id_number
    )
    starts = timezone.now() - dt.timedelta(minutes=1)
    activity = ActivityFactory(
        union=tree.zhili_factory,
        title="班前十分钟·夏季防暑",
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=10),
    )
    token = activity_services.check_in_token(activity=activity)
    page, errors = watched_page(phone_browser)

    # when: the poster's QR code opens the check-in page
    page.goto(f"{live_server.url}/portal/check-in/?token={token}")

    # then: sign in first
    assert "/portal/sign-in/" in page.url
    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_label("短信验证码").fill(last_code(PHONE))  # read from the outbox table
    page.get_by_role("button", name="登录").click()
    page.get_by_label("姓名").fill("周快递")
    page.get_by_label("身份证号码后6位").fill(id_number[-6:])
    page.get_by_role("button", name="确认").click()

    # then: back on the same check-in page; one tap checks in
    page.wait_for_url("**/portal/check-in/?token=*")
    assert "班前十分钟·夏季防暑" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="签到", exact=True).click()
    page.wait_for_selector("#checked-in")
    assert page.locator("#checked-in").inner_text() == "已签到"
    assert Attendance.objects.filter(activity=activity, member=member).count() == 1

    # when: the e-card is shown
    page.goto(f"{live_server.url}/portal/card/")
    # A function, not a string: the page's CSP forbids the eval a string predicate needs.
    page.wait_for_function(
        "() => document.getElementById('card-qr').complete "
        "&& document.getElementById('card-qr').naturalWidth > 0"
    )

    # then: the card, a QR code, no page wider than the phone, and no script error
    body = page.locator("main").inner_text()
    assert "周快递" in body and member.id_number_masked in body and "织里童装厂工会" in body
    assert_page_ok(page, errors)
    page.screenshot(path=str(tmp_path / "card.png"), full_page=True)
