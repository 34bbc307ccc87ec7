"""Helpers shared by the figures of several lines of work."""

import datetime as dt

from django.db.models import (
    Q,
)

from members.models import Union

# --- figures (report-card keys whose app is `welfare`) ------------------------------------------


def _within(union: Union, field: str = "union") -> Q:
    return Q(**{f"{field}__path__startswith": union.path})


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


MEMBER_COLUMNS = [
    ("姓名", "name"),
    ("公民身份号码", "id_number_masked"),
    ("所属工会", "union__name"),
]
