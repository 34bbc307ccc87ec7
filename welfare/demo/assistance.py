"""Demo 帮扶: the assistance fund, hardship cases and visits."""

import datetime as dt
from decimal import Decimal

from common.bulk_copy import bulk_copy
from welfare.demo._common import CENT, YEAR, Context, count, day_in, split, wan_to_yuan
from welfare.models import (
    AssistanceFund,
    HardshipCase,
    Visit,
)


class AssistanceSeeder(Context):
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
        # Plain tuples written by COPY (common/bulk_copy.py): no model instance per row.
        visits = [
            (
                m[0],
                m[1],
                day_in(rng, dt.date(YEAR, 1, 10), dt.date(YEAR, 12, 31)),
                rng.choice([Visit.Occasion.WINTER, Visit.Occasion.SUMMER]),
                rng.choice(["市总工会", "区县总工会", "乡镇(街道)工会"]),
                True,
                rng.random() < 0.2,
                rng.choice(["慰问金500元", "防暑降温用品", "米油等生活物资"]),
                Decimal(rng.choice([200, 300, 500])),
            )
            for m in visited
        ]
        # Some workers are visited twice (winter and summer): still one person each.
        visits += [
            (
                v[0],
                v[1],
                day_in(rng, dt.date(YEAR, 6, 1), dt.date(YEAR, 8, 31)),
                Visit.Occasion.SUMMER,
                "市总工会",
                True,
                False,
                "防暑降温用品",
                Decimal("100.00"),
            )
            for v in visits[: len(visits) // 10]
        ]
        bulk_copy(
            Visit,
            (
                "member_id",
                "union_id",
                "visited_on",
                "occasion",
                "visitor",
                "frontline",
                "in_hardship",
                "given",
                "value",
            ),
            visits,
        )
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
