"""Demo stations and services: station visits and upgrades, recuperation, 湖工助业 job fairs and training."""

import datetime as dt
from decimal import Decimal

from members.models import Enterprise
from welfare.demo._common import TRADES, YEAR, Context, count, day_in, split_int
from welfare.models import (
    JobFair,
    JobFairEmployer,
    ServiceStation,
    StationUpgrade,
    StationVisit,
    Trainee,
    TrainingCourse,
)


class ServicesSeeder(Context):
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
        went = self.sample_members(count("recuperation_participants", self.scale))
        self.recuperation_batches(
            went, year=YEAR, first=dt.date(YEAR, 3, 1), last=dt.date(YEAR, 11, 20)
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
