"""The welfare admin never renders a person outside the clerk's tree: no raw-id widget (its label
is looked up unscoped), an out-of-scope id in an add page's query string shows no name, and
posting one is answered like a missing id with nothing written."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import EnterpriseFactory, MemberFactory
from tests.welfare.factories import EnrolmentFactory
from welfare.models import Claim, Enrolment, HardshipCase, Visit

pytestmark = pytest.mark.django_db
NOT_IN_SCOPE = "不存在或不在您的管辖范围内"
MINE = ["mutualaidplan", "enrolment", "claim", "payout", "assistancefund", "hardshipcase", "visit"]


@pytest.fixture
def stranger(tree):
    """A member of 南浔, enrolled in the hospital-stay line (a health-data label)."""
    return MemberFactory(union=tree.shuanglin_factory, name="南浔张三")


@pytest.fixture
def stranger_enrolment(stranger, line):
    return EnrolmentFactory(member=stranger, line=line)


@pytest.fixture
def grassroots(client, staff):
    client.force_login(staff["grassroots_admin"])
    return client


@pytest.mark.parametrize("name", MINE)
def test_no_mutual_aid_or_assistance_admin_uses_raw_id_widgets(name):
    model_admin = next(a for m, a in admin.site._registry.items() if m._meta.model_name == name)
    assert not model_admin.raw_id_fields


@pytest.mark.parametrize(
    ("page", "field"),
    [("hardshipcase", "member"), ("visit", "member"), ("enrolment", "member")],
)
def test_an_out_of_scope_member_in_the_add_page_query_renders_no_name(
    grassroots, stranger, page, field
):
    response = grassroots.get(reverse(f"admin:welfare_{page}_add"), {field: stranger.pk})
    assert response.status_code == 200
    assert "南浔张三" not in response.content.decode()


def test_an_out_of_scope_enrolment_in_the_claim_add_page_query_renders_no_name(
    grassroots, stranger_enrolment
):
    response = grassroots.get(
        reverse("admin:welfare_claim_add"), {"enrolment": stranger_enrolment.pk}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "南浔张三" not in text and "住院医疗互助" not in text


def test_an_in_scope_member_in_the_add_page_query_is_shown(grassroots, member):
    response = grassroots.get(reverse("admin:welfare_hardshipcase_add"), {"member": member.pk})
    assert member.name in response.content.decode()


def test_posting_an_out_of_scope_member_for_a_hardship_case_writes_nothing(grassroots, stranger):
    response = grassroots.post(
        reverse("admin:welfare_hardshipcase_add"),
        {"member": stranger.pk, "category": "illness", "assessed_on": "2024-03-01"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert NOT_IN_SCOPE in text and "南浔张三" not in text
    assert HardshipCase.objects.count() == 0


def test_posting_an_out_of_scope_member_for_a_visit_writes_nothing(grassroots, stranger):
    response = grassroots.post(
        reverse("admin:welfare_visit_add"),
        {
            "member": stranger.pk,
            "visited_on": "2024-01-25",
            "occasion": "winter",
            "visitor": "x",
            "value": "0",
        },
    )
    assert NOT_IN_SCOPE in response.content.decode()
    assert Visit.objects.count() == 0


def test_posting_an_out_of_scope_member_or_payer_for_an_enrolment_writes_nothing(
    grassroots, stranger, member, line, tree
):
    url = reverse("admin:welfare_enrolment_add")
    foreign_payer = EnterpriseFactory(union=tree.shuanglin_factory, name="南浔纺织有限公司")
    by_member = grassroots.post(url, {"member": stranger.pk, "line": line.pk})
    by_payer = grassroots.post(
        url, {"member": member.pk, "line": line.pk, "payer": foreign_payer.pk}
    )
    for response in (by_member, by_payer):
        text = response.content.decode()
        assert NOT_IN_SCOPE in text
        assert "南浔张三" not in text and "南浔纺织有限公司" not in text
    assert Enrolment.objects.count() == 0


def test_posting_an_out_of_scope_enrolment_for_a_claim_writes_nothing(
    grassroots, stranger_enrolment
):
    year = stranger_enrolment.line.plan.year
    response = grassroots.post(
        reverse("admin:welfare_claim_add"),
        {
            "enrolment": stranger_enrolment.pk,
            "admitted_on": f"{year}-03-01",
            "discharged_on": f"{year}-03-05",
            "hospital": "湖州医院",
            "category": "inpatient",
            "total_expenses": "5000",
            "eligible_expenses": "3000",
        },
    )
    text = response.content.decode()
    assert NOT_IN_SCOPE in text and "南浔张三" not in text
    assert Claim.objects.count() == 0


def test_an_in_scope_claim_posted_in_the_admin_lands_on_the_changelist(grassroots, enrolment):
    year = enrolment.line.plan.year
    response = grassroots.post(
        reverse("admin:welfare_claim_add"),
        {
            "enrolment": enrolment.pk,
            "admitted_on": f"{year}-03-01",
            "discharged_on": f"{year}-03-05",
            "hospital": "湖州医院",
            "category": "inpatient",
            "total_expenses": "5000",
            "eligible_expenses": "3000",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:welfare_claim_changelist")
    assert Claim.objects.get().enrolment == enrolment


@pytest.mark.parametrize(
    "url",
    [
        "/admin/welfare/claim/add/?enrolment=abc",
        "/admin/welfare/claim/add/?enrolment=99999999999999999999999",
        "/admin/welfare/hardshipcase/add/?member=abc",
        "/admin/welfare/visit/add/?member=%00",
        "/admin/welfare/enrolment/add/?member=1.5&payer=x",
        "/admin/welfare/claim/?q=%00",
        "/admin/welfare/claim/?enrolment__line__plan__year=abc",
        "/admin/welfare/hardshipcase/?q=%00",
        "/admin/welfare/payout/?paid_on=abc",
        "/admin/welfare/mutualaidplan/?year=abc",
    ],
)
def test_odd_input_on_the_admin_pages_is_never_a_server_error(grassroots, url):
    assert grassroots.get(url).status_code < 500
