"""Counts as Chinese leaders write them: 68.1万, with the exact figure kept on hover."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from dashboard.exports import short


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (Decimal("681000"), "persons", "68.1万"),
        (Decimal("703000"), "person_times", "70.3万"),
        (Decimal("20000"), "events", "2万"),
        (Decimal("15550"), "items", "1.6万"),  # half up, as a person rounds
        (Decimal("9999"), "persons", "9,999"),
        (Decimal("12345.5"), "yuan_10k", "12,345.5"),  # already in 万元
        (Decimal("85"), "percent", "85"),
        (None, "persons", "暂无数据"),
    ],
)
def test_counts_of_ten_thousand_or_more_read_in_wan(value, unit, expected):
    assert short(value, unit) == expected


def test_the_board_shows_wan_with_the_exact_figure_on_hover():
    html = Template("{% load dashboard_tags %}{% number v 'persons' %}").render(
        Context({"v": Decimal("681000")})
    )
    assert html == '<span class="wan" title="681,000">68.1万</span>'


def test_a_small_count_is_printed_as_it_is():
    html = Template("{% load dashboard_tags %}{% number v 'persons' %}").render(
        Context({"v": Decimal("542")})
    )
    assert html == "542"
