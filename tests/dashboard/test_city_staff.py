"""One answer to "who is city staff": the admin's target editing and the roll-up button ask
members.scoping.is_city_staff; the dashboard.run_rollup permission is an extra grant for the
roll-up only."""

import pytest
from django.contrib.auth.models import Permission

from dashboard import admin as dashboard_admin
from dashboard import services
from members.models import StaffProfile
from members.scoping import is_city_staff
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

R = StaffProfile.Role


@pytest.mark.parametrize("role", list(R))
@pytest.mark.parametrize("at", ["city", "wuxing", "zhili", "zhili_factory"])
def test_the_admin_and_the_rollup_agree_on_who_is_city_staff_for_every_role(tree, role, at):
    # given
    user = make_staff(getattr(tree, at), role, f"{role}-{at}")

    # when
    answers = {
        "scoping": is_city_staff(user),
        "admin": dashboard_admin.is_city_staff(user),
        "rollup": services.can_start_rollup(user),
    }

    # then: one answer, and it is yes only for a city admin at the city
    assert len(set(answers.values())) == 1, answers
    assert answers["scoping"] == (role == R.CITY_ADMIN and at == "city")


def test_a_superuser_is_city_staff_everywhere(django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    assert dashboard_admin.is_city_staff(root)
    assert services.can_start_rollup(root)


def test_the_run_rollup_permission_grants_the_rollup_and_nothing_else(tree):
    # given: a district admin granted dashboard.run_rollup
    user = make_staff(tree.wuxing, R.DISTRICT_ADMIN, "granted")
    user.user_permissions.add(Permission.objects.get(codename="run_rollup"))
    user = type(user).objects.get(pk=user.pk)

    # then
    assert services.can_start_rollup(user)
    assert not is_city_staff(user)
    assert not dashboard_admin.is_city_staff(user)
