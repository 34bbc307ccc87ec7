"""The welfare API under /api/v1/welfare/: the same services, scoped to the caller's tree."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.welfare.factories import ClaimFactory, StationFactory
from welfare.models import Claim, Concern, Payout, ServiceStation

pytestmark = pytest.mark.django_db
BASE = "/api/v1/welfare"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def claim_body(enrolment):
    year = enrolment.line.plan.year
    return {
        "enrolment": enrolment.pk,
        "admitted_on": f"{year}-04-01",
        "discharged_on": f"{year}-04-08",
        "hospital": "湖州市中心医院",
        "category": "inpatient",
        "total_expenses": "9000.00",
        "eligible_expenses": "7000.00",
    }


def test_a_claim_goes_from_submission_to_payment_through_the_api(api, staff, enrolment):
    client = api(staff["township_admin"])
    # when
    created = client.post(f"{BASE}/claims/", claim_body(enrolment), format="json")
    pk = created.json()["id"]
    client.post(f"{BASE}/claims/{pk}/start-review/")
    approved = client.post(f"{BASE}/claims/{pk}/approve/")
    first = client.post(f"{BASE}/claims/{pk}/pay/", {}, HTTP_IDEMPOTENCY_KEY="pay-abc")
    retry = client.post(f"{BASE}/claims/{pk}/pay/", {}, HTTP_IDEMPOTENCY_KEY="pay-abc")
    doubled = client.post(f"{BASE}/claims/{pk}/pay/", {"idempotency_key": "pay-xyz"})
    detail = client.get(f"{BASE}/claims/{pk}/")
    # then
    assert created.status_code == 201
    assert created.json()["allowed_amount"] == "3000.00"
    assert approved.json()["state"] == "approved"
    assert (first.status_code, retry.status_code, doubled.status_code) == (201, 200, 200)
    assert first.json()["id"] == retry.json()["id"] == doubled.json()["id"]
    assert Payout.objects.count() == 1
    assert [e["to_state"] for e in detail.json()["events"]] == [
        "submitted",
        "under_review",
        "approved",
        "paid",
    ]


def test_a_refused_transition_is_a_400_with_the_reason(api, staff, enrolment):
    claim = ClaimFactory(enrolment=enrolment)
    response = api(staff["township_admin"]).post(f"{BASE}/claims/{claim.pk}/approve/")
    assert response.status_code == 400
    assert "当前状态" in str(response.json())
    claim.refresh_from_db()
    assert claim.state == Claim.State.SUBMITTED


def test_paying_without_a_key_is_a_400(api, staff, enrolment):
    claim = ClaimFactory(enrolment=enrolment, state="approved", allowed_amount=Decimal("10.00"))
    response = api(staff["city_admin"]).post(f"{BASE}/claims/{claim.pk}/pay/", {})
    assert response.status_code == 400
    assert Payout.objects.count() == 0


def test_claims_outside_the_tree_are_invisible_and_leadership_reads_only(api, staff, enrolment):
    claim = ClaimFactory(enrolment=enrolment, state="under_review")
    nanxun = api(staff["nanxun_admin"])
    assert nanxun.get(f"{BASE}/claims/").json()["count"] == 0
    assert nanxun.post(f"{BASE}/claims/{claim.pk}/approve/").status_code == 404
    leader = api(staff["leadership"])
    assert leader.get(f"{BASE}/claims/").json()["count"] == 1
    assert leader.post(f"{BASE}/claims/{claim.pk}/approve/").status_code == 403
    claim.refresh_from_db()
    assert claim.state == "under_review"


def test_the_queue_lists_open_claims(api, staff, enrolment):
    open_claim = ClaimFactory(enrolment=enrolment)
    ClaimFactory(enrolment=enrolment, state="rejected", rejection_reason="x")
    response = api(staff["district_admin"]).get(f"{BASE}/claims/queue/")
    assert [c["id"] for c in response.json()["results"]] == [open_claim.pk]


def test_a_receipt_upload_is_checked_by_content(api, staff, enrolment):
    claim = ClaimFactory(enrolment=enrolment)
    client = api(staff["township_admin"])
    ok = client.post(
        f"{BASE}/claims/{claim.pk}/receipts/",
        {"file": SimpleUploadedFile("票据.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 10)},
        format="multipart",
    )
    bad = client.post(
        f"{BASE}/claims/{claim.pk}/receipts/",
        {"file": SimpleUploadedFile("票据.pdf", b"<html>not a pdf</html>")},
        format="multipart",
    )
    assert ok.status_code == 201 and ok.json()["content_type"] == "image/png"
    assert bad.status_code == 400
    assert claim.receipts.count() == 1


def test_a_concern_is_recorded_answered_and_timed(api, staff, tree):
    client = api(staff["township_admin"])
    created = client.post(
        f"{BASE}/concerns/",
        {
            "union": tree.zhili_factory.code,
            "raised_by_name": "王师傅",
            "subject": "夜班用餐",
            "body": "夜班没有热饭。",
        },
        format="json",
    )
    pk = created.json()["id"]
    answered = client.post(f"{BASE}/concerns/{pk}/answer/", {"answer": "食堂已延长供餐。"})
    assert created.status_code == 201
    assert created.json()["channel"] == "three_visits"
    assert answered.json()["status"] == "answered"
    assert answered.json()["overdue"] is False
    assert answered.json()["time_to_answer"] is not None
    outside = api(staff["nanxun_admin"]).post(
        f"{BASE}/concerns/{pk}/route/", {"union": tree.shuanglin.code}
    )
    assert outside.status_code == 404
    assert Concern.objects.get().union == tree.zhili_factory


def test_plain_records_are_created_in_scope_only(api, staff, tree):
    body = {
        "union": tree.zhili.code,
        "kind": "outdoor_worker",
        "name": "织里爱心驿站",
        "address": "织里镇大港路1号",
        "built_on": "2024-05-01",
    }
    client = api(staff["district_admin"])
    assert client.post(f"{BASE}/stations/", body, format="json").status_code == 201
    body["union"] = tree.shuanglin.code
    outside = client.post(f"{BASE}/stations/", body, format="json")
    assert outside.status_code == 400
    assert tree.shuanglin.name not in outside.content.decode()
    StationFactory(union=tree.shuanglin, built_on=dt.date(2023, 1, 1))
    names = [s["name"] for s in client.get(f"{BASE}/stations/").json()["results"]]
    assert names == ["织里爱心驿站"]
    assert ServiceStation.objects.count() == 2


def test_claims_filter_by_state_and_plan_year(api, staff, enrolment):
    ClaimFactory(enrolment=enrolment)
    ClaimFactory(enrolment=enrolment, state="under_review")
    client = api(staff["city_admin"])
    year = enrolment.line.plan.year
    assert client.get(f"{BASE}/claims/?state=under_review").json()["count"] == 1
    assert client.get(f"{BASE}/claims/?enrolment__line__plan__year={year}").json()["count"] == 2
    assert client.get(f"{BASE}/claims/?enrolment__line__plan__year=1999").json()["count"] == 0


def test_plans_are_readable_by_staff_below_the_city(api, staff, line):
    plans = api(staff["grassroots_admin"]).get(f"{BASE}/plans/").json()["results"]
    assert [p["lines"][0]["annual_cap"] for p in plans] == ["10000.00"]
