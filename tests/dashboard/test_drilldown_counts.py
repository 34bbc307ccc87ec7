"""A drill-down counts its records once per figure, year, union and viewer's scope in five minutes
(dashboard.selectors.drilldown_totals): at 681,000 members a count is a pass over the register."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.figures import REGISTRY, Figure
from dashboard import services
from members.models import Member
from tests.dashboard.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolled_up(tree, records, member_figures):
    services.rollup_year(year=2024, figures=member_figures)


def counts_in(queries) -> list[str]:
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]


def test_turning_a_drilldown_page_does_not_count_the_records_again(client, staff, rolled_up, tree):
    # given: the leader has opened the drill-down once
    client.force_login(staff["leadership"])
    url = "/dashboard/figures/registered_members/"
    first = client.get(url, {"year": 2024, "union": tree.city.code})

    # when: the same list again
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, {"year": 2024, "union": tree.city.code})

    # then: the same count and total, read from what was counted, and the page says when
    assert counts_in(queries) == []
    assert (again.context["count"], again.context["total"]) == (10, 10)
    assert (first.context["count"], first.context["total"]) == (10, 10)
    assert "统计" in again.content.decode()


def test_a_kept_count_belongs_to_the_viewers_scope_not_only_to_the_union(
    client, staff, tree, records
):
    # given: a figure whose records reach beyond the union asked for, so what a viewer counts
    # depends on their scope, not only on the union in the address
    def too_wide(*, year, union):
        return Member.objects.all()

    REGISTRY["test_too_wide"] = Figure(
        key="test_too_wide", records=too_wide, union_path="union", aggregate="sum"
    )
    IndicatorFactory(key="test_too_wide")
    everyone = Member.objects.count()
    try:
        client.force_login(staff["leadership"])
        city_view = client.get(
            "/dashboard/figures/test_too_wide/", {"year": 2024, "union": tree.zhili.code}
        )

        # when: the township's own clerk opens the same union's list
        client.force_login(staff["township_admin"])
        own_view = client.get(
            "/dashboard/figures/test_too_wide/", {"year": 2024, "union": tree.zhili.code}
        )

        # then: each counted within their own scope
        in_zhili = Member.objects.filter(union__path__startswith=tree.zhili.path).count()
        assert city_view.context["count"] == everyone
        assert own_view.context["count"] == in_zhili < everyone
    finally:
        del REGISTRY["test_too_wide"]
