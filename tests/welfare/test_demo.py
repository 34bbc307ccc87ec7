"""The demo seeder: for 2024 every welfare figure is the card's figure × scale, and a second run
adds nothing."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from common.figures import REGISTRY, load_all
from members.demo import seed_members
from members.models import Union
from welfare import demo
from welfare.models import Claim, Enrolment, Payout

pytestmark = pytest.mark.django_db
SCALE = 0.005


def test_the_demo_makes_each_2024_figure_the_card_times_the_scale():
    # given
    seed_members(scale=SCALE, seed=7)
    # when
    demo.seed(scale=SCALE, seed=7)
    counts = (Enrolment.objects.count(), Claim.objects.count(), Payout.objects.count())
    again = demo.seed(scale=SCALE, seed=7)
    # then
    load_all()
    city = Union.objects.get(level="city")
    for key, actual in demo.ACTUAL.items():
        figure = REGISTRY[key]
        got = figure.compute(year=2024, union=city)
        if figure.share_of:
            assert abs(got - actual) <= 2, key  # whole enterprises: the nearest share to 82%
        elif figure.divisor != 1:
            wan = (Decimal(actual) * Decimal(str(SCALE))).quantize(Decimal("0.01"), ROUND_HALF_UP)
            assert got == wan, key
        else:
            assert got == round(actual * SCALE), key
    assert "已存在" in again
    assert (Enrolment.objects.count(), Claim.objects.count(), Payout.objects.count()) == counts


def test_demo_claims_agree_with_the_rules_and_their_history():
    seed_members(scale=0.002, seed=1)
    demo.seed(scale=0.002, seed=1)
    for claim in Claim.objects.filter(state="paid").select_related("enrolment__line", "payout"):
        line = claim.enrolment.line
        by_rule = ((claim.eligible_expenses - line.deductible) * line.reimbursement_rate).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
        assert claim.allowed_amount == by_rule == claim.payout.amount
        assert list(claim.events.values_list("to_state", flat=True)) == [
            "submitted",
            "under_review",
            "approved",
            "paid",
        ]


def test_nearest_share_picks_the_count_whose_rounding_is_closest():
    assert demo.nearest_share(100, 82) == 82
    assert demo.nearest_share(50, 82) == 41
    assert demo.nearest_share(15, 82) == 12  # 80% (13 would show 87%)
    assert demo.nearest_share(0, 82) == 0
