"""Issue 10 (5xx): a drill-down's Excel export of records that carry an aware datetime, and query
values no union, year or format can have, are answered without a server error."""

import io

import openpyxl
import pytest

from activities.models import ActivityKind
from tests.activities.factories import ActivityFactory, local

pytestmark = pytest.mark.django_db

DRILLDOWN = "/dashboard/figures/pre_shift_person_times/"


def test_the_excel_export_of_records_with_an_aware_datetime_shows_huzhou_wall_clock_time(
    client, staff, tree
):
    # given: a session at 23:30 in Huzhou (15:30 UTC) whose records carry an aware datetime
    ActivityFactory(
        code=ActivityKind.PRE_SHIFT,
        union=tree.zhili_factory,
        starts_at=local(2024, 6, 3, 23, 30),
        headcount=4,
    )
    client.force_login(staff["district_admin"])

    # when
    response = client.get(DRILLDOWN, {"year": 2024, "union": tree.wuxing.code, "format": "xlsx"})

    # then: the file is there, with the local time openpyxl can write (no time zone)
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    header, record = rows[1], rows[2]
    assert record[header.index("开始时间")] == local(2024, 6, 3, 23, 30).replace(tzinfo=None)
    assert rows[-1][1] == 4  # 合计: the unnamed headcount


@pytest.mark.parametrize("path", ["/dashboard/", DRILLDOWN])
def test_a_nul_byte_in_the_union_code_is_a_bad_request(client, staff, path):
    # given
    client.force_login(staff["city_admin"])

    # when
    response = client.get(path, {"union": "\x00", "year": 2024})

    # then
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/dashboard/", DRILLDOWN, "/dashboard/report-card.xlsx"])
@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"year": "abc"}, 400),
        ({"year": "1900"}, 400),
        ({"year": "2024\x00"}, 400),
        ({"union": "9" * 40}, 400),
        ({"union": "no-such-union"}, 404),
    ],
)
def test_a_query_value_that_is_not_a_year_or_a_union_is_a_clear_client_error(
    client, staff, path, query, status
):
    # given
    client.force_login(staff["city_admin"])

    # when
    response = client.get(path, query)

    # then
    assert response.status_code == status


def test_an_export_format_the_drilldown_does_not_offer_is_a_bad_request(client, staff, tree):
    # given
    client.force_login(staff["city_admin"])

    # when
    response = client.get(DRILLDOWN, {"year": 2024, "format": "xyz"})

    # then
    assert response.status_code == 400


def test_the_indicators_api_refuses_a_nul_byte_in_the_union_code(client, staff):
    # given
    client.force_login(staff["city_admin"])

    # when
    response = client.get("/api/v1/dashboard/indicators/", {"union": "\x00", "year": "abc"})

    # then
    assert response.status_code == 400
