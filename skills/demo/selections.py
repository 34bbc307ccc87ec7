"""Demo model-worker selections, each at a stage before conferral."""

import datetime as dt
import random

from members.actors import system
from members.models import Member
from skills import services
from skills.demo._common import YEAR
from skills.models import (
    Honour,
)


def _selections(rng: random.Random) -> int:
    """A few candidates for next year's 省劳动模范, at each stage up to the 公示 (none conferred:
    a conferral records an Honour, which the card's figures count), one stopped by an upheld
    objection."""

    by = system("seed_demo")
    candidates = list(
        Member.objects.filter(status=Member.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    chosen = rng.sample(candidates, min(4, len(candidates)))
    made = 0
    for i, pk in enumerate(chosen):
        member = Member.objects.select_related("union", "enterprise").get(pk=pk)
        selection = services.selection_nominate(
            kind=Honour.Kind.PROVINCIAL_MODEL_WORKER,
            year=YEAR + 1,
            awarding_body="浙江省人民政府",
            member=member,
            nominated_on=dt.date(YEAR, 11, 10),
            nominator=f"{member.union.name}",
            deeds="扎根一线，技术革新成果显著，带徒传艺。",
            by=by,
        )
        made += 1
        if i == 0:
            continue
        services.selection_review(
            selection=selection, reviewed_on=dt.date(YEAR, 12, 1), passed=True, by=by
        )
        if i == 1:
            continue
        services.selection_notice(
            selection=selection,
            starts_on=dt.date(YEAR, 12, 10),
            ends_on=dt.date(YEAR, 12, 16),
            by=by,
        )
        if i == 3:
            objection = services.selection_objection_receive(
                selection=selection,
                received_on=dt.date(YEAR, 12, 12),
                content="反映其曾有违规记录",
                by=by,
            )
            services.selection_objection_handle(
                objection=objection,
                handled_on=dt.date(YEAR, 12, 15),
                upheld=True,
                handling="经核实情况属实，终止推荐。",
                by=by,
            )
    return made
