"""Receipts for a claim: PDF, JPEG or PNG judged by their first bytes, and not too large; the
member applies with receipts and follows the claim."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from members.actors import MemberActor
from tests.factories import MemberFactory
from welfare import selectors, services
from welfare.models import Claim, ClaimReceipt

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def apply(member, line, receipts):
    year = line.plan.year
    return services.claim_apply(
        by=MemberActor(member),
        line=line,
        admitted_on=dt.date(year, 2, 1),
        discharged_on=dt.date(year, 2, 9),
        hospital="湖州市第一人民医院",
        category=Claim.Category.INPATIENT,
        total_expenses=Decimal("12000.00"),
        eligible_expenses=Decimal("11000.00"),
        receipts=receipts,
    )


@pytest.mark.parametrize(
    ("data", "kind"),
    [(PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png")],
)
def test_each_accepted_type_is_recognised_by_its_content(data, kind):
    assert services.receipt_check(data) == kind


@pytest.mark.parametrize(
    "data",
    [b"MZ\x90\x00 an exe", b"<html><script>", b"GIF89a......", b"PK\x03\x04 a zip renamed .pdf"],
)
def test_other_content_is_refused_whatever_its_name(data):
    with pytest.raises(ValidationError, match="PDF、JPG或PNG"):
        services.receipt_check(data)


def test_an_empty_or_oversized_file_is_refused():
    with pytest.raises(ValidationError, match="空"):
        services.receipt_check(b"")
    with pytest.raises(ValidationError, match="过大"):
        services.receipt_check(PDF + b"\x00" * services.RECEIPT_MAX_BYTES)
    assert services.receipt_check(PDF + b"\x00" * (services.RECEIPT_MAX_BYTES - len(PDF)))


def test_a_member_applies_with_receipts_and_follows_the_claim(enrolment):
    # when
    claim = apply(
        enrolment.member,
        enrolment.line,
        [SimpleUploadedFile("发票.pdf", PDF), SimpleUploadedFile("小结.jpg", JPEG)],
    )
    # then
    assert claim.allowed_amount == Decimal("5000.00")
    assert sorted(claim.receipts.values_list("content_type", "original_name")) == [
        ("application/pdf", "发票.pdf"),
        ("image/jpeg", "小结.jpg"),
    ]
    receipt = claim.receipts.get(content_type="application/pdf")
    assert receipt.file.read() == PDF
    assert receipt.file.name.endswith(".pdf") and "发票" not in receipt.file.name
    assert list(selectors.member_claims(member=enrolment.member)) == [claim]
    event = claim.events.get()
    assert (event.by, event.by_member) == (None, True)


def test_an_application_with_a_disguised_file_is_refused_whole(enrolment):
    with pytest.raises(ValidationError, match="PDF、JPG或PNG"):
        apply(
            enrolment.member,
            enrolment.line,
            [SimpleUploadedFile("发票.pdf", PDF), SimpleUploadedFile("x.pdf", b"MZ\x90")],
        )
    assert Claim.objects.count() == 0
    assert ClaimReceipt.objects.count() == 0


def test_an_application_needs_an_enrolment_and_a_receipt(enrolment, tree):
    with pytest.raises(ValidationError, match="票据"):
        apply(enrolment.member, enrolment.line, [])
    with pytest.raises(ValidationError, match="未参加"):
        apply(MemberFactory(union=tree.zhili_factory), enrolment.line, [("a.pdf", PDF)])
    assert Claim.objects.count() == 0


def test_the_same_file_uploaded_twice_is_kept_once(enrolment):
    claim = apply(enrolment.member, enrolment.line, [("a.pdf", PDF)])
    again = services.receipt_upload(
        claim=claim, upload=("a-copy.pdf", PDF), by=MemberActor(enrolment.member)
    )
    assert claim.receipts.count() == 1
    assert again.original_name == "a.pdf"


def test_receipts_cannot_be_added_to_a_closed_claim(enrolment):
    claim = apply(enrolment.member, enrolment.line, [("a.pdf", PDF)])
    services.claim_withdraw(claim=claim, by=MemberActor(enrolment.member))
    with pytest.raises(ValidationError, match="当前状态"):
        services.receipt_upload(
            claim=claim, upload=("b.png", PNG), by=MemberActor(enrolment.member)
        )
    assert claim.receipts.count() == 1
