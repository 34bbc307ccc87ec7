"""Each board tells its node its own truth: no city figures on a township's cards, the
township's grassroots unions compared, empty charts said once, the roll-up line for city staff,
and a grassroots report card that says it was computed live."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from dashboard import exports, services
from dashboard.models import IndicatorTarget

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolled_up(tree, records, member_figures):
    services.rollup_year(year=2024, figures=member_figures)


def published(key: str) -> Decimal:
    return IndicatorTarget.objects.get(indicator__key=key, year=2024, kind="published").value


def test_a_township_board_does_not_show_the_citys_published_figure(client, staff, rolled_up):
    # given: the city's published member count is on the card
    assert published("registered_members") == Decimal("681000")
    client.force_login(staff["township_admin"])
    # when
    html = client.get("/dashboard/", {"year": 2024}).content.decode()
    # then
    assert "本年公布值" not in html
    assert "68.1万" not in html


def test_the_city_board_shows_its_published_figure_in_wan(client, staff, rolled_up):
    client.force_login(staff["leadership"])
    html = client.get("/dashboard/", {"year": 2024}).content.decode()
    assert "本年公布值" in html
    assert '<span class="wan" title="681,000">68.1万</span>' in html


def test_a_townships_comparison_lists_its_grassroots_unions_with_values(
    client, staff, tree, rolled_up
):
    client.force_login(staff["township_admin"])
    children = client.get("/dashboard/", {"year": 2024}).context["chart_data"]["children"]
    # 织里童装厂 has 3 members in 2024, the joint union 2 (tests/dashboard/conftest.py)
    names = [n["name"] for n in children["nodes"]]
    assert names == ["织里童装厂工会", "织里镇新就业形态联合工会"]
    assert children["values"]["registered_members"] == [3.0, 2.0]


def test_a_grassroots_board_says_once_why_it_has_no_charts(client, staff, rolled_up):
    client.force_login(staff["grassroots_admin"])
    response = client.get("/dashboard/", {"year": 2024})
    html = response.content.decode()
    assert response.context["charts"] == {"progress": False, "children": False, "trend": False}
    assert 'class="charts"' not in html
    assert "基层工会没有下级工会，无可对比。" in html
    assert html.count("chart-box") == 0


@pytest.mark.parametrize("role", ["township_admin", "district_admin", "leadership"])
def test_the_rollup_status_line_is_for_city_staff_only(client, staff, role, rolled_up):
    client.force_login(staff[role])
    html = client.get("/dashboard/", {"year": 2024}).content.decode()
    assert 'class="run run-' not in html


def test_city_staff_see_the_rollup_status_line(client, staff, rolled_up):
    client.force_login(staff["city_admin"])
    html = client.get("/dashboard/", {"year": 2024}).content.decode()
    assert 'class="run run-succeeded"' in html


def test_the_grassroots_report_card_says_it_was_computed_live(staff, tree, rolled_up):
    card = exports.report_card_data(
        viewer=staff["grassroots_admin"], year=2024, union=tree.zhili_factory
    )
    html = render_to_string("dashboard/report_card.html", {"card": card})
    assert "本年度尚未汇总" not in html
    assert "按记录实时计算" in html
    assert "上年公布值" not in html  # the city's figures stay on the city's card


def test_the_city_board_names_the_demo_scale_beside_published_figures(client, staff, rolled_up):
    # 10 members on the register against 681,000 published
    client.force_login(staff["leadership"])
    response = client.get("/dashboard/", {"year": 2024})
    assert response.context["demo_scale"] == "1.5e-5"
    assert "演示数据，规模 1.5e-5" in response.content.decode()
