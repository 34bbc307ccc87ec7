"""Validators every API input shares (wired in common.apps)."""

import datetime as dt

from rest_framework import serializers

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)


def plausible_date(value: dt.date | dt.datetime) -> None:
    """A date (or the date of a time) between 1900 and 2100: the records kept here (births,
    memberships, activities, payouts) fall inside it, so anything outside is a typo."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise serializers.ValidationError(
            f"日期应在{EARLIEST:%Y年%m月%d日}至{LATEST:%Y年%m月%d日}之间。"
        )
