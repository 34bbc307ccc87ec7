import io
from decimal import Decimal

import openpyxl
import pytest

from common.figures import REGISTRY
from dashboard import selectors, services
from members.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolled_up(tree, records, member_figures):
    services.rollup_year(year=2024, figures=member_figures)


def sheet_rows(content: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return list(book.active.iter_rows(values_only=True))


def test_the_drilldown_lists_the_records_behind_the_figure_and_adds_up_to_it(
    client, staff, rolled_up, tree
):
    # given
    client.force_login(staff["leadership"])

    # when
    response = client.get(
        "/dashboard/figures/registered_members/", {"year": 2024, "union": tree.city.code}
    )

    # then
    assert response.status_code == 200
    assert response.context["count"] == 10
    assert response.context["total"] == Decimal(10)
    assert response.context["total"] == REGISTRY["registered_members"].compute(
        year=2024, union=tree.city
    )


def test_the_excel_export_of_a_drilldown_sums_to_the_figure(client, staff, rolled_up, tree):
    # given
    client.force_login(staff["district_admin"])

    # when
    response = client.get(
        "/dashboard/figures/registered_members/",
        {"year": 2024, "union": tree.wuxing.code, "format": "xlsx"},
    )

    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(response.content)
    header, records, total = rows[1], rows[2:-1], rows[-1]
    assert header[0] == "姓名"
    assert len(records) == 5  # a count figure: each record adds one
    assert total[:2] == ("合计", 5)
    assert {r[2] for r in records} == {tree.zhili_factory.name, tree.zhili_joint.name}


def test_a_sum_figure_lists_what_each_record_adds_and_the_column_sums_to_it(tree, records):
    # given: a figure that sums a per-record amount (as person-times or yuan figures do)
    from django.db.models import Value

    from common.figures import Figure

    fig = Figure(
        key="t",
        records=lambda *, year, union: Member.objects.filter(
            union__path__startswith=union.path
        ).annotate(weight=Value(3)),
        union_path="union",
        aggregate="sum",
        total="weight",
        columns=(("姓名", "name"),),
    )
    qs = fig.records(year=2024, union=tree.wuxing)

    # when
    headers, rows = selectors.record_rows(fig, qs)

    # then
    assert headers == ["姓名", "计入数"]
    assert sum(r[1] for r in rows) == fig.value_of(qs) == 3 * 7


def test_a_district_admin_cannot_drill_into_another_district(client, staff, rolled_up, tree):
    # given
    client.force_login(staff["district_admin"])

    # when
    page = client.get(
        "/dashboard/figures/registered_members/", {"year": 2024, "union": tree.nanxun.code}
    )
    export = client.get(
        "/dashboard/figures/registered_members/",
        {"year": 2024, "union": tree.nanxun.code, "format": "xlsx"},
    )

    # then
    assert page.status_code == 403
    assert export.status_code == 403


def test_the_drilldown_defaults_to_the_viewers_own_part_of_the_tree(client, staff, rolled_up):
    # given
    client.force_login(staff["township_admin"])

    # when
    response = client.get("/dashboard/figures/new_gig_worker_members/", {"year": 2024})

    # then
    assert response.status_code == 200
    assert response.context["union"].code == "330502001"
    assert response.context["count"] == 2
    assert [row[4] for row in response.context["rows"]] == ["快递员", "快递员"]  # labels, not codes


def test_records_are_intersected_with_the_viewers_scope(tree, staff, records):
    # given: a records function that (wrongly) reaches beyond the union it was asked for
    def too_wide(*, year, union):
        return Member.objects.all()

    from common.figures import Figure

    REGISTRY["test_too_wide"] = Figure(
        key="test_too_wide", records=too_wide, union_path="union", aggregate="sum"
    )
    from tests.dashboard.factories import IndicatorFactory

    IndicatorFactory(key="test_too_wide")
    try:
        # when
        _fig, qs = selectors.figure_records(
            viewer=staff["township_admin"], key="test_too_wide", year=2024, union=tree.zhili
        )
        # then: only members under 织里 remain
        assert set(qs.values_list("union__path", flat=True)) <= {
            tree.zhili_factory.path,
            tree.zhili_joint.path,
        }
        assert qs.count() == 6  # 5 on the 2024 register + 1 who joined in 2025
    finally:
        del REGISTRY["test_too_wide"]


def test_an_indicator_with_no_figure_has_no_drilldown(client, staff, rolled_up):
    # given
    from tests.dashboard.factories import IndicatorFactory

    IndicatorFactory(key="test_not_declared_anywhere")
    client.force_login(staff["leadership"])

    # when
    response = client.get("/dashboard/figures/test_not_declared_anywhere/", {"year": 2024})

    # then
    assert response.status_code == 404


def test_a_drilldown_page_is_never_stored_by_a_browser_or_a_proxy(client, staff, rolled_up, tree):
    # given: a drill-down lists people by name
    client.force_login(staff["leadership"])

    # when
    response = client.get(
        "/dashboard/figures/registered_members/", {"year": 2024, "union": tree.city.code}
    )

    # then
    assert response.status_code == 200
    cache_control = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control
