"""The welfare admin: every page opens for staff, lists keep to the tree, the reviewer's queue and
decisions go through the services, the roster import names bad rows."""

import datetime as dt

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.actors import SYSTEM
from tests.factories import MemberFactory, make_id_number
from tests.welfare.factories import ClaimFactory, FundFactory, StationFactory
from welfare.models import Claim, Concern, Enrolment, Payout

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_staff(client, staff):
    def login(role):
        client.force_login(staff[role])
        return client

    return login


WELFARE_ADMINS = [m for m in admin.site._registry if m._meta.app_label == "welfare"]


@pytest.mark.parametrize("model", WELFARE_ADMINS, ids=lambda m: m.__name__)
def test_every_changelist_and_add_page_opens(as_staff, model, enrolment):
    client = as_staff("district_admin")
    opts = model._meta
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    # Payouts and the queue have no add page: payouts come only from claim_pay.
    assert add.status_code == (403 if opts.model_name in NO_ADD else 200)


NO_ADD = {"payout", "claimreviewqueue", "payoutbatch"}  # batches come from the claim action


def test_a_claims_page_shows_its_history_and_receipts(as_staff, enrolment):
    claim = ClaimFactory(enrolment=enrolment)
    page = as_staff("township_admin").get(reverse("admin:welfare_claim_change", args=[claim.pk]))
    assert page.status_code == 200
    assert "申请处理记录" in page.content.decode()


def test_claim_lists_keep_to_the_tree(as_staff, enrolment):
    ClaimFactory(enrolment=enrolment, hospital="织里医院")
    url = reverse("admin:welfare_claim_changelist")
    assert "织里医院" in as_staff("township_admin").get(url).content.decode()
    assert "织里医院" not in as_staff("nanxun_admin").get(url).content.decode()


def test_the_reviewers_queue_shows_only_open_claims(as_staff, enrolment):
    ClaimFactory(enrolment=enrolment, hospital="待审医院")
    ClaimFactory(enrolment=enrolment, hospital="已拒医院", state="rejected", rejection_reason="x")
    page = as_staff("township_admin").get(reverse("admin:welfare_claimreviewqueue_changelist"))
    text = page.content.decode()
    assert "待审医院" in text and "已拒医院" not in text


def test_a_reviewer_approves_and_pays_from_the_claim_page(as_staff, enrolment):
    claim = ClaimFactory(enrolment=enrolment, state="under_review", eligible_expenses=6000)
    client = as_staff("township_admin")
    url = reverse("admin:welfare_claim_change", args=[claim.pk])
    client.post(url, {"decision": "approve", "reason": ""})
    client.post(url, {"decision": "pay", "reason": ""})
    client.post(url, {"decision": "pay", "reason": ""})  # the button pressed again
    claim.refresh_from_db()
    assert claim.state == Claim.State.PAID
    assert Payout.objects.get().amount == claim.allowed_amount == 2500


def test_a_refused_decision_shows_the_reason_and_changes_nothing(as_staff, enrolment):
    claim = ClaimFactory(enrolment=enrolment)
    response = as_staff("township_admin").post(
        reverse("admin:welfare_claim_change", args=[claim.pk]), {"decision": "pay", "reason": ""}
    )
    assert response.status_code == 200
    assert "当前状态" in response.content.decode()
    claim.refresh_from_db()
    assert claim.state == Claim.State.SUBMITTED


def test_the_pay_action_pays_each_approved_claim_once(as_staff, enrolment):
    claims = [ClaimFactory(enrolment=enrolment, state="approved", allowed_amount=100) for _ in "ab"]
    client = as_staff("city_admin")
    url = reverse("admin:welfare_claim_changelist")
    body = {"action": "pay", "_selected_action": [c.pk for c in claims]}
    client.post(url, body)
    client.post(url, body)
    assert Payout.objects.count() == 2


def test_the_roster_import_page_enrols_and_names_bad_rows(as_staff, line, tree):
    number = make_id_number()
    member = MemberFactory(union=tree.zhili_factory, id_number=number)
    csv = (
        f"姓名,公民身份号码,互助项目\n{member.name},{number},住院医疗互助\n李四,110,住院医疗互助\n"
    )
    client = as_staff("township_admin")
    url = reverse("admin:welfare_enrolment_import")
    bad = client.post(
        url, {"plan": line.plan.pk, "file": SimpleUploadedFile("a.csv", csv.encode())}
    )
    assert "第3行" in bad.content.decode()
    assert Enrolment.objects.count() == 0
    good_csv = "\n".join(csv.splitlines()[:2]) + "\n"
    client.post(url, {"plan": line.plan.pk, "file": SimpleUploadedFile("a.csv", good_csv.encode())})
    assert Enrolment.objects.get().member == member


def test_a_concern_recorded_and_answered_in_the_admin(as_staff, tree):
    client = as_staff("township_admin")
    client.post(
        reverse("admin:welfare_concern_add"),
        {
            "union": tree.zhili_factory.pk,
            "raised_by_name": "王师傅",
            "channel": "three_visits",
            "subject": "夜班用餐",
            "body": "夜班没有热饭。",
        },
    )
    concern = Concern.objects.get()
    client.post(reverse("admin:welfare_concern_change", args=[concern.pk]), {"answer": "已解决。"})
    concern.refresh_from_db()
    assert (concern.status, concern.answer) == ("answered", "已解决。")
    assert concern.answered_by.username == "zhili"


def test_leadership_reads_but_cannot_add(as_staff, tree):
    FundFactory(union=tree.zhili)
    StationFactory(union=tree.zhili, built_on=dt.date(2024, 1, 1))
    client = as_staff("leadership")
    assert client.get(reverse("admin:welfare_assistancefund_changelist")).status_code == 200
    assert client.get(reverse("admin:welfare_assistancefund_add")).status_code == 403


def test_the_claim_import_page_files_claims(as_staff, enrolment):
    member, year = enrolment.member, enrolment.line.plan.year
    csv = (
        "姓名,公民身份号码,互助项目,入院日期,出院日期,医院,就诊类别,医疗总费用,政策范围内费用\n"
        f"{member.name},{{number}},住院医疗互助,{year}-03-01,{year}-03-05,湖州医院,住院,5000,3000\n"
    )
    client = as_staff("township_admin")
    changelist = client.get(reverse("admin:welfare_claim_changelist")).content.decode()
    assert reverse("admin:welfare_claim_import") in changelist
    page = client.post(
        reverse("admin:welfare_claim_import"),
        {
            "plan": enrolment.line.plan.pk,
            "file": SimpleUploadedFile("c.csv", csv.format(number=member.plain_id_number).encode()),
        },
    )
    assert page.status_code == 200
    assert Claim.objects.get().allowed_amount == 1000


def test_a_station_and_its_upgrade_are_saved_from_one_page(as_staff, tree):
    from welfare.models import ServiceStation, StationUpgrade

    prefix = "upgrades"
    response = as_staff("township_admin").post(
        reverse("admin:welfare_servicestation_add"),
        {
            "union": tree.zhili.pk,
            "kind": "outdoor_worker",
            "name": "织里爱心驿站",
            "address": "织里镇",
            "built_on": "2023-05-01",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-upgraded_on": "2024-06-01",
            f"{prefix}-0-description": "加装空调",
            f"{prefix}-0-cost": "12000.00",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:welfare_servicestation_changelist")
    station = ServiceStation.objects.get()
    assert list(StationUpgrade.objects.values_list("station", "description")) == [
        (station.pk, "加装空调")
    ]


def test_plan_lines_are_added_through_the_service(as_staff, tree):
    from welfare.models import MutualAidPlan

    prefix = "lines"
    as_staff("city_admin").post(
        reverse("admin:welfare_mutualaidplan_add"),
        {
            "union": tree.city.pk,
            "year": "2030",
            "name": "2030年度职工医疗互助",
            "period_start": "2030-01-01",
            "period_end": "2030-12-31",
            "enrolment_opens": "2029-11-01",
            "enrolment_closes": "2030-03-31",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-kind": "hospital_stay",
            f"{prefix}-0-name": "住院医疗互助",
            f"{prefix}-0-contribution": "30",
            f"{prefix}-0-deductible": "1000",
            f"{prefix}-0-reimbursement_rate": "0.5",
            f"{prefix}-0-annual_cap": "10000",
            f"{prefix}-0-claim_deadline": "2031-03-31",
        },
    )
    plan = MutualAidPlan.objects.get(year=2030)
    assert list(plan.lines.values_list("name", "annual_cap")) == [("住院医疗互助", 10000)]


def test_claims_export_only_the_clerks_tree_with_masked_ids(as_staff, enrolment, tree):
    ClaimFactory(enrolment=enrolment, hospital="织里医院")
    from tests.factories import MemberFactory as Members
    from tests.welfare.factories import EnrolmentFactory

    other = EnrolmentFactory(member=Members(union=tree.shuanglin_factory), line=enrolment.line)
    ClaimFactory(enrolment=other, hospital="=HYPERLINK(双林)")
    client = as_staff("district_admin")
    changelist = client.get(reverse("admin:welfare_claim_changelist")).content.decode()
    assert reverse("admin:welfare_claim_export") in changelist
    assert reverse("admin:welfare_claim_import") in changelist
    response = client.post(
        reverse("admin:welfare_claim_export"),
        {
            "format": "1",
            **{f"claimresource_{f}": "on" for f in ("number", "member", "id_number", "hospital")},
        },
    )
    text = response.content.decode("utf-8-sig")
    assert "织里医院" in text and "双林" not in text
    assert enrolment.member.id_number_masked in text


def test_leadership_views_claim_and_concern_pages_read_only(as_staff, enrolment, tree):
    claim = ClaimFactory(enrolment=enrolment)
    from welfare import services

    concern = services.concern_record(
        union=tree.zhili, raised_by_name="职工", subject="食堂", body="……", by=SYSTEM
    )
    client = as_staff("leadership")
    for url in (
        reverse("admin:welfare_claim_change", args=[claim.pk]),
        reverse("admin:welfare_concern_change", args=[concern.pk]),
        reverse("admin:welfare_claimreviewqueue_changelist"),
    ):
        assert client.get(url).status_code == 200
    client.post(
        reverse("admin:welfare_claim_change", args=[claim.pk]), {"decision": "start_review"}
    )
    claim.refresh_from_db()
    assert claim.state == Claim.State.SUBMITTED
