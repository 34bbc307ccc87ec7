"""三访日 leadership visits and 人大代表建议 / 政协提案: recorded through their services, each raised
matter followed as a 职工心声 concern, deadlines on `matters_due`, scoped like every record, and
imported in bulk from a clerk's spreadsheet."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from members.actors import system
from welfare import selectors, services
from welfare.importing_records import leadership_visit_import, proposal_import
from welfare.models import Concern, LeadershipVisit, LeadershipVisitMatter, Proposal

pytestmark = pytest.mark.django_db
BASE = "/api/v1/welfare"
NOT_IN_SCOPE = "不存在或不在您的管辖范围内"


def _visit(union, by, **extra):
    values = {
        "union": union,
        "leader_name": "王主席",
        "leader_post": "区总工会主席",
        "kind": LeadershipVisit.Kind.DOWN,
        "visited_on": timezone.localdate() - dt.timedelta(days=2),
        "place": "织里童装厂",
        "met": "一线缝纫工",
        "people_met": 12,
        "raised": "夏季高温车间降温",
        "solved": "当场协调安装风扇",
    }
    values.update(extra)
    return services.leadership_visit_record(by=by, **values)


def _proposal(union, by, **extra):
    today = timezone.localdate()
    values = {
        "union": union,
        "source": Proposal.Source.NPC,
        "number": "2025-101",
        "title": "关于加强快递员权益保障的建议",
        "proposer": "李代表",
        "role": Proposal.Role.LEAD,
        "received_on": today - dt.timedelta(days=30),
        "due_on": today + dt.timedelta(days=5),
    }
    values.update(extra)
    return services.proposal_receive(by=by, **values)


# --- leadership visits -----------------------------------------------------------------------


def test_a_visit_is_recorded_and_its_matter_becomes_a_concern_with_a_deadline(tree, staff):
    clerk = staff["township_admin"]
    visit = _visit(tree.zhili, clerk)
    concern = services.leadership_visit_matter_raise(
        visit=visit, raised_by_name="张师傅", subject="食堂价格偏高", body="希望工会协调", by=clerk
    )
    assert LeadershipVisit.objects.get(pk=visit.pk).recorded_by == clerk
    assert concern.channel == Concern.Channel.THREE_VISITS
    assert concern.union == tree.zhili
    assert LeadershipVisitMatter.objects.get(visit=visit).concern == concern
    assert timezone.localtime(concern.raised_at).date() == visit.visited_on
    due = selectors.matters_due(viewer=clerk)
    assert [(m.kind, m.pk, m.kind_label) for m in due] == [
        ("concern", concern.pk, "三访日反映事项")
    ]


def test_a_matter_solved_on_the_spot_is_answered_and_leaves_the_deadlines(tree, staff):
    clerk = staff["township_admin"]
    visit = _visit(tree.zhili, clerk)
    concern = services.leadership_visit_matter_raise(
        visit=visit,
        raised_by_name="张师傅",
        subject="更衣柜不足",
        body="更衣柜不足",
        answer="当场协调增设更衣柜",
        by=clerk,
    )
    assert Concern.objects.get(pk=concern.pk).status == Concern.Status.ANSWERED
    assert selectors.matters_due(viewer=clerk) == []


def test_a_visit_in_the_future_is_refused(tree, staff):
    with pytest.raises(ValidationError):
        _visit(
            tree.zhili, staff["township_admin"], visited_on=timezone.localdate() + dt.timedelta(1)
        )
    assert LeadershipVisit.objects.count() == 0


def test_another_districts_clerk_can_neither_record_nor_raise_under_a_visit(tree, staff):
    visit = _visit(tree.zhili, staff["township_admin"])
    with pytest.raises(PermissionDenied, match=NOT_IN_SCOPE):
        _visit(tree.zhili, staff["nanxun_admin"])
    with pytest.raises(PermissionDenied, match=NOT_IN_SCOPE):
        services.leadership_visit_matter_raise(
            visit=visit, raised_by_name="某", subject="某事", body="某事", by=staff["nanxun_admin"]
        )
    assert LeadershipVisit.objects.count() == 1
    assert Concern.objects.count() == 0
    assert selectors.matters_due(viewer=staff["nanxun_admin"]) == []


def test_the_api_records_a_visit_and_refuses_a_union_outside_the_tree(api, tree, staff):
    client = api(staff["township_admin"])
    body = {
        "leader_name": "王主席",
        "leader_post": "镇工会主席",
        "kind": "walkabout",
        "visited_on": str(timezone.localdate()),
        "place": "织里",
        "met": "快递员",
        "people_met": 5,
    }
    refused = client.post(f"{BASE}/leadership-visits/", {**body, "union": tree.shuanglin.code})
    assert refused.status_code == 400
    assert NOT_IN_SCOPE in str(refused.json()["union"])
    assert "双林" not in str(refused.json())
    created = client.post(f"{BASE}/leadership-visits/", {**body, "union": tree.zhili.code})
    assert created.status_code == 201, created.json()
    matter = client.post(
        f"{BASE}/leadership-visits/{created.json()['id']}/matters/",
        {"raised_by_name": "刘师傅", "subject": "休息点不足", "body": "希望增设休息点"},
    )
    assert matter.status_code == 201, matter.json()
    assert LeadershipVisitMatter.objects.filter(visit_id=created.json()["id"]).count() == 1
    hidden = api(staff["nanxun_admin"]).get(f"{BASE}/leadership-visits/{created.json()['id']}/")
    assert hidden.status_code == 404


# --- proposals -------------------------------------------------------------------------------


def test_a_proposal_is_received_replied_and_leaves_the_deadlines(tree, staff):
    clerk = staff["district_admin"]
    proposal = _proposal(tree.wuxing, clerk)
    assert [m.pk for m in selectors.matters_due(viewer=clerk)] == [proposal.pk]
    services.proposal_reply(
        proposal=proposal, reply="已会同人社部门落实", result=Proposal.Result.SOLVED, by=clerk
    )
    stored = Proposal.objects.get(pk=proposal.pk)
    assert stored.replied_on == timezone.localdate()
    assert stored.result == "solved"
    assert selectors.matters_due(viewer=clerk) == []


def test_an_overdue_proposal_is_shown_as_overdue(tree, staff):
    today = timezone.localdate()
    proposal = _proposal(tree.wuxing, system("test"), due_on=today - dt.timedelta(days=1))
    [due] = selectors.matters_due(viewer=staff["city_admin"])
    assert (due.pk, due.overdue) == (proposal.pk, True)


def test_a_co_handled_proposal_needs_its_lead_unit(tree, staff):
    with pytest.raises(ValidationError) as exc:
        _proposal(tree.wuxing, staff["district_admin"], role=Proposal.Role.ASSIST)
    assert "lead_unit" in exc.value.message_dict
    assert Proposal.objects.count() == 0


def test_another_districts_clerk_cannot_receive_or_reply(tree, staff):
    proposal = _proposal(tree.wuxing, staff["district_admin"])
    with pytest.raises(PermissionDenied, match=NOT_IN_SCOPE):
        _proposal(tree.wuxing, staff["nanxun_admin"], number="x")
    with pytest.raises(PermissionDenied, match=NOT_IN_SCOPE):
        services.proposal_reply(
            proposal=proposal, reply="x", result="solved", by=staff["nanxun_admin"]
        )
    assert Proposal.objects.get(pk=proposal.pk).replied_on is None


def test_the_api_refuses_a_proposal_for_a_union_outside_the_tree(api, tree, staff):
    today = timezone.localdate()
    body = {
        "source": "cppcc",
        "title": "关于职工疗休养的提案",
        "proposer": "赵委员",
        "role": "assist",
        "lead_unit": "市人社局",
        "received_on": str(today),
        "due_on": str(today + dt.timedelta(days=60)),
    }
    client = api(staff["district_admin"])
    refused = client.post(f"{BASE}/proposals/", {**body, "union": tree.nanxun.code})
    assert refused.status_code == 400
    assert NOT_IN_SCOPE in str(refused.json()["union"])
    assert Proposal.objects.count() == 0
    created = client.post(f"{BASE}/proposals/", {**body, "union": tree.wuxing.code})
    assert created.status_code == 201, created.json()
    replied = client.post(
        f"{BASE}/proposals/{created.json()['id']}/reply/",
        {"reply": "已答复", "result": "planned"},
    )
    assert replied.status_code == 200
    assert replied.json()["result"] == "planned"
    due = client.get(f"{BASE}/matters-due/")
    assert due.status_code == 200 and due.json() == []


# --- imports ---------------------------------------------------------------------------------


def _table(rows):
    return list(enumerate(rows, start=1))


def test_a_proposal_list_is_imported_once_and_refuses_a_union_outside_the_tree(tree, staff):
    header = [
        "类别",
        "编号",
        "标题",
        "提出人",
        "承办工会编码",
        "承办方式",
        "主办单位",
        "交办日期",
        "答复期限",
    ]
    good = [
        "人大代表建议",
        "101",
        "关于职工书屋的建议",
        "李代表",
        tree.zhili.code,
        "主办",
        "",
        "2025-03-01",
        "2025-06-01",
    ]
    other = [
        "政协提案",
        "7",
        "关于技能培训的提案",
        "赵委员",
        tree.shuanglin.code,
        "会办",
        "市人社局",
        "2025-03-01",
        "2025-06-01",
    ]
    clerk = staff["district_admin"]
    report = proposal_import(table=_table([header, good, other]), by=clerk)
    assert not report.ok
    assert NOT_IN_SCOPE in str(report.problems[0]) and report.problems[0].row == 3
    assert Proposal.objects.count() == 0
    assert proposal_import(table=_table([header, good]), by=clerk).created == 1
    again = proposal_import(table=_table([header, good]), by=clerk)
    assert (again.created, again.unchanged) == (0, 1)
    assert Proposal.objects.get().union == tree.zhili


def test_a_visit_log_is_imported_with_its_matters_as_concerns(tree, staff):
    header = [
        "组织工会编码",
        "领导姓名",
        "领导职务",
        "方式",
        "日期",
        "地点",
        "接待走访对象",
        "人数",
        "反映问题",
        "解决情况",
        "跟踪事项",
    ]
    row = [
        tree.zhili.code,
        "王主席",
        "镇工会主席",
        "接访",
        "2025-05-20",
        "镇职工服务中心",
        "快递员",
        "8",
        "",
        "",
        "充电桩不足；午休无处",
    ]
    report = leadership_visit_import(table=_table([header, row]), by=staff["township_admin"])
    assert report.ok and report.created == 1
    visit = LeadershipVisit.objects.get()
    assert visit.kind == "reception"
    assert sorted(m.concern.subject for m in visit.matters.all()) == ["充电桩不足", "午休无处"]
    nanxun = leadership_visit_import(table=_table([header, row]), by=staff["nanxun_admin"])
    assert not nanxun.ok and NOT_IN_SCOPE in str(nanxun.problems[0])
    assert LeadershipVisit.objects.count() == 1


def test_the_import_commands_run_as_the_system(tree, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "p.csv"
    path.write_text(
        "类别,编号,标题,提出人,承办工会编码,承办方式,交办日期,答复期限\n"
        f"政协提案,9,关于职工食堂的提案,钱委员,{tree.wuxing.code},主办,2025-01-05,2025-04-05\n",
        encoding="utf-8",
    )
    call_command("import_proposals", str(path))
    assert Proposal.objects.get().number == "9"
