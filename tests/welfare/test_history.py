"""Who changed what (issue 10.7) for the welfare records: a member's own claim is named as the
member, a fund's history is the clerk's and is scoped like its change page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from members.actors import MemberActor
from welfare import services
from welfare.models import AssistanceFund, Claim

pytestmark = pytest.mark.django_db


def test_a_claim_a_member_files_is_recorded_as_the_member(member, line, enrolment):
    # when: the member applies through the portal's service
    year = line.plan.year
    claim = services.claim_apply(
        by=MemberActor(member),
        line=line,
        admitted_on=dt.date(year, 2, 1),
        discharged_on=dt.date(year, 2, 9),
        hospital="湖州市第一人民医院",
        category=Claim.Category.INPATIENT,
        total_expenses=Decimal("12000.00"),
        eligible_expenses=Decimal("11000.00"),
        receipts=[_pdf()],
    )
    # then
    record = claim.history.earliest()
    assert record.history_type == "+"
    assert record.history_user is None
    assert record.history_change_reason == f"会员本人（会员ID {member.pk}）"


def test_a_fund_records_its_clerk_and_its_history_stays_in_the_district(client, tree, staff):
    # given: 吴兴 raises a fund
    fund = services.assistance_fund_raise(
        union=tree.wuxing,
        name="2025年吴兴区帮扶资金",
        source=AssistanceFund.Source.UNION_FUNDS,
        amount=Decimal("100000.00"),
        raised_on=dt.date(2025, 1, 10),
        by=staff["district_admin"],
    )
    assert fund.history.get().history_user == staff["district_admin"]
    url = reverse("admin:welfare_assistancefund_history", args=[fund.pk])
    # when / then: 吴兴 reads its history; 南浔 is sent to the admin index
    client.force_login(staff["district_admin"])
    assert client.get(url).status_code == 200
    client.force_login(staff["nanxun_admin"])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("receipt.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
