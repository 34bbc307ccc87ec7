"""A payout happens exactly once per approved claim: a retried request (same key) or a doubled
one (another key) returns the first; the database refuses a second; nothing is paid on a claim
that is not approved."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.welfare.factories import ClaimFactory
from welfare import services
from welfare.models import Claim, ClaimEvent, Payout

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def approved(enrolment):
    return ClaimFactory(
        enrolment=enrolment, state=Claim.State.APPROVED, allowed_amount=D("2500.00")
    )


def test_paying_an_approved_claim_pays_its_allowed_amount_once(approved, staff):
    # when
    payout, created = services.claim_pay(
        claim=approved, idempotency_key="req-1", by=staff["township_admin"], bank_reference="B1"
    )
    # then
    approved.refresh_from_db()
    assert created is True
    assert (payout.amount, payout.union, payout.bank_reference) == (
        D("2500.00"),
        approved.union,
        "B1",
    )
    assert payout.paid_on == timezone.localdate()
    assert approved.state == Claim.State.PAID


def test_a_retried_request_returns_the_first_payout(approved, staff):
    first, _ = services.claim_pay(claim=approved, idempotency_key="req-1", by=staff["city_admin"])
    again, created = services.claim_pay(
        claim=approved, idempotency_key="req-1", by=staff["city_admin"]
    )
    assert (again.pk, created) == (first.pk, False)
    assert Payout.objects.count() == 1
    assert ClaimEvent.objects.filter(to_state="paid").count() == 1


def test_a_doubled_request_with_another_key_returns_the_first_payout(approved, staff):
    first, _ = services.claim_pay(claim=approved, idempotency_key="req-1", by=staff["city_admin"])
    again, created = services.claim_pay(
        claim=approved, idempotency_key="req-2", by=staff["city_admin"]
    )
    assert (again.pk, again.idempotency_key, created) == (first.pk, "req-1", False)
    assert Payout.objects.count() == 1


def test_a_key_already_used_for_another_claim_is_refused(approved, enrolment, staff):
    services.claim_pay(claim=approved, idempotency_key="req-1", by=staff["city_admin"])
    other = ClaimFactory(enrolment=enrolment, state=Claim.State.APPROVED, allowed_amount=D("10.00"))
    with pytest.raises(ValidationError, match="幂等键"):
        services.claim_pay(claim=other, idempotency_key="req-1", by=staff["city_admin"])
    other.refresh_from_db()
    assert other.state == Claim.State.APPROVED
    assert Payout.objects.count() == 1


@pytest.mark.parametrize("state", ["submitted", "under_review", "rejected", "withdrawn"])
def test_nothing_is_paid_on_a_claim_that_is_not_approved(enrolment, staff, state):
    claim = ClaimFactory(
        enrolment=enrolment, state=state, rejection_reason="x" if state == "rejected" else ""
    )
    with pytest.raises(ValidationError, match="当前状态"):
        services.claim_pay(claim=claim, idempotency_key="req-1", by=staff["city_admin"])
    claim.refresh_from_db()
    assert claim.state == state
    assert Payout.objects.count() == 0
    assert ClaimEvent.objects.count() == 0


def test_a_request_without_a_key_is_refused(approved, staff):
    with pytest.raises(ValidationError):
        services.claim_pay(claim=approved, idempotency_key=" ", by=staff["city_admin"])
    assert Payout.objects.count() == 0


def test_the_database_refuses_a_second_payout_for_a_claim(approved, staff):
    payout, _ = services.claim_pay(claim=approved, idempotency_key="req-1", by=staff["city_admin"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Payout.objects.create(
            claim=approved,
            union=approved.union,
            amount=D("1.00"),
            idempotency_key="other",
            paid_on=payout.paid_on,
            paid_at=payout.paid_at,
        )
    assert Payout.objects.count() == 1


def test_leadership_cannot_pay(approved, staff):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.claim_pay(claim=approved, idempotency_key="req-1", by=staff["leadership"])
    assert Payout.objects.count() == 0
