"""The annual cap and the one payout hold when requests arrive at the same moment: real threads,
each on its own connection, against real PostgreSQL, the second arriving while the first holds
its locks (so each test fails every run if the lock it covers is removed)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.concurrency import race
from tests.factories import MemberFactory
from tests.welfare.factories import ClaimFactory, EnrolmentFactory
from welfare import services
from welfare.models import Claim, ClaimEvent, Payout

D = Decimal


def run_together(*calls):
    """Run the first call up to its first write and hold it there, inside its transaction, until
    every other call has either reached its own first write or is waiting for a lock the first
    holds (see tests.concurrency.race); return what each returned or raised."""
    return race(*calls)


def under_review(enrolment, eligible):
    return ClaimFactory(
        enrolment=enrolment,
        eligible_expenses=D(eligible),
        total_expenses=D(eligible),
        state=Claim.State.UNDER_REVIEW,
    )


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_never_grant_more_than_the_cap(tree, staff, this_year):
    # given: two claims of one member, each worth 8,000 by the rate; the cap is 10,000
    from tests.welfare.factories import LineFactory, PlanFactory

    line = LineFactory(plan=PlanFactory(union=tree.city, year=this_year))
    enrolment = EnrolmentFactory(member=MemberFactory(union=tree.zhili_factory), line=line)
    first, second = under_review(enrolment, "17000.00"), under_review(enrolment, "17000.00")
    a, b = staff["township_admin"], staff["district_admin"]
    # when
    results = run_together(
        lambda: services.claim_approve(claim=first, by=a),
        lambda: services.claim_approve(claim=second, by=b),
    )
    # then: both approved, one for 8,000 and the other for what was left
    assert not any(isinstance(r, Exception) for r in results), results
    amounts = sorted(
        Claim.objects.filter(pk__in=[first.pk, second.pk]).values_list("allowed_amount", flat=True)
    )
    assert amounts == [D("2000.00"), D("8000.00")]
    assert sum(amounts) == D("10000.00")


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_approvals_stop_exactly_at_the_cap(tree, staff, this_year):
    # given: six claims of 3,000 each against a 10,000 cap
    from tests.welfare.factories import LineFactory, PlanFactory

    line = LineFactory(plan=PlanFactory(union=tree.city, year=this_year))
    enrolment = EnrolmentFactory(member=MemberFactory(union=tree.zhili_factory), line=line)
    claims = [under_review(enrolment, "7000.00") for _ in range(6)]
    reviewer = staff["city_admin"]
    # when
    results = run_together(
        *[(lambda c=c: services.claim_approve(claim=c, by=reviewer)) for c in claims]
    )
    # then: 3,000 + 3,000 + 3,000 + 1,000, and two refused with nothing changed
    approved = Claim.objects.filter(state=Claim.State.APPROVED)
    assert sorted(approved.values_list("allowed_amount", flat=True)) == [
        D("1000.00"),
        D("3000.00"),
        D("3000.00"),
        D("3000.00"),
    ]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 2
    assert Claim.objects.filter(state=Claim.State.UNDER_REVIEW).count() == 2
    assert ClaimEvent.objects.filter(to_state="approved").count() == 4


@pytest.mark.django_db(transaction=True)
def test_a_doubled_payment_request_pays_once(tree, staff, this_year):
    # given: an approved claim, and the pay button pressed twice at once (two keys)
    from tests.welfare.factories import LineFactory, PlanFactory

    line = LineFactory(plan=PlanFactory(union=tree.city, year=this_year))
    enrolment = EnrolmentFactory(member=MemberFactory(union=tree.zhili_factory), line=line)
    claim = ClaimFactory(
        enrolment=enrolment, state=Claim.State.APPROVED, allowed_amount=D("2500.00")
    )
    clerk = staff["city_admin"]
    # when
    results = run_together(
        *[
            (lambda k=k: services.claim_pay(claim=claim, idempotency_key=k, by=clerk))
            for k in ("press-1", "press-2", "press-1", "press-3")
        ]
    )
    # then: one payout; every request got that same payout back, one of them as created
    assert not any(isinstance(r, Exception) for r in results), results
    assert Payout.objects.count() == 1
    payout = Payout.objects.get()
    assert {r[0].pk for r in results} == {payout.pk}
    assert [r[1] for r in results].count(True) == 1
    assert payout.amount == D("2500.00")
    assert ClaimEvent.objects.filter(claim=claim, to_state="paid").count() == 1
    claim.refresh_from_db()
    assert claim.state == Claim.State.PAID
    assert payout.paid_on == timezone.localdate()


@pytest.mark.django_db(transaction=True)
def test_two_clerks_paying_aid_from_one_fund_at_once_never_overspend_it(tree, staff):
    # given: a 5,000 fund and two cases of 3,000 each
    from tests.welfare.factories import FundFactory
    from welfare.models import HardshipCase

    fund = FundFactory(union=tree.zhili, amount=D("5000.00"))
    cases = [
        services.hardship_case_open(
            member=MemberFactory(union=tree.zhili_factory),
            category="illness",
            assessed_on=dt.date(2024, 3, 1),
            by=staff["township_admin"],
        )
        for _ in range(2)
    ]
    # when
    results = run_together(
        *[
            (
                lambda c=c, by=by: services.hardship_aid_pay(
                    case=c, amount=D("3000"), fund=fund, paid_on=dt.date(2024, 3, 5), by=by
                )
            )
            for c, by in zip(cases, (staff["township_admin"], staff["district_admin"]), strict=True)
        ]
    )
    # then
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert services.fund_balance(fund) == D("2000.00")
    assert HardshipCase.objects.filter(aid_amount=D("3000.00")).count() == 1
