"""Demo 职工心声: concerns with their deadlines and answers."""

import datetime as dt

from welfare.demo._common import YEAR, Context, at, day_in
from welfare.models import (
    Concern,
)


class VoiceSeeder(Context):
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
