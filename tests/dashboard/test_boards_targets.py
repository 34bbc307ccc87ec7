"""Targets on the board and the card: the card sets them from 2025, and a 2024 board says so."""

import pytest
from django.template.loader import render_to_string

from dashboard import exports, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolled_up(tree, records, member_figures):
    services.rollup_year(year=2024, figures=member_figures)
    services.rollup_year(year=2025, figures=member_figures)


def test_a_2024_board_says_the_card_sets_targets_from_2025_and_offers_it(client, staff, rolled_up):
    client.force_login(staff["leadership"])
    html = client.get("/dashboard/", {"year": 2024}).content.decode()
    assert "成绩单自2025年起设定年度目标，2024年度无目标可比。" in html
    assert "?year=2025&union=330500" in html


def test_the_2025_board_shows_targets_and_progress(client, staff, rolled_up):
    client.force_login(staff["leadership"])
    response = client.get("/dashboard/", {"year": 2025})
    assert response.context["charts"]["progress"] is True
    assert response.context["target_note"] is None
    rows = {r.indicator.key: r for r in response.context["board"].rows}
    with_target = [r for r in rows.values() if r.target is not None]
    assert len(with_target) == 13
    assert 'id="chart-progress"' in response.content.decode()


def test_the_2025_city_card_fills_target_and_last_years_published_columns(staff, tree, rolled_up):
    card = exports.report_card_data(viewer=staff["leadership"], year=2025, union=tree.city)
    html = render_to_string("dashboard/report_card.html", {"card": card})
    assert "<th>目标</th>" in html and "<th>上年公布值</th>" in html
    # the register's 2024 published count, as the card writes it
    assert "68.1万" in html
    assert "无目标可比" not in html


def test_the_2024_city_card_says_why_no_target_column_is_filled(staff, tree, rolled_up):
    card = exports.report_card_data(viewer=staff["leadership"], year=2024, union=tree.city)
    html = render_to_string("dashboard/report_card.html", {"card": card})
    assert "成绩单自2025年起设定年度目标，2024年度无目标可比。" in html
