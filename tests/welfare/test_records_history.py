"""Issue 15's records keep who changed what (members/history.py): 三访日 visits and their matters,
建议/提案, wage negotiations with their coverage and rounds, model-worker selections and their
objections; each written through its service is attributed to its clerk or the system, and the
admin's history page is scoped like the change page."""

import datetime as dt

import pytest
from django.urls import reverse

from members.actors import system
from skills import services as skills_services
from skills.models import Honour, HonourSelection, SelectionObjection
from tests.factories import EnterpriseFactory
from welfare import services
from welfare.models import (
    LeadershipVisit,
    LeadershipVisitMatter,
    Proposal,
    WageNegotiation,
    WageNegotiationCoverage,
    WageNegotiationRound,
)

pytestmark = pytest.mark.django_db


def proposal(union, by):
    return services.proposal_receive(
        union=union,
        source=Proposal.Source.CPPCC,
        number="12",
        title="关于快递小哥休息点的提案",
        proposer="钱委员",
        role=Proposal.Role.LEAD,
        received_on=dt.date(2025, 1, 5),
        due_on=dt.date(2025, 4, 5),
        by=by,
    )


def test_a_proposal_keeps_each_change_with_its_clerk(tree, staff):
    clerk = staff["district_admin"]
    item = proposal(tree.wuxing, clerk)
    services.proposal_reply(
        proposal=item,
        reply="已建成休息点3处。",
        result="solved",
        replied_on=dt.date(2025, 3, 1),
        by=clerk,
    )
    latest = item.history.latest()
    delta = latest.diff_against(latest.prev_record)
    changed = {c.field: (c.old, c.new) for c in delta.changes}
    assert latest.history_user == clerk
    assert changed["result"] == ("", "solved")
    assert [h.history_type for h in item.history.order_by("history_id")] == ["+", "~"]


def test_a_visit_and_its_matter_are_recorded_as_the_system_with_its_reason(tree):
    by = system("import_leadership_visits")
    visit = services.leadership_visit_record(
        union=tree.zhili,
        leader_name="张主席",
        leader_post="区总工会主席",
        kind=LeadershipVisit.Kind.DOWN,
        visited_on=dt.date(2025, 1, 20),
        place="织里镇",
        met="童装企业职工",
        by=by,
    )
    services.leadership_visit_matter_raise(
        visit=visit, raised_by_name="职工代表", subject="夜班公交", body="夜班公交", by=by
    )
    assert visit.history.get().history_change_reason == "系统：import_leadership_visits"
    matter = LeadershipVisitMatter.objects.get()
    assert matter.history.get().history_change_reason == "系统：import_leadership_visits"


def test_a_negotiation_keeps_its_stages_coverage_and_rounds(tree, staff):
    clerk = staff["district_admin"]
    negotiation = services.wage_negotiation_offer(
        union=tree.wuxing,
        title="吴兴区童装行业工资集体协商",
        level=WageNegotiation.Level.INDUSTRY,
        contract_type=WageNegotiation.ContractType.WAGE,
        offered_on=dt.date(2025, 1, 2),
        by=clerk,
    )
    services.wage_negotiation_cover(
        negotiation=negotiation,
        enterprise=EnterpriseFactory(union=tree.zhili_factory),
        employees=50,
        by=clerk,
    )
    services.wage_negotiation_round_add(
        negotiation=negotiation, held_on=dt.date(2025, 1, 10), summary="首轮", agreed=True, by=clerk
    )
    stages = [h.stage for h in negotiation.history.order_by("history_id")]
    assert stages == ["offer", "rounds"]
    assert WageNegotiationCoverage.history.get().history_user == clerk
    assert WageNegotiationRound.history.get().history_user == clerk


def test_a_selection_and_its_objection_keep_history(tree, staff):
    clerk = staff["district_admin"]
    selection = skills_services.selection_nominate(
        kind=Honour.Kind.PROVINCIAL_MODEL_COLLECTIVE,
        year=2025,
        awarding_body="浙江省总工会",
        nominated_on=dt.date(2025, 2, 1),
        nominator="吴兴区总工会",
        deeds="连续三年安全生产无事故",
        collective_name="织里童装厂质检班组",
        union=tree.zhili_factory,
        by=clerk,
    )
    skills_services.selection_review(
        selection=selection, reviewed_on=dt.date(2025, 2, 10), passed=True, note="", by=clerk
    )
    skills_services.selection_notice(
        selection=selection,
        starts_on=dt.date(2025, 2, 11),
        ends_on=dt.date(2025, 2, 18),
        by=clerk,
    )
    skills_services.selection_objection_receive(
        selection=selection, received_on=dt.date(2025, 2, 12), content="事迹有出入", by=clerk
    )
    assert [h.stage for h in selection.history.order_by("history_id")] == [
        "nominated",
        "reviewed",
        "notice",
    ]
    assert SelectionObjection.history.get().history_user == clerk
    assert HonourSelection.history.latest().history_user == clerk


def test_the_history_page_of_a_proposal_is_scoped_like_its_change_page(client, tree, staff):
    item = proposal(tree.wuxing, staff["district_admin"])
    url = reverse("admin:welfare_proposal_history", args=[item.pk])
    client.force_login(staff["district_admin"])
    own = client.get(url)
    assert own.status_code == 200 and "关于快递小哥休息点的提案" in own.content.decode()
    client.force_login(staff["nanxun_admin"])
    other = client.get(url)
    assert other.status_code == 302 and other.url == reverse("admin:index")
