import pytest

from dashboard import services
from dashboard.models import Snapshot
from tests.dashboard.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/dashboard/indicators/"


@pytest.fixture
def rolled_up(tree, records, member_figures):
    IndicatorFactory(key="test_not_declared_anywhere", name_zh="未声明的指标")
    services.rollup_year(year=2024, figures=member_figures)
    return Snapshot.objects.get(is_current=True)


def by_key(response) -> dict[str, dict]:
    return {row["key"]: row for row in response.json()["results"]}


def test_indicators_give_value_target_baseline_and_computed_at_from_the_snapshot(
    staff, api, rolled_up
):
    # when
    response = api(staff["leadership"]).get(URL, {"year": 2024, "union": "330500"})

    # then
    assert response.status_code == 200
    rows = by_key(response)
    assert rows["registered_members"]["value"] == "10.00"
    assert rows["registered_members"]["name"] == "会员实名制数据库会员数"
    assert rows["registered_members"]["unit"] == "人"
    assert rows["registered_members"]["published"] == "681000.00"
    assert rows["registered_members"]["computed_at"] is not None
    assert rows["soe_reform_pilots"]["value"] == "1.00"
    assert response.json()["union"] == "330500"


def test_an_indicator_no_record_computes_is_null_never_a_number(staff, api, rolled_up):
    # when
    rows = by_key(api(staff["leadership"]).get(URL, {"year": 2024}))

    # then
    assert rows["test_not_declared_anywhere"]["value"] is None
    assert rows["test_not_declared_anywhere"]["computed_at"] is None


def test_targets_and_baselines_are_the_years_rows(staff, api, rolled_up):
    # when: 2025 has no snapshot yet
    rows = by_key(api(staff["leadership"]).get(URL, {"year": 2025}))

    # then
    assert rows["mutual_aid_enrollments"]["target"] == "700000.00"
    assert rows["mutual_aid_enrollments"]["target_comparator"] == ">="
    assert rows["mutual_aid_enrollments"]["baseline"] == "703000.00"
    assert rows["mutual_aid_enrollments"]["value"] is None


def test_a_district_admin_sees_their_own_district(staff, api, rolled_up, tree):
    # when
    response = api(staff["district_admin"]).get(URL, {"year": 2024})

    # then
    assert response.json()["union"] == tree.wuxing.code
    assert by_key(response)["registered_members"]["value"] == "5.00"


def test_a_district_admin_asking_for_another_district_gets_403(staff, api, rolled_up, tree):
    # when
    response = api(staff["district_admin"]).get(URL, {"year": 2024, "union": tree.nanxun.code})

    # then
    assert response.status_code == 403
    assert "results" not in response.json()


def test_a_township_admin_asking_for_the_district_above_gets_403(staff, api, rolled_up, tree):
    # when
    response = api(staff["township_admin"]).get(URL, {"year": 2024, "union": tree.wuxing.code})

    # then
    assert response.status_code == 403


def test_an_unknown_union_is_404_and_an_anonymous_caller_is_refused(staff, api, rolled_up, client):
    # when
    unknown = api(staff["leadership"]).get(URL, {"year": 2024, "union": "999999"})
    anonymous = client.get(URL, {"year": 2024})

    # then
    assert unknown.status_code == 404
    assert anonymous.status_code in (401, 403)


def test_a_year_out_of_range_is_a_400(staff, api, rolled_up):
    # when
    response = api(staff["leadership"]).get(URL, {"year": 1900})

    # then
    assert response.status_code == 400


def test_a_grassroots_union_gets_its_figures_computed_from_its_records_now(staff, api, records):
    # given: no snapshot at all; grassroots unions are not roll-up nodes

    # when
    response = api(staff["grassroots_admin"]).get(URL, {"year": 2024})

    # then
    rows = by_key(response)
    assert response.json()["union"] == "330502001G0001"
    assert rows["registered_members"]["value"] == "3.00"
    assert rows["registered_members"]["computed_at"] is not None
    assert Snapshot.objects.count() == 0
