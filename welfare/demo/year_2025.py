"""The demo's 2025 so far (common/demo_progress.py) for the welfare figures with a 2025 target:
outdoor stations upgraded, inclusive recuperation, 转岗再就业 training and 医疗互助 enrolments at
a share of target × scale, and the wage contracts that keep coverage near 2024's (below the 85%
target). Dated 1 January to PROGRESS_DAY; the caller gives a generator of its own, so the 2024
records stay exactly as they were."""

import datetime as dt
from decimal import Decimal

from common.bulk_copy import bulk_copy
from common.demo_progress import (
    PROGRESS_DAY,
    PROGRESS_START,
    PROGRESS_YEAR,
    progress_count,
)
from common.report_card import target
from members.models import Enterprise, EnterpriseYear
from welfare.demo._common import TRADES, Context, day_in, hospital_stay_line
from welfare.models import (
    Enrolment,
    MutualAidPlan,
    ServiceStation,
    StationUpgrade,
    Trainee,
    TrainingCourse,
    WageContract,
)


class Year2025Seeder(Context):
    def year_2025(self) -> str:
        return "；".join(
            [
                self._stations_2025(),
                self._recuperation_2025(),
                self._training_2025(),
                self._mutual_aid_2025(),
                self._wages_2025(),
            ]
        )

    def _stations_2025(self) -> str:
        rng = self.rng
        outdoor = list(
            ServiceStation.objects.filter(
                kind=ServiceStation.Kind.OUTDOOR_WORKER, closed_on__isnull=True
            ).order_by("pk")
        )
        n = min(len(outdoor), progress_count("outdoor_stations_upgraded", self.scale, rng))
        StationUpgrade.objects.bulk_create(
            [
                StationUpgrade(
                    station=s,
                    upgraded_on=day_in(rng, PROGRESS_START, PROGRESS_DAY),
                    description="增设饮水、充电、休息设施",
                    cost=Decimal(rng.randrange(5000, 50000)),
                )
                for s in rng.sample(outdoor, n)
            ]
        )
        return f"户外站点改造{n}家"

    def _recuperation_2025(self) -> str:
        rng = self.rng
        went = self.sample_members(progress_count("recuperation_participants", self.scale, rng))
        # Back by PROGRESS_DAY: a programme lasts five days.
        self.recuperation_batches(
            went,
            year=PROGRESS_YEAR,
            first=dt.date(PROGRESS_YEAR, 3, 1),
            last=PROGRESS_DAY - dt.timedelta(days=4),
        )
        return f"疗休养{len(went)}人"

    def _training_2025(self) -> str:
        rng = self.rng
        trainees = progress_count("reemployment_training", self.scale, rng)
        courses = TrainingCourse.objects.bulk_create(
            [
                TrainingCourse(
                    union=self.township(),
                    title=f"转岗再就业{(trade := rng.choice(TRADES))}培训班",
                    trade=trade,
                    starts_on=(start := day_in(rng, PROGRESS_START, dt.date(PROGRESS_YEAR, 6, 10))),
                    ends_on=start + dt.timedelta(days=20),
                )
                for _ in range(max(1, trainees // 40))
            ]
        )
        people = self.sample_members(trainees)
        Trainee.objects.bulk_create(
            [
                Trainee(
                    course=courses[i % len(courses)],
                    member_id=people[i][0] if i < len(people) else None,
                    name=people[i][4] if i < len(people) else f"求职者{i + 1}",
                    completed=rng.random() < 0.9,
                )
                for i in range(trainees)
            ]
        )
        return f"培训{trainees}人次"

    def _mutual_aid_2025(self) -> str:
        rng = self.rng
        plan = MutualAidPlan.objects.create(
            union=self.city,
            year=PROGRESS_YEAR,
            name=f"{PROGRESS_YEAR}年度湖州市职工医疗互助",
            period_start=PROGRESS_START,
            period_end=dt.date(PROGRESS_YEAR, 12, 31),
            enrolment_opens=PROGRESS_START,
            enrolment_closes=dt.date(PROGRESS_YEAR, 12, 31),
        )
        line = hospital_stay_line(plan, year=PROGRESS_YEAR)
        line.save()
        enrolled = self.sample_members(progress_count("mutual_aid_enrollments", self.scale, rng))
        bulk_copy(
            Enrolment,
            ("member_id", "line_id", "union_id", "payer_id", "enrolled_on", "contribution"),
            [
                (
                    m[0],
                    line.pk,
                    m[1],
                    m[2],
                    day_in(rng, PROGRESS_START, PROGRESS_DAY),
                    line.contribution,
                )
                for m in sorted(enrolled)
            ],
        )
        return f"互助参保{len(enrolled)}人次"

    def _wages_2025(self) -> str:
        """2025's statistics as 2024's, and renewals signed by PROGRESS_DAY for the covered
        enterprises whose contract lapses in 2025, as many as keep coverage below the target."""
        rng = self.rng
        above = list(Enterprise.objects.filter(above_designated_size=True).order_by("pk"))
        EnterpriseYear.objects.bulk_create(
            [
                EnterpriseYear(
                    enterprise=e, year=PROGRESS_YEAR, above_designated_size=True, has_union=True
                )
                for e in above
            ]
            + [
                EnterpriseYear(
                    enterprise_id=pk,
                    year=PROGRESS_YEAR,
                    above_designated_size=False,
                    has_union=True,
                )
                for pk in Enterprise.objects.filter(above_designated_size=False)
                .order_by("pk")
                .values_list("pk", flat=True)
            ],
            batch_size=5000,
        )
        end_2024, end_2025 = dt.date(PROGRESS_YEAR - 1, 12, 31), dt.date(PROGRESS_YEAR, 12, 31)

        def covered_on(day: dt.date) -> set[int]:
            in_force = WageContract.objects.filter(signed_on__lte=day, expires_on__gte=day)
            return set(in_force.values_list("enterprise_id", flat=True)) | set(
                in_force.values_list("covered_enterprises", flat=True)
            )

        was, still = covered_on(end_2024), covered_on(end_2025)
        lapsing = [e for e in above if e.pk in was and e.pk not in still]
        now = sum(1 for e in above if e.pk in still)
        # 2024's coverage again, but targets not yet met: under the target's whole percent (half up).
        goal = len(was & {e.pk for e in above})
        while goal and 200 * goal >= (2 * target("wage_contract_coverage") - 1) * len(above):
            goal -= 1
        renewals = lapsing[: max(0, goal - now)]
        WageContract.objects.bulk_create(
            [
                WageContract(
                    enterprise=e,
                    union_id=e.union_id,
                    signed_on=(on := day_in(rng, PROGRESS_START, PROGRESS_DAY)),
                    expires_on=dt.date(on.year + 2, on.month, min(on.day, 28)),
                    employees_covered=rng.randint(50, 2000),
                )
                for e in renewals
            ]
        )
        return f"工资集体合同续签{len(renewals)}份（规上覆盖{now + len(renewals)}/{len(above)}）"
