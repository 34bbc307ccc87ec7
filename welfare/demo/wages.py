"""Demo legal aid, labour-relations model sites, wage contracts (coverage nearest the card's share) and grassroots investment."""

import datetime as dt

from members.models import Enterprise, EnterpriseYear
from welfare.demo._common import (
    ACTUAL,
    YEAR,
    Context,
    count,
    day_in,
    nearest_share,
    split,
    split_int,
    wan_to_yuan,
)
from welfare.models import (
    GrassrootsInvestment,
    LabourRelationsSite,
    LegalAidEvent,
    WageContract,
)


class WagesSeeder(Context):
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
