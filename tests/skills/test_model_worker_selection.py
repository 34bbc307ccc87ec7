"""The selection before a model-worker honour: nomination → review → 公示 with objections →
conferral, ending in the Honour through honour_award; no stage skipped; an upheld objection
stops the conferral; scoped like every record."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from skills import services
from skills.models import Honour, HonourSelection
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
NOT_IN_SCOPE = "不存在或不在您的管辖范围内"
D = dt.date
KIND = Honour.Kind.PROVINCIAL_MODEL_WORKER


@pytest.fixture
def worker(tree):
    return MemberFactory(union=tree.zhili_factory, name="陆师傅")


def _nominate(member, by):
    return services.selection_nominate(
        kind=KIND,
        year=2025,
        awarding_body="浙江省人民政府",
        member=member,
        nominated_on=D(2025, 1, 10),
        nominator="吴兴区总工会",
        deeds="二十年扎根童装一线，带出徒弟三十余人",
        by=by,
    )


def _to_notice(selection, by):
    services.selection_review(selection=selection, reviewed_on=D(2025, 2, 1), passed=True, by=by)
    return services.selection_notice(
        selection=selection, starts_on=D(2025, 2, 10), ends_on=D(2025, 2, 16), by=by
    )


def test_a_selection_ends_in_the_honour(staff, worker):
    clerk = staff["district_admin"]
    selection = _nominate(worker, clerk)
    _to_notice(selection, clerk)
    objection = services.selection_objection_receive(
        selection=selection, received_on=D(2025, 2, 12), content="事迹材料有夸大", by=clerk
    )
    services.selection_objection_handle(
        objection=objection, handled_on=D(2025, 2, 14), upheld=False, handling="核实无误", by=clerk
    )
    services.selection_confer(selection=selection, conferred_on=D(2025, 4, 28), by=clerk)
    stored = HonourSelection.objects.get(pk=selection.pk)
    assert stored.stage == HonourSelection.Stage.CONFERRED
    honour = Honour.objects.get()
    assert stored.honour == honour
    assert (honour.kind, honour.year, honour.member, honour.union) == (
        KIND,
        2025,
        worker,
        worker.union,
    )


@pytest.mark.parametrize("step", ["notice", "confer"])
def test_a_stage_cannot_be_skipped(staff, worker, step):
    clerk = staff["district_admin"]
    selection = _nominate(worker, clerk)
    with pytest.raises(ValidationError, match="不能跳过"):
        if step == "notice":
            services.selection_notice(
                selection=selection, starts_on=D(2025, 2, 1), ends_on=D(2025, 2, 7), by=clerk
            )
        else:
            services.selection_confer(selection=selection, conferred_on=D(2025, 4, 1), by=clerk)
    assert HonourSelection.objects.get(pk=selection.pk).stage == "nominated"
    assert Honour.objects.count() == 0


def test_an_upheld_objection_stops_the_conferral(staff, worker):
    clerk = staff["district_admin"]
    selection = _nominate(worker, clerk)
    _to_notice(selection, clerk)
    objection = services.selection_objection_receive(
        selection=selection, received_on=D(2025, 2, 11), content="曾受行政处罚", by=clerk
    )
    services.selection_objection_handle(
        objection=objection, handled_on=D(2025, 2, 15), upheld=True, handling="经核实属实", by=clerk
    )
    with pytest.raises(ValidationError, match="终止"):
        services.selection_confer(selection=selection, conferred_on=D(2025, 4, 28), by=clerk)
    assert HonourSelection.objects.get(pk=selection.pk).stage == "stopped"
    assert Honour.objects.count() == 0


def test_an_unhandled_objection_or_an_unfinished_notice_blocks_the_conferral(staff, worker):
    clerk = staff["district_admin"]
    selection = _nominate(worker, clerk)
    _to_notice(selection, clerk)
    with pytest.raises(ValidationError, match="公示期满"):
        services.selection_confer(selection=selection, conferred_on=D(2025, 2, 16), by=clerk)
    services.selection_objection_receive(
        selection=selection, received_on=D(2025, 2, 16), content="待核实", by=clerk
    )
    with pytest.raises(ValidationError, match="未处理"):
        services.selection_confer(selection=selection, conferred_on=D(2025, 3, 1), by=clerk)
    assert Honour.objects.count() == 0


def test_another_districts_clerk_gets_not_in_scope(staff, worker):
    with pytest.raises(PermissionDenied, match=NOT_IN_SCOPE):
        _nominate(worker, staff["nanxun_admin"])
    selection = _nominate(worker, staff["district_admin"])
    with pytest.raises(PermissionDenied, match=NOT_IN_SCOPE):
        services.selection_review(
            selection=selection, reviewed_on=D(2025, 2, 1), passed=True, by=staff["nanxun_admin"]
        )
    assert HonourSelection.objects.get(pk=selection.pk).stage == "nominated"


def test_the_api_refuses_a_candidate_outside_the_tree(api, staff, tree, worker):
    stranger = MemberFactory(union=tree.shuanglin_factory, name="南浔李四")
    body = {
        "kind": KIND,
        "year": 2025,
        "awarding_body": "浙江省人民政府",
        "nominated_on": "2025-01-10",
        "nominator": "吴兴区总工会",
        "deeds": "事迹",
    }
    client = api(staff["district_admin"])
    refused = client.post("/api/v1/skills/selections/", {**body, "member": stranger.pk})
    assert refused.status_code == 400
    assert NOT_IN_SCOPE in str(refused.json()["member"])
    assert "南浔李四" not in str(refused.json())
    created = client.post("/api/v1/skills/selections/", {**body, "member": worker.pk})
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    skipped = client.post(f"/api/v1/skills/selections/{pk}/confer/", {"conferred_on": "2025-05-01"})
    assert skipped.status_code == 400
    reviewed = client.post(
        f"/api/v1/skills/selections/{pk}/review/", {"reviewed_on": "2025-02-01", "passed": True}
    )
    assert reviewed.status_code == 200 and reviewed.json()["stage"] == "reviewed"
    assert api(staff["nanxun_admin"]).get(f"/api/v1/skills/selections/{pk}/").status_code == 404
