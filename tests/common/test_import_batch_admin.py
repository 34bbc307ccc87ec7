"""Import batches in the admin (issue 10.7): read-only, each seen within the importer's part of
the tree."""

import pytest
from django.urls import reverse

from common.models import ImportBatch

pytestmark = pytest.mark.django_db


def test_a_district_admin_sees_only_the_batches_of_their_tree(client, tree, staff):
    # given: one batch imported in 吴兴, one in 南浔
    wuxing = ImportBatch.objects.create(kind="会员名册", actor="wuxing", union=tree.zhili)
    nanxun = ImportBatch.objects.create(kind="会员名册", actor="nanxun", union=tree.nanxun)
    client.force_login(staff["district_admin"])
    # when
    listing = client.get(reverse("admin:common_importbatch_changelist"))
    other = client.get(reverse("admin:common_importbatch_change", args=[nanxun.pk]))
    own = client.get(reverse("admin:common_importbatch_change", args=[wuxing.pk]))
    # then
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [wuxing]
    assert other.status_code == 302 and other.url == reverse("admin:index")
    assert own.status_code == 200
    assert b'name="_save"' not in own.content  # read-only


def test_no_one_adds_a_batch_by_hand(client, staff):
    client.force_login(staff["city_admin"])
    assert client.get(reverse("admin:common_importbatch_add")).status_code == 403
