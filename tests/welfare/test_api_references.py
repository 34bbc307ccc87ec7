"""Every create route of mutual aid resolves the ids it is given through the caller's scope: an
id outside their tree gets the answer a missing id gets, before any duplicate or business rule,
and names nobody."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import EnterpriseFactory, MemberFactory
from tests.welfare.factories import ClaimFactory, EnrolmentFactory, LineFactory, PlanFactory
from welfare.models import Claim, ClaimReceipt, Enrolment, Payout

pytestmark = pytest.mark.django_db
BASE = "/api/v1/welfare"
NOT_IN_SCOPE = "不存在或不在您的管辖范围内"


@pytest.fixture
def stranger(tree):
    return MemberFactory(union=tree.shuanglin_factory, name="南浔张三")


def refused(response, field):
    body = response.json()
    return response.status_code == 400 and NOT_IN_SCOPE in str(body.get(field))


def test_an_enrolment_for_a_member_outside_the_tree_is_answered_as_missing(
    api, staff, stranger, line
):
    # given: the stranger is already enrolled, so a duplicate check would name them
    EnrolmentFactory(member=stranger, line=line)
    response = api(staff["township_admin"]).post(
        f"{BASE}/enrolments/", {"member": stranger.pk, "line": line.pk}, format="json"
    )
    assert refused(response, "member")
    assert "南浔张三" not in str(response.json())
    assert Enrolment.objects.count() == 1


def test_an_enrolment_in_a_plan_that_does_not_reach_the_clerk_is_answered_as_missing(
    api, staff, member, tree, this_year
):
    nanxun_line = LineFactory(plan=PlanFactory(union=tree.nanxun, year=this_year))
    response = api(staff["township_admin"]).post(
        f"{BASE}/enrolments/", {"member": member.pk, "line": nanxun_line.pk}, format="json"
    )
    assert refused(response, "line")
    assert member.name not in str(response.json())
    assert Enrolment.objects.count() == 0


def test_an_enrolment_paid_by_an_enterprise_outside_the_tree_is_refused(
    api, staff, member, line, tree
):
    payer = EnterpriseFactory(union=tree.shuanglin_factory)
    response = api(staff["township_admin"]).post(
        f"{BASE}/enrolments/",
        {"member": member.pk, "line": line.pk, "payer": payer.credit_code},
        format="json",
    )
    assert refused(response, "payer")
    assert Enrolment.objects.count() == 0


def test_a_claim_on_an_enrolment_outside_the_tree_is_answered_as_missing(
    api, staff, stranger, line
):
    foreign = EnrolmentFactory(member=stranger, line=line)
    year = line.plan.year
    body = {
        "enrolment": foreign.pk,
        "admitted_on": f"{year}-04-01",
        "discharged_on": f"{year}-04-08",
        "hospital": "湖州市中心医院",
        "category": "inpatient",
        "total_expenses": "9000.00",
        "eligible_expenses": "7000.00",
    }
    response = api(staff["township_admin"]).post(f"{BASE}/claims/", body, format="json")
    assert refused(response, "enrolment")
    assert Claim.objects.count() == 0


def test_receipts_and_payouts_on_a_claim_outside_the_tree_are_answered_as_missing(
    api, staff, stranger, line, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    claim = ClaimFactory(enrolment=EnrolmentFactory(member=stranger, line=line), state="approved")
    client = api(staff["township_admin"])
    receipt = client.post(
        f"{BASE}/claims/{claim.pk}/receipts/",
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")},
        format="multipart",
    )
    pay = client.post(f"{BASE}/claims/{claim.pk}/pay/", {}, HTTP_IDEMPOTENCY_KEY="k1")
    assert (receipt.status_code, pay.status_code) == (404, 404)
    assert ClaimReceipt.objects.count() == 0 and Payout.objects.count() == 0
