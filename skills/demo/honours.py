"""Demo honours: medals, model workers and craftsmen, to persons and collectives."""

from skills import services
from skills.demo._common import YEAR
from skills.models import (
    Honour,
)

HONOUR_BODIES = {
    Honour.Kind.TECHNICAL_EXPERT: services.TECHNICAL_EXPERT_BODY,
    Honour.Kind.GOLDEN_BLUE_COLLAR: "浙江省总工会",
    Honour.Kind.ZHEJIANG_CRAFTSMAN: "浙江省人民政府",
    Honour.Kind.HUZHOU_CRAFTSMAN: "湖州市人民政府",
    Honour.Kind.GREAT_CRAFTSMAN_CANDIDATE: "浙江省总工会",
    Honour.Kind.PROVINCIAL_MODEL_WORKER: "浙江省人民政府",
    Honour.Kind.PROVINCIAL_MODEL_COLLECTIVE: "浙江省人民政府",
    Honour.Kind.MAY_DAY_MEDAL: "中华全国总工会",
    Honour.Kind.MAY_DAY_AWARD: "中华全国总工会",
    Honour.Kind.PIONEER_TEAM: "中华全国总工会",
}


TEAM_WORDS = ["装配班组", "质检班组", "研发团队", "维修班组", "生产车间", "项目部"]


def _honours(n, pool, enterprises, rng) -> int:
    K = Honour.Kind
    person = {
        K.GOLDEN_BLUE_COLLAR: n["golden_blue_collar"],
        K.ZHEJIANG_CRAFTSMAN: n["new_zhejiang_craftsmen"],
        K.HUZHOU_CRAFTSMAN: n["new_huzhou_craftsmen"],
        K.GREAT_CRAFTSMAN_CANDIDATE: n["great_craftsman_candidates"],
        K.PROVINCIAL_MODEL_WORKER: n["provincial_model_workers"],
    }
    medals_total = n["national_may_day_medals"]
    medals = (medals_total * 3 + 4) // 5  # of the card's 5 奖章(奖状), about 3 to persons
    person[K.MAY_DAY_MEDAL] = medals
    collective = {
        K.MAY_DAY_AWARD: medals_total - medals,
        K.PROVINCIAL_MODEL_COLLECTIVE: n["provincial_model_collectives"],
        K.PIONEER_TEAM: n["national_pioneer_teams"],
    }
    rows: list[Honour] = []
    for year, counts in ((YEAR, person), (YEAR - 1, {k: max(1, v) for k, v in person.items()})):
        for kind, count in counts.items():
            for pk, union_id, enterprise_id, _path, _name in pool.sample(count):
                rows.append(
                    Honour(
                        kind=kind,
                        year=year,
                        awarding_body=HONOUR_BODIES[kind],
                        member_id=pk,
                        enterprise_id=enterprise_id,
                        union_id=union_id,
                    )
                )
    for year, counts in (
        (YEAR, collective),
        (YEAR - 1, {k: max(1, v) for k, v in collective.items()}),
    ):
        for kind, count in counts.items():
            for enterprise in rng.sample(enterprises, min(count, len(enterprises))):
                team = "" if kind == K.MAY_DAY_AWARD else rng.choice(TEAM_WORDS)
                rows.append(
                    Honour(
                        kind=kind,
                        year=year,
                        awarding_body=HONOUR_BODIES[kind],
                        collective_name=f"{enterprise.name}{team}",
                        enterprise=enterprise,
                        union_id=enterprise.union_id,
                    )
                )
    Honour.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
