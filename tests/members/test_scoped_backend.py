"""A signed-in user comes with its scope (members/backends.py): the staff profile and its union
are read with the user, a user without a profile is still signed in (and has no scope), and a
clerk moved to another union sees the new part of the tree on the next request."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.backends import ScopedModelBackend
from members.models import StaffProfile
from members.scoping import has_scope, viewer_union

pytestmark = pytest.mark.django_db


def test_the_users_union_comes_with_the_user(staff, tree):
    # when
    user = ScopedModelBackend().get_user(staff["district_admin"].pk)

    # then: no further query for the scope
    with CaptureQueriesContext(connection) as queries:
        assert viewer_union(user) == tree.wuxing
    assert len(queries) == 0


def test_a_user_without_a_staff_profile_is_signed_in_without_a_scope():
    plain = User.objects.create_user(username="plain", password="pw-12345678")

    user = ScopedModelBackend().get_user(plain.pk)

    assert user == plain
    assert viewer_union(user) is None
    assert not has_scope(user)


def test_an_inactive_user_is_not_signed_in(staff):
    User.objects.filter(pk=staff["district_admin"].pk).update(is_active=False)

    assert ScopedModelBackend().get_user(staff["district_admin"].pk) is None


def test_a_clerk_moved_to_another_union_is_scoped_there_on_the_next_request(client, staff, tree):
    # given: a district clerk signed in
    clerk = staff["district_admin"]
    client.force_login(clerk)
    assert client.get("/api/v1/dashboard/indicators/", {"union": "330503"}).status_code == 403

    # when: moved to 南浔
    StaffProfile.objects.filter(user=clerk).update(union=tree.nanxun)

    # then: the next request sees 南浔, not 吴兴
    assert client.get("/api/v1/dashboard/indicators/", {"union": "330503"}).status_code == 200
    assert client.get("/api/v1/dashboard/indicators/", {"union": "330502"}).status_code == 403
