"""Demo welfare records for the synthetic Huzhou that members.demo builds: for 2024, each of the
welfare figures equals the report card's figure × scale.

- counts (person-times, persons, events, items): actual_2024 × scale rounded half up
  (members.demo.scaled: 50 × 0.01 = 0.5 gives 1, where Python's round() gives 0);
- 万元 figures: actual_2024 × scale rounded to 0.01 万元 (e.g. 2,683 万元 × 0.01 = 26.83 万元, paid
  as exactly 268,300.00 yuan), since the figure itself is shown to two places;
- the coverage percentage stays the card's 82%: as many above-size enterprises are given a wage
  contract in force on 31 December 2024 as brings the share nearest to 82 (with few such
  enterprises, e.g. 13 at scale 0.002, the nearest whole percentage may be a point or two off).

Deterministic (random.Random(seed)), idempotent (a second run finds the 2024 demo plan and adds
nothing), bulk_create throughout.

A fast path used only by seed_demo: records are bulk-inserted, not written through the
services, except where a rule is the point (README: "What the demo data goes through")."""

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from common.report_card import actual
from members.demo import scaled
from members.models import Enterprise, EnterpriseYear, Member, Union
from welfare import rules
from welfare.models import (
    AssistanceFund,
    BenefitLine,
    Claim,
    ClaimEvent,
    Concern,
    Enrolment,
    GrassrootsInvestment,
    HardshipCase,
    JobFair,
    JobFairEmployer,
    LabourRelationsSite,
    LegalAidEvent,
    MutualAidPlan,
    Payout,
    RecuperationParticipant,
    RecuperationProgramme,
    ServiceStation,
    StationUpgrade,
    StationVisit,
    Trainee,
    TrainingCourse,
    Visit,
    WageContract,
)

YEAR = 2024
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


def seed(*, scale: float, seed: int) -> str:
    city = Union.objects.filter(level=Union.Level.CITY).first()
    if city is None:
        return "没有工会组织，请先生成会员数据。"
    if MutualAidPlan.objects.filter(union=city, year=YEAR).exists():
        return "2024年度演示数据已存在，未重复生成。"
    rng = random.Random(seed)
    with transaction.atomic():
        ctx = _Context(city=city, rng=rng, scale=scale)
        facts = {
            "参保": ctx.mutual_aid(),
            "帮扶慰问": ctx.assistance(),
            "站点": ctx.stations(),
            "疗休养": ctx.recuperation(),
            "就业": ctx.employment(),
            "法律": ctx.legal_and_contracts(),
            "心声": ctx.concerns(),
        }
        # The records the report card describes but no figure counts: their own generator,
        # so the figures' random sequence above is exactly what it was.
        facts.update(_records(city=city, rng=random.Random(seed + 15)))
    return "，".join(f"{k}{v}" for k, v in facts.items())


class _Context:
    def __init__(self, *, city: Union, rng: random.Random, scale: float) -> None:
        self.city, self.rng, self.scale = city, rng, scale
        self.members = list(
            Member.objects.filter(status=Member.Status.ACTIVE, joined_on__lte=dt.date(YEAR, 12, 31))
            .order_by("pk")
            .values_list("pk", "union_id", "enterprise_id", "gender", "name")
        )
        self.townships = list(Union.objects.filter(level=Union.Level.TOWNSHIP).order_by("code"))
        self.districts = list(Union.objects.filter(level=Union.Level.DISTRICT).order_by("code"))

    def township(self) -> Union:
        return self.rng.choice(self.townships or [self.city])

    def sample_members(self, n: int) -> list[tuple]:
        return self.rng.sample(self.members, min(n, len(self.members)))

    # -- mutual aid ------------------------------------------------------------------------------
    def mutual_aid(self) -> str:
        rng = self.rng
        plan = MutualAidPlan.objects.create(
            union=self.city,
            year=YEAR,
            name=f"{YEAR}年度湖州市职工医疗互助",
            period_start=dt.date(YEAR, 1, 1),
            period_end=dt.date(YEAR, 12, 31),
            enrolment_opens=dt.date(YEAR - 1, 11, 1),
            enrolment_closes=dt.date(YEAR, 12, 31),
        )
        D = Decimal
        stay, major, women = BenefitLine.objects.bulk_create(
            [
                BenefitLine(
                    plan=plan,
                    kind=BenefitLine.Kind.HOSPITAL_STAY,
                    name="住院医疗互助",
                    contribution=D("30.00"),
                    deductible=D("1000.00"),
                    reimbursement_rate=D("0.5"),
                    annual_cap=D("10000.00"),
                    claim_deadline=dt.date(YEAR + 1, 3, 31),
                ),
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
        enrolments = [
            Enrolment(
                member_id=m[0],
                line=line,
                union_id=m[1],
                payer_id=m[2],
                enrolled_on=day_in(rng, dt.date(YEAR - 1, 11, 1), dt.date(YEAR - 1, 12, 31)),
                contribution=line.contribution,
            )
            for m, line in slots
        ]
        enrolments = Enrolment.objects.bulk_create(enrolments, batch_size=5000)
        stay_enrolments = [e for e in enrolments if e.line_id == stay.pk]

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
        claims = Claim.objects.bulk_create(claims, batch_size=2000)
        payouts, events = [], []
        for claim, paid_on in zip(claims, paid_days + [None] * len(pending), strict=True):
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
                    Payout(
                        claim=claim,
                        union_id=claim.union_id,
                        amount=claim.allowed_amount,
                        idempotency_key=f"demo-{YEAR}-{claim.pk}",
                        paid_on=paid_on,
                        paid_at=at(paid_on, 15),
                    )
                )
            events += [
                ClaimEvent(
                    claim=claim, at=when, from_state=a, to_state=b, amount=claim.allowed_amount
                )
                for a, b, when in steps
            ]
        Payout.objects.bulk_create(payouts, batch_size=2000)
        ClaimEvent.objects.bulk_create(events, batch_size=5000)
        return f"{len(enrolments)}人次、发放{len(payouts)}笔"

    def _claim(self, enrolment, admitted, discharged, eligible, amount, state) -> Claim:
        total = eligible + Decimal(self.rng.randrange(0, 300_000)) / 100
        submitted = at(
            min(discharged + dt.timedelta(days=self.rng.randint(1, 5)), dt.date(YEAR, 12, 30)), 9
        )
        return Claim(
            member_id=enrolment.member_id,
            enrolment=enrolment,
            union_id=enrolment.union_id,
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

    # -- assistance and visits -----------------------------------------------------------------
    def assistance(self) -> str:
        rng = self.rng
        raisers = [self.city, *self.districts]
        amounts = split(wan_to_yuan("assistance_funds_raised", self.scale), len(raisers), rng)
        funds = AssistanceFund.objects.bulk_create(
            [
                AssistanceFund(
                    union=union,
                    name=f"{union.name}{YEAR}年帮扶资金",
                    source=rng.choice(AssistanceFund.Source.values),
                    amount=amount,
                    raised_on=day_in(rng, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)),
                )
                for union, amount in zip(raisers, amounts, strict=True)
                if amount > 0
            ]
        )
        visited = self.sample_members(count("hardship_workers_visited", self.scale))
        visits = [
            Visit(
                member_id=m[0],
                union_id=m[1],
                visited_on=day_in(rng, dt.date(YEAR, 1, 10), dt.date(YEAR, 12, 31)),
                occasion=rng.choice([Visit.Occasion.WINTER, Visit.Occasion.SUMMER]),
                visitor=rng.choice(["市总工会", "区县总工会", "乡镇(街道)工会"]),
                frontline=True,
                in_hardship=rng.random() < 0.2,
                given=rng.choice(["慰问金500元", "防暑降温用品", "米油等生活物资"]),
                value=Decimal(rng.choice([200, 300, 500])),
            )
            for m in visited
        ]
        # Some workers are visited twice (winter and summer): still one person each.
        visits += [
            Visit(
                member_id=v.member_id,
                union_id=v.union_id,
                visited_on=day_in(rng, dt.date(YEAR, 6, 1), dt.date(YEAR, 8, 31)),
                occasion=Visit.Occasion.SUMMER,
                visitor="市总工会",
                given="防暑降温用品",
                value=Decimal("100.00"),
            )
            for v in visits[: len(visits) // 10]
        ]
        Visit.objects.bulk_create(visits, batch_size=5000)
        cases = []
        for m in visited[: max(1, len(visited) // 20)] if funds else []:
            fund = rng.choice(funds)
            cases.append(
                HardshipCase(
                    member_id=m[0],
                    union_id=m[1],
                    category=rng.choice(HardshipCase.Category.values),
                    assessed_on=day_in(rng, dt.date(YEAR, 1, 1), dt.date(YEAR, 6, 30)),
                    assessment="经入户核查，家庭人均收入低于当地最低生活保障标准。",
                    aid_amount=Decimal("0.00"),
                    fund=None,
                )
            )
        # Aid paid from the funds, never more than a fund holds (a tenth of it at most per case).
        spent: dict[int, Decimal] = {}
        for case in cases:
            fund = rng.choice(funds)
            aid = min(Decimal(rng.choice([1000, 2000, 3000])), fund.amount / 10).quantize(CENT)
            if spent.get(fund.pk, Decimal(0)) + aid <= fund.amount:
                spent[fund.pk] = spent.get(fund.pk, Decimal(0)) + aid
                case.aid_amount, case.fund, case.aid_paid_on = aid, fund, dt.date(YEAR, 7, 1)
        HardshipCase.objects.bulk_create(cases)
        return f"经费{len(funds)}笔、慰问{len(visited)}人、帮扶{len(cases)}户"

    # -- stations --------------------------------------------------------------------------------
    def stations(self) -> str:
        rng = self.rng
        n_outdoor = count("outdoor_stations_total", self.scale)
        n_upgraded = min(count("outdoor_stations_upgraded", self.scale), n_outdoor)
        n_rooms_upgraded = count("mommy_rooms_upgraded", self.scale)
        n_rooms = max(2, round(n_rooms_upgraded * 1.5))
        stations = [
            ServiceStation(
                union=(town := self.township()),
                kind=ServiceStation.Kind.OUTDOOR_WORKER,
                name=f"{town.name[:-3]}户外劳动者服务站{i + 1}",
                address=f"{town.name[:-3]}人民路{rng.randint(1, 300)}号",
                built_on=day_in(rng, dt.date(2018, 1, 1), dt.date(YEAR, 11, 30)),
            )
            for i in range(n_outdoor)
        ]
        # One station closed in 2024 (not in the year-end total).
        if n_outdoor:
            stations.append(
                ServiceStation(
                    union=self.township(),
                    kind=ServiceStation.Kind.OUTDOOR_WORKER,
                    name="已撤销的临时服务点",
                    address="湖州市",
                    built_on=dt.date(2019, 5, 1),
                    closed_on=dt.date(YEAR, 3, 31),
                )
            )
        stations += [
            ServiceStation(
                union=(town := self.township()),
                kind=ServiceStation.Kind.MOMMY_ROOM,
                name=f"{town.name[:-3]}妈咪暖心小屋{i + 1}",
                address=f"{town.name[:-3]}工业园区",
                built_on=day_in(rng, dt.date(2019, 1, 1), dt.date(YEAR - 1, 12, 31)),
            )
            for i in range(n_rooms)
        ]
        stations = ServiceStation.objects.bulk_create(stations)
        outdoor = stations[:n_outdoor]
        rooms = [s for s in stations if s.kind == ServiceStation.Kind.MOMMY_ROOM]
        upgrades = [
            StationUpgrade(
                station=s,
                upgraded_on=day_in(
                    rng, max(s.built_on, dt.date(YEAR, 1, 1)), dt.date(YEAR, 12, 31)
                ),
                description="增设饮水、充电、休息设施",
                cost=Decimal(rng.randrange(5000, 50000)),
            )
            for s in [*rng.sample(outdoor, n_upgraded), *rooms[:n_rooms_upgraded]]
        ]
        StationUpgrade.objects.bulk_create(upgrades)
        visits = []
        total = count("outdoor_station_visits", self.scale)
        if outdoor and total:
            named = self.sample_members(min(total // 10, 500))
            for m in named:
                station = rng.choice(outdoor)
                visits.append(
                    StationVisit(
                        station=station,
                        visited_on=day_in(
                            rng, max(station.built_on, dt.date(YEAR, 1, 1)), dt.date(YEAR, 12, 31)
                        ),
                        member_id=m[0],
                    )
                )
            tallies = split_int(total - len(named), len(outdoor), rng)
            for station, n in zip(outdoor, tallies, strict=True):
                if n:
                    visits.append(
                        StationVisit(
                            station=station,
                            visited_on=day_in(
                                rng,
                                max(station.built_on, dt.date(YEAR, 1, 1)),
                                dt.date(YEAR, 12, 31),
                            ),
                            person_times=n,
                            note="月度服务人次汇总",
                        )
                    )
        StationVisit.objects.bulk_create(visits, batch_size=5000)
        return f"户外站点{n_outdoor}家、小屋{n_rooms}家"

    # -- recuperation ------------------------------------------------------------------------------
    def recuperation(self) -> str:
        rng = self.rng
        went = self.sample_members(count("recuperation_participants", self.scale))
        n_programmes = max(1, len(went) // 40) if went else 0
        programmes = []
        for i in range(n_programmes):
            start = day_in(rng, dt.date(YEAR, 3, 1), dt.date(YEAR, 11, 20))
            programmes.append(
                RecuperationProgramme(
                    union=rng.choice([self.city, *self.districts]),
                    kind=RecuperationProgramme.Kind.INCLUSIVE,
                    name=f"{YEAR}年普惠性职工疗休养第{i + 1}批",
                    destination=rng.choice(DESTINATIONS),
                    starts_on=start,
                    ends_on=start + dt.timedelta(days=4),
                    capacity=60,
                )
            )
        programmes = RecuperationProgramme.objects.bulk_create(programmes)
        RecuperationParticipant.objects.bulk_create(
            [
                RecuperationParticipant(
                    programme=programmes[i % len(programmes)], member_id=m[0], union_id=m[1]
                )
                for i, m in enumerate(went)
            ],
            batch_size=5000,
        )
        return f"{len(went)}人"

    # -- 湖工助业 ----------------------------------------------------------------------------------
    def employment(self) -> str:
        rng = self.rng
        fairs = JobFair.objects.bulk_create(
            [
                JobFair(
                    union=(town := self.township()),
                    title=f"“湖工助业”{town.name[:-3]}专场招聘会",
                    held_on=day_in(rng, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)),
                    place=f"{town.name[:-3]}职工服务中心",
                    online=rng.random() < 0.2,
                    attendance=rng.randint(80, 1500),
                )
                for _ in range(count("job_fairs", self.scale))
            ]
        )
        enterprises = list(Enterprise.objects.order_by("pk").values_list("pk", "name")[:500])
        JobFairEmployer.objects.bulk_create(
            [
                JobFairEmployer(fair=f, enterprise_id=e[0], name=e[1], positions=rng.randint(2, 40))
                for f in fairs
                for e in rng.sample(enterprises, min(len(enterprises), rng.randint(5, 20)))
            ]
        )
        trainees = count("reemployment_training", self.scale)
        n_courses = max(1, trainees // 40) if trainees else 0
        courses = []
        for _ in range(n_courses):
            start = day_in(rng, dt.date(YEAR, 1, 1), dt.date(YEAR, 11, 30))
            courses.append(
                TrainingCourse(
                    union=self.township(),
                    title=f"转岗再就业{(trade := rng.choice(TRADES))}培训班",
                    trade=trade,
                    starts_on=start,
                    ends_on=start + dt.timedelta(days=20),
                )
            )
        courses = TrainingCourse.objects.bulk_create(courses)
        people = self.sample_members(trainees)
        Trainee.objects.bulk_create(
            [
                Trainee(
                    course=courses[i % n_courses],
                    member_id=people[i][0] if i < len(people) and i % 3 else None,
                    name=people[i][4] if i < len(people) else f"求职者{i + 1}",
                    completed=rng.random() < 0.9,
                )
                for i in range(trainees)
            ],
            batch_size=5000,
        )
        return f"招聘会{len(fairs)}场、培训{trainees}人次"

    # -- legal aid, model sites, wage contracts, investment -----------------------------------------
    def legal_and_contracts(self) -> str:
        rng = self.rng
        n_events = count("legal_aid_events", self.scale)
        person_times = count("legal_aid_person_times", self.scale)
        events = [
            LegalAidEvent(
                union=self.township(),
                kind=rng.choice(
                    [
                        LegalAidEvent.Kind.LECTURE,
                        LegalAidEvent.Kind.CONSULTATION_DAY,
                        LegalAidEvent.Kind.ENTERPRISE_VISIT,
                    ]
                ),
                title="公益法律服务进企业",
                held_on=day_in(rng, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)),
            )
            for _ in range(n_events)
        ]
        # The year's online campaign (线上普法): it serves person-times but is not an event (场次).
        events.append(
            LegalAidEvent(
                union=self.city,
                kind=LegalAidEvent.Kind.ONLINE,
                title=f"{YEAR}年“法律服务在线”普法宣传",
                held_on=dt.date(YEAR, 3, 15),
            )
        )
        for event, n in zip(events, split_int(person_times, len(events), rng), strict=True):
            event.person_times = n
        LegalAidEvent.objects.bulk_create(events)
        LabourRelationsSite.objects.bulk_create(
            [
                LabourRelationsSite(
                    union=(town := self.township()),
                    name=f"{town.name[:-3]}劳动关系公共服务站",
                    level=LabourRelationsSite.Level.PROVINCIAL,
                    recognised_on=day_in(rng, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)),
                )
                for _ in range(count("labour_relations_model_sites", self.scale))
            ]
        )
        contracts = self._wage_contracts()
        amounts = split(
            wan_to_yuan("grassroots_investment", self.scale), max(1, len(self.townships) // 4), rng
        )
        GrassrootsInvestment.objects.bulk_create(
            [
                GrassrootsInvestment(
                    union=(town := self.township()),
                    project=f"{town.name[:-3]}职工之家建设",
                    spent_on=day_in(rng, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)),
                    amount=amount,
                )
                for amount in amounts
            ]
        )
        return f"活动{n_events}场/{person_times}人次、工资集体合同{contracts}"

    def _wage_contracts(self) -> str:
        rng = self.rng
        above = list(Enterprise.objects.filter(above_designated_size=True).order_by("pk"))
        others = list(Enterprise.objects.filter(above_designated_size=False).order_by("pk"))
        rng.shuffle(above)
        covered = nearest_share(len(above), ACTUAL["wage_contract_coverage"])
        signed = count("wage_contracts", self.scale)
        # Contracts signed in 2024 go first to above-size enterprises to be covered; the rest of
        # the covered ones renew later (a 2023 contract still in force at the end of 2024); any
        # further 2024 contracts go to smaller enterprises (they count as signed, not coverage).
        plan = [(e, YEAR) for e in above[: min(signed, covered)]]
        renewing = above[min(signed, covered) : covered]
        # Half of those renewing later are covered by one regional (区域性) contract of 2023 that
        # lists them, not by contracts of their own: coverage counts them all the same.
        regional, renewing = renewing[: len(renewing) // 2], renewing[len(renewing) // 2 :]
        plan += [(e, YEAR - 1) for e in renewing]
        extra = signed - min(signed, covered)
        pool = others or above[:covered]
        plan += [(pool[i % len(pool)], YEAR) for i in range(extra)]
        # The year's statistics: every enterprise's 规上 and 建会 standing in 2024 (all of the
        # demo's enterprises are on the union register, so all are unionised).
        above_ids = {e.pk for e in above}
        EnterpriseYear.objects.bulk_create(
            [
                EnterpriseYear(
                    enterprise=e, year=YEAR, above_designated_size=e.pk in above_ids, has_union=True
                )
                for e in above + others
            ],
            batch_size=5000,
        )
        WageContract.objects.bulk_create(
            [
                WageContract(
                    enterprise=e,
                    union_id=e.union_id,
                    signed_on=(on := day_in(rng, dt.date(year, 1, 1), dt.date(year, 12, 31))),
                    expires_on=dt.date(on.year + 2, on.month, min(on.day, 28)),
                    employees_covered=rng.randint(50, 2000),
                )
                for e, year in plan
            ],
            batch_size=5000,
        )
        if regional:
            area = WageContract.objects.create(
                scope=WageContract.Scope.REGIONAL,
                union_id=regional[0].union_id,
                signed_on=(on := day_in(rng, dt.date(YEAR - 1, 1, 1), dt.date(YEAR - 1, 12, 31))),
                expires_on=dt.date(on.year + 3, on.month, min(on.day, 28)),
                employees_covered=rng.randint(500, 5000),
            )
            area.covered_enterprises.set(regional)
        share = f"{100 * covered / len(above):.1f}%" if above else "—"
        return f"{signed}份（规上覆盖{covered}/{len(above)}={share}）"

    # -- the workers' voice ------------------------------------------------------------------------
    def concerns(self) -> str:
        rng = self.rng
        rows = []
        topics = [
            ("加班费计算", "车间加班费按基本工资计算，是否合规？"),
            ("食堂用餐", "夜班职工没有热饭，希望食堂延长供餐时间。"),
            ("子女入学", "外地职工子女入学需要哪些材料？"),
            ("劳动合同", "试用期延长两次是否合法？"),
        ]
        for m in self.sample_members(max(4, round(2000 * self.scale))):
            raised = at(day_in(rng, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 20)), rng.randint(8, 18))
            subject, body = rng.choice(topics)
            answered = raised + dt.timedelta(days=rng.choice([1, 2, 3, 5, 6, 9]))
            rows.append(
                Concern(
                    member_id=m[0],
                    raised_by_name=m[4],
                    channel=rng.choice([Concern.Channel.PORTAL, Concern.Channel.THREE_VISITS]),
                    union_id=m[1],
                    subject=subject,
                    body=body,
                    raised_at=raised,
                    due_at=raised + dt.timedelta(days=7),
                    status=Concern.Status.ANSWERED,
                    answer="已转企业工会协调，并于次周反馈职工本人。",
                    answered_at=answered,
                )
            )
        Concern.objects.bulk_create(rows)
        return f"{len(rows)}条"


def _records(*, city: Union, rng: random.Random) -> dict[str, str]:
    """A few 三访日 visits (with matters followed as concerns), 建议/提案, stations of the other
    kinds the card names, and wage negotiations still in talks (none signed: a signed one would
    add a 2024 contract to the card's figures)."""
    from members.actors import system
    from welfare import services
    from welfare.models import LeadershipVisit, Proposal, WageNegotiation

    by = system("seed_demo")
    districts = list(Union.objects.filter(level=Union.Level.DISTRICT).order_by("code")) or [city]
    townships = list(Union.objects.filter(level=Union.Level.TOWNSHIP).order_by("code")) or [city]
    visits = 0
    for i, district in enumerate(districts):
        visit = services.leadership_visit_record(
            union=district,
            leader_name=rng.choice(["王", "沈", "陈", "钱"]) + "主席",
            leader_post=f"{district.name}主席",
            kind=list(LeadershipVisit.Kind)[i % 3],
            visited_on=dt.date(YEAR, rng.randint(3, 11), 20),
            place=rng.choice(["职工服务中心", "园区企业", "户外劳动者驿站"]),
            met=rng.choice(["一线职工", "快递小哥和外卖骑手", "企业工会主席"]),
            people_met=rng.randint(8, 40),
            raised="高温补贴发放；夜班通勤",
            solved="当场协调企业落实高温补贴",
            by=by,
        )
        services.leadership_visit_matter_raise(
            visit=visit,
            raised_by_name="职工代表",
            subject="高温补贴发放",
            body="部分企业未按时发放高温补贴。",
            answer="已协调企业当月补发。",
            by=by,
        )
        services.leadership_visit_matter_raise(
            visit=visit,
            raised_by_name="职工代表",
            subject="夜班通勤",
            body="园区夜班公交停运，职工下班难。",
            by=by,
        )
        visits += 1
    proposals = 0
    titles = ["关于加强新就业形态劳动者权益保障的建议", "关于推进产业工人技能提升的提案"]
    for i, title in enumerate(titles):
        proposal = services.proposal_receive(
            union=city,
            source=list(Proposal.Source)[i],
            number=f"{YEAR}-{rng.randint(100, 999)}",
            title=title,
            proposer=rng.choice(["李代表", "赵委员", "孙代表"]),
            role=list(Proposal.Role)[i],
            lead_unit="" if i == 0 else "市人力社保局",
            received_on=dt.date(YEAR, 3, 15),
            due_on=dt.date(YEAR, 6, 15),
            by=by,
        )
        if i == 0:
            services.proposal_reply(
                proposal=proposal,
                reply="已会同相关部门出台实施意见。",
                result=Proposal.Result.SOLVED,
                replied_on=dt.date(YEAR, 6, 1),
                by=by,
            )
        proposals += 1
    kinds = [
        ServiceStation.Kind.UNION_POST,
        ServiceStation.Kind.SERVICE_CENTRE,
        ServiceStation.Kind.PUBLIC_SERVICE,
        ServiceStation.Kind.MEDIATION_CENTRE,
    ]
    for kind, township in zip(kinds, townships, strict=False):
        station = services.station_create(
            union=township,
            kind=kind,
            name=f"{township.name}{ServiceStation.Kind(kind).label}",
            address=township.name,
            built_on=dt.date(YEAR - 2, 5, 1),
            by=by,
        )
        services.station_upgrade_add(
            station=station,
            upgraded_on=dt.date(YEAR, 9, 1),
            description="省市政府民生实事：功能提升",
            is_livelihood_project=True,
            by=by,
        )
    negotiations = 0
    enterprises = list(Enterprise.objects.filter(union__path__startswith=townships[0].path)[:3])
    if enterprises:
        negotiation = services.wage_negotiation_offer(
            union=townships[0],
            title=f"{townships[0].name}区域性能级工资集体协商",
            level=WageNegotiation.Level.REGIONAL,
            contract_type=WageNegotiation.ContractType.SKILL_LEVEL,
            offered_on=dt.date(YEAR, 10, 8),
            topics=["wage_adjustment", "wage_payment", "skill_pay"],
            by=by,
        )
        for enterprise in enterprises:
            services.wage_negotiation_cover(
                negotiation=negotiation,
                enterprise=enterprise,
                employees=rng.randint(30, 300),
                by=by,
            )
        services.wage_negotiation_round_add(
            negotiation=negotiation,
            held_on=dt.date(YEAR, 10, 25),
            summary="首轮协商：就技能等级工资标准交换意见。",
            by=by,
        )
        negotiations += 1
    return {
        "三访日": f"{visits}次",
        "建议提案": f"{proposals}件",
        "其他阵地": f"{min(len(kinds), len(townships))}个",
        "工资协商": f"{negotiations}项（协商中）",
    }


def nearest_share(n: int, percent: int) -> int:
    """How many of `n` make a share whose whole-percent rounding (half up) is nearest `percent`."""
    if n == 0:
        return 0

    def shown(k: int) -> Decimal:
        return (Decimal(100 * k) / n).quantize(Decimal(1), rounding=ROUND_HALF_UP)

    return min(
        range(n + 1), key=lambda k: (abs(shown(k) - percent), abs(Decimal(100 * k) / n - percent))
    )
