"""Demo records the card describes but no figure counts: 三访日, 建议/提案, other station kinds,
wage negotiations in talks."""

import datetime as dt
import random

from members.models import Enterprise, Union
from welfare.demo._common import YEAR
from welfare.models import (
    ServiceStation,
)


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
