from decimal import Decimal

import pytest
from django.urls import reverse

from dashboard.models import IndicatorTarget

pytestmark = pytest.mark.django_db


def target_2025(key: str) -> IndicatorTarget:
    return IndicatorTarget.objects.get(indicator__key=key, year=2025, kind="target")


def test_a_city_admin_edits_a_target_in_the_admin(client, staff):
    # given
    target = target_2025("reemployment_training")
    client.force_login(staff["city_admin"])

    # when
    response = client.post(
        f"/admin/dashboard/indicatortarget/{target.pk}/change/",
        {
            "indicator": target.indicator_id,
            "year": 2025,
            "kind": "target",
            "comparator": ">=",
            "value": "5200",
        },
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:dashboard_indicatortarget_changelist")
    assert target_2025("reemployment_training").value == Decimal("5200")


@pytest.mark.parametrize("role", ["district_admin", "leadership"])
def test_district_staff_and_leadership_only_read_the_citys_targets(client, staff, role):
    # given
    target = target_2025("reemployment_training")
    client.force_login(staff[role])

    # when
    page = client.get(f"/admin/dashboard/indicatortarget/{target.pk}/change/")
    client.post(
        f"/admin/dashboard/indicatortarget/{target.pk}/change/",
        {
            "indicator": target.indicator_id,
            "year": 2025,
            "kind": "target",
            "comparator": ">=",
            "value": "1",
        },
    )

    # then
    assert page.status_code == 200
    assert 'name="value"' not in page.content.decode()
    assert target_2025("reemployment_training").value == Decimal("5000")
