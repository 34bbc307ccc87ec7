"""Field helpers shared by every line of work's models."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

ZERO = Decimal("0.00")


def money(verbose_name, **kwargs) -> models.DecimalField:
    """Yuan, two places, never negative."""
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
        **kwargs,
    )
