import pytest
from django.core.management import call_command

from common.figures import load_all
from members.models import Member, Union

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_real_districts_and_the_scaled_register():
    # given / when
    call_command("seed_demo", "--scale", "0.001", "--seed", "7", "--accounts")
    # then: the five districts and counties plus 南太湖新区, and round(681,000 × 0.001) on the 2024 register
    districts = set(Union.objects.filter(level=Union.Level.DISTRICT).values_list("name", flat=True))
    assert districts == {
        "吴兴区总工会",
        "南浔区总工会",
        "德清县总工会",
        "长兴县总工会",
        "安吉县总工会",
        "南太湖新区总工会",
    }
    city = Union.objects.get(level=Union.Level.CITY)
    figures = load_all()
    assert figures["registered_members"].compute(year=2024, union=city) == 681
    assert Member.objects.count() > 681  # a few joined in 2025 and are not on the 2024 register


def test_seed_demo_is_deterministic_and_idempotent():
    call_command("seed_demo", "--scale", "0.0005", "--seed", "7")
    first = sorted(Member.objects.values_list("name", "id_number_hash"))
    call_command("seed_demo", "--scale", "0.0005", "--seed", "7")
    assert sorted(Member.objects.values_list("name", "id_number_hash")) == first
