"""The demo's 2025: a year in progress. The demo seeds 2024 in full; for the figures the card sets
a 2025 target for, it also seeds 2025 from 1 January to PROGRESS_DAY, sized at a share of the
target × scale (PROGRESS_SHARES, drawn deterministically from the seed), so the board's
目标完成进度 and % of target show real figures: progress, targets not yet met. Nothing of 2025
is dated after PROGRESS_DAY."""

import datetime as dt
import math
import random

from common.report_card import target

PROGRESS_YEAR = 2025
PROGRESS_START = dt.date(PROGRESS_YEAR, 1, 1)
PROGRESS_DAY = dt.date(PROGRESS_YEAR, 6, 30)  # the demo's "today" for 2025: half the year
PROGRESS_SHARES = (0.45, 0.60)


def progress_count(key: str, scale: float, rng: random.Random) -> int:
    """How many of `key` the demo's 2025 has by PROGRESS_DAY: 45–60% of target × scale, at least 1
    (at a small scale a target × scale under 2 gives 1: progress shows, and the figure cannot be
    a fraction)."""
    share = rng.uniform(*PROGRESS_SHARES)
    return max(1, math.floor(target(key) * scale * share))


def progress_day(rng: random.Random) -> dt.date:
    return PROGRESS_START + dt.timedelta(
        days=rng.randrange((PROGRESS_DAY - PROGRESS_START).days + 1)
    )
