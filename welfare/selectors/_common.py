"""Helpers shared by the figures of several lines of work."""

import datetime as dt

# --- figures (report-card keys whose app is `welfare`) ------------------------------------------


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


MEMBER_COLUMNS = [
    ("姓名", "name"),
    ("公民身份号码", "id_number_masked"),
    ("所属工会", "union__name"),
]
