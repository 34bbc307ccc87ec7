"""The mutual-aid arithmetic, in Decimal yuan, kept apart from the database so it reads as the
union's rule book does:

    allowed = min( round((eligible expenses − deductible) × rate, 0.01),  cap − already granted )

never below zero, rounded half up to the fen (the way the finance office rounds)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_yuan(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def cap_remaining(*, annual_cap: Decimal, already_granted: Decimal) -> Decimal:
    """What is left of the member's annual cap (never negative)."""
    return max(to_yuan(annual_cap) - to_yuan(already_granted), ZERO)


def allowed_amount(
    *,
    eligible_expenses: Decimal,
    deductible: Decimal,
    rate: Decimal,
    annual_cap: Decimal,
    already_granted: Decimal = ZERO,
) -> Decimal:
    """The mutual-aid amount the rules allow for one claim, given what the member's other claims
    on the same benefit line have already been granted this year."""
    above_deductible = max(Decimal(eligible_expenses) - Decimal(deductible), ZERO)
    by_rate = to_yuan(above_deductible * Decimal(rate))
    return min(by_rate, cap_remaining(annual_cap=annual_cap, already_granted=already_granted))
