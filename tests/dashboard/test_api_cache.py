"""Issue 13: the indicators of a published snapshot are served from the cache with an ETag; a
client holding the current one gets a 304 with no body, and editing a target changes the ETag."""

import pytest

from dashboard.models import IndicatorTarget
from tests.dashboard.test_api import URL, by_key, rolled_up  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_a_client_holding_the_current_etag_gets_a_304_and_a_target_edit_changes_it(
    staff,
    api,
    rolled_up,  # noqa: F811
):
    client = api(staff["leadership"])
    first = client.get(URL, {"year": 2024, "union": "330500"})
    etag = first["ETag"]
    assert first.status_code == 200 and etag

    # when: asked again with that ETag
    again = client.get(URL, {"year": 2024, "union": "330500"}, HTTP_IF_NONE_MATCH=etag)

    # then: not modified, no body
    assert again.status_code == 304
    assert again.content == b""

    # when: a target of that year is edited
    target = IndicatorTarget.objects.filter(year=2024, indicator__key="registered_members").first()
    if target is None:
        target = IndicatorTarget.objects.filter(year=2024).first()
    target.value += 1
    target.save()

    # then: the old ETag no longer matches and the new body carries the new target
    after = client.get(URL, {"year": 2024, "union": "330500"}, HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200
    assert after["ETag"] != etag
    assert by_key(after) != by_key(first)


def test_the_etag_is_not_given_to_a_union_outside_the_callers_tree(staff, api, rolled_up):  # noqa: F811
    district = api(staff["district_admin"]) if "district_admin" in staff else None
    if district is None:
        pytest.skip("no district admin fixture")
    first = api(staff["leadership"]).get(URL, {"year": 2024, "union": "330500"})
    refused = district.get(URL, {"year": 2024, "union": "330500"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert refused.status_code == 403
