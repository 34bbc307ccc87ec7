"""City targets split to districts: data city staff edit (with history), a district's board and
card show its own target and % of target, a township's board says plainly it has none."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string

from dashboard import exports, services
from dashboard.models import IndicatorTarget
from members.actors import system

pytestmark = pytest.mark.django_db

GIG = "new_gig_worker_members"  # city target 2025: >= 20000 persons; 2024 records: 吴兴 2, 南浔 0
RATE = "wage_contract_coverage"  # a percentage: each district keeps the city's rate


def district_target(key: str, union) -> IndicatorTarget:
    return IndicatorTarget.objects.get(indicator__key=key, year=2025, union=union)


@pytest.fixture
def split(tree, records):
    return services.targets_split_to_districts(year=2025, basis_year=2024, by=system("test"))


def test_a_city_target_is_split_by_each_districts_share_and_a_rate_is_kept(tree, split):
    city_rate = IndicatorTarget.objects.get(indicator__key=RATE, year=2025, union__isnull=True)

    assert split == 2 * IndicatorTarget.objects.filter(year=2025, union__isnull=True).count()
    assert district_target(GIG, tree.wuxing).value == Decimal(20000)
    assert district_target(GIG, tree.nanxun).value == Decimal(0)
    assert district_target(RATE, tree.wuxing).value == city_rate.value
    assert district_target(RATE, tree.nanxun).comparator == city_rate.comparator


def test_splitting_again_keeps_a_district_target_a_clerk_changed(tree, split):
    edited = district_target(GIG, tree.wuxing)
    edited.value = Decimal(15000)
    edited.save()

    again = services.targets_split_to_districts(year=2025, basis_year=2024, by=system("test"))

    assert again == 0
    assert district_target(GIG, tree.wuxing).value == Decimal(15000)


def test_only_city_staff_split_targets(staff, tree, records):
    with pytest.raises(PermissionDenied, match="只有市总工会管理员"):
        services.targets_split_to_districts(year=2025, basis_year=2024, by=staff["district_admin"])
    assert not IndicatorTarget.objects.filter(union__isnull=False).exists()


@pytest.mark.parametrize(
    ("value", "unit", "rounded"),
    [
        ("13333.33", "persons", "13000"),
        ("13500", "persons", "14000"),
        ("853.5", "events", "854"),
        ("12.345", "yuan_10k", "12.3"),
    ],
)
def test_a_split_target_is_rounded_as_the_card_writes_it(value, unit, rounded):
    assert services.card_round(Decimal(value), unit) == Decimal(rounded)


@pytest.fixture
def rolled_up(tree, records, member_figures, split):
    services.rollup_year(year=2025, figures=member_figures)


def test_a_districts_board_shows_its_own_target_and_percent_of_it(client, staff, tree, rolled_up):
    client.force_login(staff["district_admin"])

    response = client.get("/dashboard/", {"year": 2025})

    rows = {r.indicator.key: r for r in response.context["board"].rows}
    assert rows[GIG].target.union == tree.wuxing
    assert rows[GIG].target.value == Decimal(20000)
    assert rows[GIG].progress == Decimal("0.0")
    assert response.context["shows_targets"] is True
    assert response.context["charts"]["progress"] is True
    html = response.content.decode()
    assert "目标" in html and "完成进度" in html
    assert "未设定目标" not in html


def test_a_townships_board_says_plainly_it_has_no_target(client, staff, tree, rolled_up):
    client.force_login(staff["township_admin"])

    response = client.get("/dashboard/", {"year": 2025})

    assert all(r.target is None for r in response.context["board"].rows)
    assert response.context["shows_targets"] is False
    html = response.content.decode()
    assert "织里镇总工会2025年度未设定目标" in html
    assert "只分解到区县" in html


def test_a_districts_card_prints_its_target_and_progress_columns(staff, tree, rolled_up):
    card = exports.report_card_data(viewer=staff["district_admin"], year=2025, union=tree.wuxing)
    html = render_to_string("dashboard/report_card.html", {"card": card})
    assert "<th>目标</th>" in html and "<th>进度</th>" in html
    assert "<th>上年公布值</th>" not in html  # published figures are the city's
    assert "&gt;=2万" in html


def test_city_staff_edit_a_district_target_in_the_admin_with_history(client, staff, tree, split):
    target = district_target(GIG, tree.wuxing)
    url = f"/admin/dashboard/indicatortarget/{target.pk}/change/"
    client.force_login(staff["city_admin"])

    response = client.post(
        url,
        {
            "indicator": target.indicator_id,
            "year": 2025,
            "kind": "target",
            "union": tree.wuxing.pk,
            "comparator": ">=",
            "value": "18000",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    target.refresh_from_db()
    assert target.value == Decimal(18000)
    last = target.history.first()
    assert last.value == Decimal(18000) and last.history_user == staff["city_admin"]


def test_a_target_split_below_a_district_is_refused_with_a_reason(client, staff, tree, split):
    client.force_login(staff["city_admin"])
    gig = district_target(GIG, tree.wuxing).indicator

    response = client.post(
        "/admin/dashboard/indicatortarget/add/",
        {
            "indicator": gig.pk,
            "year": 2026,
            "kind": "target",
            "union": tree.zhili.pk,
            "comparator": ">=",
            "value": "100",
        },
    )

    assert response.status_code == 200
    assert not IndicatorTarget.objects.filter(year=2026).exists()
    assert "选择一个有效的选项" in response.content.decode() or "只分解到区县" in (
        response.content.decode()
    )


def test_a_district_admin_may_not_change_a_district_target(client, staff, tree, split):
    target = district_target(GIG, tree.wuxing)
    client.force_login(staff["district_admin"])

    response = client.post(
        f"/admin/dashboard/indicatortarget/{target.pk}/change/",
        {"indicator": target.indicator_id, "year": 2025, "kind": "target", "value": "1"},
    )

    assert response.status_code == 403
    target.refresh_from_db()
    assert target.value == Decimal(20000)
