"""The station kinds the report card names (工会驿站, 职工服务中心, 公共服务站, 矛调中心) can be
recorded, and an upgrade says whether it was a 省市政府民生实事 project; the card's station
figures still count only their own kinds."""

import datetime as dt

import pytest

from members.actors import system
from welfare import selectors, services
from welfare.models import ServiceStation, StationUpgrade

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "kind", ["union_post", "service_centre", "public_service", "mediation_centre"]
)
def test_a_station_of_each_named_kind_is_recorded(tree, staff, kind):
    station = services.station_create(
        union=tree.zhili,
        kind=kind,
        name="织里镇站点",
        address="织里镇",
        built_on=dt.date(2024, 3, 1),
        by=staff["township_admin"],
    )
    assert ServiceStation.objects.get(pk=station.pk).kind == kind


def test_an_upgrade_records_that_it_was_a_livelihood_project(tree, staff):
    station = services.station_create(
        union=tree.zhili,
        kind=ServiceStation.Kind.OUTDOOR_WORKER,
        name="织里户外驿站",
        address="织里镇",
        built_on=dt.date(2022, 3, 1),
        by=staff["township_admin"],
    )
    upgrade = services.station_upgrade_add(
        station=station,
        upgraded_on=dt.date(2024, 6, 1),
        is_livelihood_project=True,
        by=staff["township_admin"],
    )
    assert StationUpgrade.objects.get(pk=upgrade.pk).is_livelihood_project is True
    services.station_upgrade_update(
        upgrade=upgrade, data={"is_livelihood_project": False}, by=staff["township_admin"]
    )
    assert StationUpgrade.objects.get(pk=upgrade.pk).is_livelihood_project is False


def test_a_union_post_upgrade_does_not_count_as_an_outdoor_station_upgrade(tree):
    by = system("test")
    post = services.station_create(
        union=tree.zhili,
        kind=ServiceStation.Kind.UNION_POST,
        name="工会驿站",
        address="织里镇",
        built_on=dt.date(2022, 3, 1),
        by=by,
    )
    services.station_upgrade_add(station=post, upgraded_on=dt.date(2024, 6, 1), by=by)
    assert selectors.outdoor_stations_upgraded(year=2024, union=tree.city).count() == 0
    assert selectors.outdoor_stations_total(year=2024, union=tree.city).count() == 0
