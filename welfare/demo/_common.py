"""What every welfare seeder shares: the card's 2024 figures, the year, money and date helpers,
and the context each line of work's seeder builds on."""

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from common.report_card import actual
from members.demo import scaled
from members.models import Member, Union

YEAR = 2024
ENROLMENT_OPENS = dt.date(YEAR - 1, 11, 1)
TZ = ZoneInfo("Asia/Shanghai")
CENT = Decimal("0.01")
# The card's 2024 figures (万元 figures in 万元, the coverage in percent), from its one copy in
# the repository.
ACTUAL = {
    key: actual(key)
    for key in (
        "mutual_aid_enrollments",
        "mutual_aid_payout",
        "mutual_aid_beneficiaries",
        "assistance_funds_raised",
        "hardship_workers_visited",
        "outdoor_stations_upgraded",
        "mommy_rooms_upgraded",
        "outdoor_stations_total",
        "outdoor_station_visits",
        "recuperation_participants",
        "job_fairs",
        "reemployment_training",
        "labour_relations_model_sites",
        "legal_aid_events",
        "legal_aid_person_times",
        "wage_contracts",
        "wage_contract_coverage",
        "grassroots_investment",
    )
}
DESTINATIONS = ["安吉余村", "德清莫干山", "长兴水口", "南浔古镇", "吴兴妙西", "安吉天荒坪"]
TRADES = ["电工", "育婴员", "中式烹调师", "养老护理员", "电子商务", "叉车司机"]


def count(key: str, scale: float) -> int:
    return scaled(ACTUAL[key], scale)


def wan_to_yuan(key: str, scale: float) -> Decimal:
    """The 万元 figure × scale to two places, in yuan."""
    wan = (Decimal(ACTUAL[key]) * Decimal(str(scale))).quantize(CENT, rounding=ROUND_HALF_UP)
    return wan * 10000


def split(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """`total` yuan in `parts` positive amounts (to the fen) that add up to it exactly."""
    if parts <= 0:
        return []
    weights = [rng.uniform(0.4, 1.6) for _ in range(parts)]
    scale = total / Decimal(str(sum(weights)))
    amounts = [(Decimal(str(w)) * scale).quantize(CENT, rounding="ROUND_DOWN") for w in weights]
    amounts[-1] += total - sum(amounts)
    return amounts


def split_int(total: int, parts: int, rng: random.Random) -> list[int]:
    if parts <= 0:
        return []
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def day_in(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def nearest_share(n: int, percent: int) -> int:
    """How many of `n` make a share whose whole-percent rounding (half up) is nearest `percent`."""
    if n == 0:
        return 0

    def shown(k: int) -> Decimal:
        return (Decimal(100 * k) / n).quantize(Decimal(1), rounding=ROUND_HALF_UP)

    return min(
        range(n + 1), key=lambda k: (abs(shown(k) - percent), abs(Decimal(100 * k) / n - percent))
    )


class Context:
    """The city, the random generator, the scale and the members and unions every seeder draws from."""

    def __init__(self, *, city: Union, rng: random.Random, scale: float) -> None:
        self.city, self.rng, self.scale = city, rng, scale
        # Members who had joined before the year's first welfare record (enrolment for YEAR
        # opens on 1 November before it): no visit, claim or payout predates its member's
        # joining, so `seed_demo --as-of` never takes a member away from records it keeps.
        self.members = list(
            Member.objects.filter(status=Member.Status.ACTIVE, joined_on__lt=ENROLMENT_OPENS)
            .order_by("pk")
            .values_list("pk", "union_id", "enterprise_id", "gender", "name")
        )
        self.townships = list(Union.objects.filter(level=Union.Level.TOWNSHIP).order_by("code"))
        self.districts = list(Union.objects.filter(level=Union.Level.DISTRICT).order_by("code"))

    def township(self) -> Union:
        return self.rng.choice(self.townships or [self.city])

    def sample_members(self, n: int) -> list[tuple]:
        return self.rng.sample(self.members, min(n, len(self.members)))

    def recuperation_batches(
        self, went: list[tuple], *, year: int, first: dt.date, last: dt.date
    ) -> None:
        """普惠性疗休养 batches of up to 40 of `went`, each five days starting between `first` and
        `last`, and their participants (the 2024 year and 2025 so far)."""
        from common.bulk_copy import bulk_copy
        from welfare.models import RecuperationParticipant, RecuperationProgramme

        rng = self.rng
        programmes = []
        for i in range(max(1, len(went) // 40) if went else 0):
            start = day_in(rng, first, last)
            programmes.append(
                RecuperationProgramme(
                    union=rng.choice([self.city, *self.districts]),
                    kind=RecuperationProgramme.Kind.INCLUSIVE,
                    name=f"{year}年普惠性职工疗休养第{i + 1}批",
                    destination=rng.choice(DESTINATIONS),
                    starts_on=start,
                    ends_on=start + dt.timedelta(days=4),
                    capacity=60,
                )
            )
        programmes = RecuperationProgramme.objects.bulk_create(programmes)
        bulk_copy(
            RecuperationParticipant,
            ("programme_id", "member_id", "union_id"),
            [(programmes[i % len(programmes)].pk, m[0], m[1]) for i, m in enumerate(went)],
        )


def hospital_stay_line(plan, *, year: int):
    """The 住院医疗互助 line of a year's plan, unsaved: the same terms in 2024 and 2025."""
    from welfare.models import BenefitLine

    return BenefitLine(
        plan=plan,
        kind=BenefitLine.Kind.HOSPITAL_STAY,
        name="住院医疗互助",
        contribution=Decimal("30.00"),
        deductible=Decimal("1000.00"),
        reimbursement_rate=Decimal("0.5"),
        annual_cap=Decimal("10000.00"),
        claim_deadline=dt.date(year + 1, 3, 31),
    )
