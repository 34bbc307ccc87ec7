"""The demo seed: each 2024 figure the report card gives an actual for equals
round(actual × scale); a second run adds nothing."""

from decimal import Decimal

import pytest

from activities import demo
from activities.models import Activity, Attendance
from common.figures import REGISTRY, load_all
from members.demo import seed_members
from members.models import Union

pytestmark = pytest.mark.django_db
SCALE = 0.004


def test_the_demo_meets_the_report_card_at_scale_and_is_idempotent():
    # given
    seed_members(scale=SCALE, seed=7)
    load_all()

    # when
    demo.seed(scale=SCALE, seed=7)
    counts = (Activity.objects.count(), Attendance.objects.count())
    again = demo.seed(scale=SCALE, seed=7)

    # then
    city = Union.objects.get(code="330500")

    def value(key):
        return REGISTRY[key].compute(year=2024, union=city)

    assert value("pre_shift_person_times") == Decimal(round(271_000 * SCALE))
    assert value("culture_to_grassroots_events") == Decimal(round(208 * SCALE))
    assert value("double_hundred_activities") == Decimal(round(2_158 * SCALE))
    assert value("township_culture_positions") == Decimal(round(30 * SCALE))
    assert value("member_day_events") == Decimal(12)
    assert value("pre_shift_organisations") == Decimal(8)
    assert value("model_worker_lectures") == Decimal(round(400 * SCALE))
    assert value("interest_group_activities") == Decimal(round(4_000 * SCALE))
    assert again == "活动演示数据已存在，未重复生成。"
    assert (Activity.objects.count(), Attendance.objects.count()) == counts
