"""Demo 医疗互助: the 2024 plan, its lines, enrolments, claims and payouts."""

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from common.bulk_copy import bulk_copy
from members.models import Member
from welfare import rules
from welfare.demo._common import (
    ENROLMENT_OPENS,
    YEAR,
    Context,
    at,
    count,
    day_in,
    hospital_stay_line,
    split,
    wan_to_yuan,
)
from welfare.models import (
    BenefitLine,
    Claim,
    ClaimEvent,
    Enrolment,
    MutualAidPlan,
    Payout,
)

HOSPITALS = [
    "湖州市中心医院",
    "湖州市第一人民医院",
    "湖州市第三人民医院",
    "南浔区人民医院",
    "德清县人民医院",
    "长兴县人民医院",
    "安吉县人民医院",
    "浙江大学医学院附属第一医院",
]


class MutualAidSeeder(Context):
    # -- mutual aid ------------------------------------------------------------------------------
    def mutual_aid(self) -> str:
        rng = self.rng
        plan = MutualAidPlan.objects.create(
            union=self.city,
            year=YEAR,
            name=f"{YEAR}年度湖州市职工医疗互助",
            period_start=dt.date(YEAR, 1, 1),
            period_end=dt.date(YEAR, 12, 31),
            enrolment_opens=ENROLMENT_OPENS,
            enrolment_closes=dt.date(YEAR, 12, 31),
        )
        D = Decimal
        stay, major, women = BenefitLine.objects.bulk_create(
            [
                hospital_stay_line(plan, year=YEAR),
                BenefitLine(
                    plan=plan,
                    kind=BenefitLine.Kind.MAJOR_ILLNESS,
                    name="重大疾病互助",
                    contribution=D("20.00"),
                    deductible=D("5000.00"),
                    reimbursement_rate=D("0.3"),
                    annual_cap=D("30000.00"),
                    claim_deadline=dt.date(YEAR + 1, 3, 31),
                ),
                BenefitLine(
                    plan=plan,
                    kind=BenefitLine.Kind.WOMEN_SPECIAL,
                    name="女职工特殊疾病互助",
                    contribution=D("10.00"),
                    deductible=D("0.00"),
                    reimbursement_rate=D("0.6"),
                    annual_cap=D("5000.00"),
                    claim_deadline=dt.date(YEAR + 1, 3, 31),
                ),
            ]
        )
        wanted = count("mutual_aid_enrollments", self.scale)
        # Everyone in the hospital-stay line first, then major illness, then women's line.
        slots = [(m, stay) for m in self.members]
        slots += [(m, major) for m in self.members]
        slots += [(m, women) for m in self.members if m[3] == Member.Gender.FEMALE]
        slots = slots[:wanted]
        # Plain tuples written by COPY (common/bulk_copy.py): at city scale these are 703,000
        # enrolments, and a model instance each was most of the seed's welfare time.
        enrolment_rows = [
            (
                m[0],
                line.pk,
                m[1],
                m[2],
                day_in(rng, ENROLMENT_OPENS, dt.date(YEAR - 1, 12, 31)),
                line.contribution,
            )
            for m, line in slots
        ]
        enrolment_ids = bulk_copy(
            Enrolment,
            ("member_id", "line_id", "union_id", "payer_id", "enrolled_on", "contribution"),
            enrolment_rows,
            ids=True,
        )
        # (id, member_id, union_id) of each hospital-stay enrolment, in the order written.
        stay_enrolments = [
            (pk, row[0], row[2])
            for pk, row in zip(enrolment_ids, enrolment_rows, strict=True)
            if row[1] == stay.pk
        ]

        n_paid = min(count("mutual_aid_beneficiaries", self.scale), len(stay_enrolments))
        amounts = split(wan_to_yuan("mutual_aid_payout", self.scale), n_paid, rng)
        chosen = rng.sample(stay_enrolments, n_paid)
        n_open = max(3, n_paid // 20) if stay_enrolments else 0
        pending = [rng.choice(stay_enrolments) for _ in range(n_open)]
        claims, paid_days = [], []
        for enrolment, amount in zip(chosen, amounts, strict=True):
            admitted = day_in(rng, dt.date(YEAR, 1, 2), dt.date(YEAR, 11, 20))
            discharged = admitted + dt.timedelta(days=rng.randint(1, 14))
            # Expenses that give exactly `amount` under the line's rule: (e − 1000) × 0.5 = amount.
            eligible = amount * 2 + stay.deductible
            claim = self._claim(enrolment, admitted, discharged, eligible, amount, Claim.State.PAID)
            claims.append(claim)
            # Paid after the approval (three days after submission), within the year.
            paid = claim.submitted_at.date() + dt.timedelta(days=rng.randint(4, 20))
            paid_days.append(min(paid, dt.date(YEAR, 12, 31)))
        for enrolment in pending:
            admitted = day_in(rng, dt.date(YEAR, 10, 1), dt.date(YEAR, 12, 20))
            eligible = Decimal(rng.randrange(150_000, 900_000)) / 100
            claims.append(
                self._claim(
                    enrolment,
                    admitted,
                    admitted + dt.timedelta(days=3),
                    eligible,
                    rules.allowed_amount(
                        eligible_expenses=eligible,
                        deductible=stay.deductible,
                        rate=stay.reimbursement_rate,
                        annual_cap=stay.annual_cap,
                    ),
                    rng.choice([Claim.State.SUBMITTED, Claim.State.UNDER_REVIEW]),
                )
            )
        claim_ids = bulk_copy(Claim, _ClaimRow._fields, claims, ids=True)
        payouts, events = [], []
        for pk, claim, paid_on in zip(
            claim_ids, claims, paid_days + [None] * len(pending), strict=True
        ):
            submitted_at = claim.submitted_at
            steps = [("", Claim.State.SUBMITTED, submitted_at)]
            if claim.state in (Claim.State.UNDER_REVIEW, Claim.State.PAID):
                steps.append(
                    (
                        Claim.State.SUBMITTED,
                        Claim.State.UNDER_REVIEW,
                        submitted_at + dt.timedelta(days=1),
                    )
                )
            if claim.state == Claim.State.PAID:
                steps.append(
                    (
                        Claim.State.UNDER_REVIEW,
                        Claim.State.APPROVED,
                        submitted_at + dt.timedelta(days=3),
                    )
                )
                steps.append((Claim.State.APPROVED, Claim.State.PAID, at(paid_on, 15)))
                payouts.append(
                    (
                        pk,
                        claim.union_id,
                        claim.allowed_amount,
                        f"demo-{YEAR}-{pk}",
                        paid_on,
                        at(paid_on, 15),
                    )
                )
            events += [(pk, when, a, b, claim.allowed_amount) for a, b, when in steps]
        bulk_copy(
            Payout,
            ("claim_id", "union_id", "amount", "idempotency_key", "paid_on", "paid_at"),
            payouts,
        )
        bulk_copy(ClaimEvent, ("claim_id", "at", "from_state", "to_state", "amount"), events)
        return f"{len(enrolment_rows)}人次、发放{len(payouts)}笔"

    def _claim(self, enrolment, admitted, discharged, eligible, amount, state) -> "_ClaimRow":
        pk, member_id, union_id = enrolment
        total = eligible + Decimal(self.rng.randrange(0, 300_000)) / 100
        submitted = at(
            min(discharged + dt.timedelta(days=self.rng.randint(1, 5)), dt.date(YEAR, 12, 30)), 9
        )
        return _ClaimRow(
            member_id=member_id,
            enrolment_id=pk,
            union_id=union_id,
            admitted_on=admitted,
            discharged_on=discharged,
            hospital=self.rng.choice(HOSPITALS),
            category=Claim.Category.INPATIENT,
            total_expenses=total,
            eligible_expenses=eligible,
            allowed_amount=amount,
            state=state,
            submitted_at=submitted,
        )


class _ClaimRow(NamedTuple):
    """A claim's columns, in the order `bulk_copy` writes them."""

    member_id: int
    enrolment_id: int
    union_id: int
    admitted_on: dt.date
    discharged_on: dt.date
    hospital: str
    category: str
    total_expenses: Decimal
    eligible_expenses: Decimal
    allowed_amount: Decimal
    state: str
    submitted_at: dt.datetime
