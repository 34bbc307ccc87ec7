"""The mutual-aid arithmetic on edge amounts: (eligible − deductible) × rate, half up to the fen,
never more than what is left of the annual cap."""

from decimal import Decimal

from welfare.rules import allowed_amount

D = Decimal
RULE = {"deductible": D("1000.00"), "rate": D("0.5"), "annual_cap": D("10000.00")}


def test_below_the_deductible_allows_nothing():
    assert allowed_amount(eligible_expenses=D("999.99"), **RULE) == D("0.00")


def test_exactly_at_the_deductible_allows_nothing():
    assert allowed_amount(eligible_expenses=D("1000.00"), **RULE) == D("0.00")


def test_one_fen_above_the_deductible_rounds_half_up():
    # 0.01 × 0.5 = 0.005 → 0.01 (half up, not banker's 0.00)
    assert allowed_amount(eligible_expenses=D("1000.01"), **RULE) == D("0.01")


def test_half_fen_rounds_up_with_an_uneven_rate():
    # (1333.33 − 1000) × 0.55 = 183.3315 → 183.33; (1333.35 − 1000) × 0.55 = 183.3425 → 183.34
    rule = {**RULE, "rate": D("0.55")}
    assert allowed_amount(eligible_expenses=D("1333.33"), **rule) == D("183.33")
    assert allowed_amount(eligible_expenses=D("1333.35"), **rule) == D("183.34")
    # (1000.03 − 1000) × 0.5 = 0.015 → 0.02
    assert allowed_amount(eligible_expenses=D("1000.03"), **RULE) == D("0.02")


def test_exactly_at_the_cap_pays_the_cap():
    # (21000 − 1000) × 0.5 = 10000.00 = the cap
    assert allowed_amount(eligible_expenses=D("21000.00"), **RULE) == D("10000.00")


def test_above_the_cap_pays_the_cap():
    assert allowed_amount(eligible_expenses=D("500000.00"), **RULE) == D("10000.00")


def test_a_cap_partly_used_pays_only_what_is_left():
    assert allowed_amount(
        eligible_expenses=D("9000.00"), already_granted=D("7000.00"), **RULE
    ) == D("3000.00")
    assert allowed_amount(
        eligible_expenses=D("3000.00"), already_granted=D("7000.00"), **RULE
    ) == D("1000.00")


def test_a_cap_fully_used_pays_nothing():
    assert allowed_amount(
        eligible_expenses=D("9000.00"), already_granted=D("10000.00"), **RULE
    ) == D("0.00")
