"""A leader's phone (390×844): the board opens on the headline figures against their targets,
each line of work one tap away, not a scroll through every card."""

import pytest

from dashboard import services
from members.actors import system
from tests.dashboard.test_browser import CHROMIUM, browser_page  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent"),
]

PHONE = {"width": 390, "height": 844}
# Measured with this test on the 2025 city board (50 indicators, 13 with a target): 14,567 px
# before the headline and the closed lines of work, 1,306 px after.
MAX_CLOSED_HEIGHT = 2000


@pytest.fixture
def leader_2025(client, staff, records, member_figures) -> str:
    services.targets_split_to_districts(year=2025, basis_year=2024, by=system("test"))
    services.rollup_year(year=2025, figures=member_figures)
    client.force_login(staff["leadership"])
    return client.cookies["sessionid"].value


def open_phone(live_server, browser_page, session):  # noqa: F811
    host = live_server.url.split("//")[1].split(":")[0]
    browser_page.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
    page = browser_page.new_page()
    page.set_viewport_size(PHONE)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/dashboard/?year=2025")
    page.wait_for_load_state("load")
    return page, errors


def height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def test_a_leaders_phone_opens_on_the_headline_against_targets(
    live_server,
    leader_2025,
    browser_page,  # noqa: F811
):
    page, errors = open_phone(live_server, browser_page, leader_2025)
    closed = height(page)
    print(f"phone page height, themes closed: {closed}px")

    # then: the headline with its targets is on the first screen
    headline = page.locator("#headline")
    box = headline.bounding_box()
    assert box is not None and box["y"] < PHONE["height"]
    assert "目标完成情况" in headline.inner_text()
    gig = headline.locator("tr", has_text="新增新业态劳动者会员")
    assert gig.inner_text().split("\t")[1:] == ["0人", "不低于2万", "0.0%"]
    # the headline starts high on the first screen, its first figures visible without scrolling
    assert box["y"] < PHONE["height"] / 2
    second_row = headline.locator("tbody tr").nth(1).bounding_box()
    assert second_row["y"] + second_row["height"] < PHONE["height"]
    assert closed < MAX_CLOSED_HEIGHT, closed
    # no card is showing until a line of work is opened
    assert not page.locator("article[data-key='new_gig_worker_members']").is_visible()

    # when: the leader taps a line of work in the tabs
    page.locator("nav.theme-tabs a[href='#theme-service']").click()

    # then: its cards show, each with its target one tap further
    card = page.locator("article[data-key='registered_members']")
    card.wait_for(state="visible")
    opened = height(page)
    print(f"phone page height, one theme open: {opened}px")
    assert opened > closed
    assert not page.locator("#theme-ideology .cards").is_visible()  # one line of work at a time

    # when: the leader taps a headline figure
    gig.locator("a").click()

    # then: its card opens with its target and the same date last year
    gig_card = page.locator("article[data-key='new_gig_worker_members']")
    gig_card.locator("dl").wait_for(state="visible")
    assert "不低于" in gig_card.locator("dl").inner_text()
    assert "上年同期" in gig_card.locator("dl").inner_text()
    assert errors == []
