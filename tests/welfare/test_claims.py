"""A claim's life: submitted → under review → approved → paid, or rejected / withdrawn; every
change kept in its history; refused changes raise and change nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members.actors import MemberActor, system
from tests.factories import MemberFactory
from tests.welfare.factories import EnrolmentFactory
from welfare import selectors, services
from welfare.models import Claim, ClaimEvent

pytestmark = pytest.mark.django_db
D = Decimal


def submit(enrolment, eligible="6000.00", total="8000.00", **kwargs):
    year = enrolment.line.plan.year
    kwargs.setdefault("by", system("test"))
    return services.claim_submit(
        enrolment=enrolment,
        admitted_on=kwargs.pop("admitted_on", dt.date(year, 3, 1)),
        discharged_on=kwargs.pop("discharged_on", dt.date(year, 3, 6)),
        hospital="湖州市中心医院",
        category=Claim.Category.INPATIENT,
        total_expenses=D(total),
        eligible_expenses=D(eligible),
        **kwargs,
    )


def snapshot(claim):
    claim.refresh_from_db()
    return (claim.state, claim.allowed_amount, claim.rejection_reason, claim.events.count())


def test_submitting_estimates_the_amount_and_records_the_first_event(enrolment, staff):
    # given / when
    claim = submit(enrolment, by=staff["township_admin"])
    # then: (6000 − 1000) × 0.5
    assert claim.state == Claim.State.SUBMITTED
    assert claim.allowed_amount == D("2500.00")
    assert claim.union == enrolment.union
    events = list(claim.events.values_list("from_state", "to_state", "amount"))
    assert events == [("", "submitted", D("2500.00"))]


def test_the_full_path_is_kept_in_the_history_with_who_and_amount(enrolment, staff):
    # given
    reviewer = staff["township_admin"]
    claim = submit(enrolment, by=reviewer)
    # when
    services.claim_start_review(claim=claim, by=reviewer)
    services.claim_approve(claim=claim, by=reviewer)
    payout, created = services.claim_pay(claim=claim, idempotency_key="k-1", by=staff["city_admin"])
    # then
    claim.refresh_from_db()
    assert claim.state == Claim.State.PAID
    assert created and payout.amount == D("2500.00")
    history = [
        (e.from_state, e.to_state, e.amount, e.by.username if e.by else None)
        for e in selectors.claim_history(claim=claim)
    ]
    assert history == [
        ("", "submitted", D("2500.00"), "zhili"),
        ("submitted", "under_review", D("2500.00"), "zhili"),
        ("under_review", "approved", D("2500.00"), "zhili"),
        ("approved", "paid", D("2500.00"), "city"),
    ]
    assert all(e.at is not None for e in claim.events.all())


def test_approval_fixes_the_amount_against_the_cap_already_partly_used(enrolment, staff):
    # given: a first claim approved for 7,000 (eligible 15,000)
    reviewer = staff["township_admin"]
    first = submit(enrolment, eligible="15000.00", total="20000.00", by=reviewer)
    services.claim_start_review(claim=first, by=reviewer)
    services.claim_approve(claim=first, by=reviewer)
    second = submit(enrolment, eligible="9000.00", total="9000.00", by=reviewer)
    assert second.allowed_amount == D("3000.00")  # the estimate already sees the cap
    services.claim_start_review(claim=second, by=reviewer)
    # when
    services.claim_approve(claim=second, by=reviewer)
    # then: 4,000 by the rate, 3,000 left under the cap
    second.refresh_from_db()
    assert second.allowed_amount == D("3000.00")
    assert second.events.last().amount == D("3000.00")


def test_exactly_at_the_cap_is_approved_in_full(enrolment, staff):
    reviewer = staff["township_admin"]
    claim = submit(enrolment, eligible="21000.00", total="25000.00", by=reviewer)
    services.claim_start_review(claim=claim, by=reviewer)
    services.claim_approve(claim=claim, by=reviewer)
    claim.refresh_from_db()
    assert claim.allowed_amount == D("10000.00")


def test_approval_is_refused_once_the_cap_is_used_up(enrolment, staff):
    # given: the whole cap granted
    reviewer = staff["township_admin"]
    first = submit(enrolment, eligible="30000.00", total="30000.00", by=reviewer)
    services.claim_start_review(claim=first, by=reviewer)
    services.claim_approve(claim=first, by=reviewer)
    second = submit(enrolment, eligible="5000.00", total="5000.00", by=reviewer)
    services.claim_start_review(claim=second, by=reviewer)
    before = snapshot(second)
    # when / then
    with pytest.raises(ValidationError, match="封顶"):
        services.claim_approve(claim=second, by=reviewer)
    assert snapshot(second) == before
    assert second.allowed_amount == D("0.00")


def test_a_claim_below_the_deductible_cannot_be_approved_and_is_rejected_instead(enrolment, staff):
    reviewer = staff["township_admin"]
    claim = submit(enrolment, eligible="800.00", total="900.00", by=reviewer)
    assert claim.allowed_amount == D("0.00")
    services.claim_start_review(claim=claim, by=reviewer)
    before = snapshot(claim)
    with pytest.raises(ValidationError, match="起付线"):
        services.claim_approve(claim=claim, by=reviewer)
    assert snapshot(claim) == before
    # when
    services.claim_reject(claim=claim, reason="未达起付线", by=reviewer)
    # then
    claim.refresh_from_db()
    assert (claim.state, claim.rejection_reason) == ("rejected", "未达起付线")
    assert claim.events.last().note == "未达起付线"


def test_rejected_claims_do_not_use_the_cap(enrolment, staff):
    reviewer = staff["township_admin"]
    rejected = submit(enrolment, eligible="30000.00", total="30000.00", by=reviewer)
    services.claim_reject(claim=rejected, reason="材料不实", by=reviewer)
    claim = submit(enrolment, eligible="5000.00", total="5000.00", by=reviewer)
    assert claim.allowed_amount == D("2000.00")


def test_a_person_who_rejoined_shares_one_cap_across_both_memberships(line, tree, staff):
    # given: the same ID number, a left membership and an active one, each enrolled
    reviewer = staff["city_admin"]
    old = MemberFactory(union=tree.zhili_factory, id_number="330502199005170013")
    old.status, old.left_on = "left", dt.date(2020, 6, 1)
    old.save()
    new = MemberFactory(union=tree.shuanglin_factory, id_number="330502199005170013")
    first = submit(EnrolmentFactory(member=old, line=line), eligible="17000.00", total="17000.00")
    services.claim_start_review(claim=first, by=reviewer)
    services.claim_approve(claim=first, by=reviewer)
    # when
    claim = submit(EnrolmentFactory(member=new, line=line), eligible="9000.00", total="9000.00")
    services.claim_start_review(claim=claim, by=reviewer)
    services.claim_approve(claim=claim, by=reviewer)
    # then: 8,000 + 2,000 = the 10,000 cap
    claim.refresh_from_db()
    assert claim.allowed_amount == D("2000.00")


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("submitted", "approve"),
        ("under_review", "start_review"),
        ("approved", "start_review"),
        ("approved", "reject"),
        ("approved", "withdraw"),
        ("approved", "approve"),
        ("paid", "reject"),
        ("paid", "withdraw"),
        ("rejected", "approve"),
        ("rejected", "start_review"),
        ("withdrawn", "start_review"),
        ("withdrawn", "approve"),
        ("withdrawn", "reject"),
    ],
)
def test_refused_transitions_raise_and_change_nothing(enrolment, staff, state, action):
    # given: a claim brought to `state` through the services
    reviewer = staff["township_admin"]
    claim = submit(enrolment, by=reviewer)
    if state in ("under_review", "approved", "paid"):
        services.claim_start_review(claim=claim, by=reviewer)
    if state in ("approved", "paid"):
        services.claim_approve(claim=claim, by=reviewer)
    if state == "paid":
        services.claim_pay(claim=claim, idempotency_key="k", by=reviewer)
    if state == "rejected":
        services.claim_reject(claim=claim, reason="材料不全", by=reviewer)
    if state == "withdrawn":
        services.claim_withdraw(claim=claim, by=MemberActor(enrolment.member))
    before = snapshot(claim)
    call = {
        "approve": lambda: services.claim_approve(claim=claim, by=reviewer),
        "start_review": lambda: services.claim_start_review(claim=claim, by=reviewer),
        "reject": lambda: services.claim_reject(claim=claim, reason="x", by=reviewer),
        "withdraw": lambda: services.claim_withdraw(claim=claim, by=MemberActor(enrolment.member)),
    }[action]
    # when / then
    with pytest.raises(ValidationError, match="当前状态"):
        call()
    assert snapshot(claim) == before


def test_rejecting_needs_a_reason(enrolment, staff):
    claim = submit(enrolment, by=staff["township_admin"])
    before = snapshot(claim)
    with pytest.raises(ValidationError, match="理由"):
        services.claim_reject(claim=claim, reason="  ", by=staff["township_admin"])
    assert snapshot(claim) == before


def test_a_member_withdraws_their_own_open_claim_but_not_someone_elses(enrolment, tree):
    claim = submit(enrolment, by=system("test"))
    stranger = MemberFactory(union=tree.zhili_factory)
    before = snapshot(claim)
    with pytest.raises(PermissionDenied, match="不存在或不在您的管辖范围内"):
        services.claim_withdraw(claim=claim, by=MemberActor(stranger))
    assert snapshot(claim) == before
    services.claim_withdraw(claim=claim, by=MemberActor(enrolment.member))
    claim.refresh_from_db()
    assert claim.state == "withdrawn"
    last = claim.events.last()
    assert (last.by, last.by_member, last.to_state) == (None, True, "withdrawn")


def test_staff_outside_the_tree_and_leadership_cannot_review(enrolment, staff):
    claim = submit(enrolment, by=staff["township_admin"])
    before = snapshot(claim)
    for user in (staff["nanxun_admin"], staff["leadership"]):
        with pytest.raises(PermissionDenied):
            services.claim_start_review(claim=claim, by=user)
    assert snapshot(claim) == before


def test_a_stay_outside_the_plan_period_or_before_enrolling_is_refused(enrolment, staff):
    year = enrolment.line.plan.year
    count = Claim.objects.count()
    with pytest.raises(ValidationError) as exc:
        submit(enrolment, admitted_on=dt.date(year - 1, 12, 30), discharged_on=dt.date(year, 1, 3))
    assert "admitted_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        submit(enrolment, eligible="9000.00", total="8000.00")
    assert "eligible_expenses" in exc.value.message_dict
    assert Claim.objects.count() == count
    assert ClaimEvent.objects.count() == 0


def test_a_claim_after_the_deadline_is_refused(enrolment):
    line = enrolment.line
    line.claim_deadline = dt.date(2000, 1, 1)
    line.save()
    with pytest.raises(ValidationError, match="截止"):
        submit(enrolment, by=system("test"))
    assert Claim.objects.count() == 0


def test_the_reviewers_queue_shows_open_claims_in_the_tree_oldest_first(enrolment, staff, tree):
    # given
    reviewer = staff["township_admin"]
    first = submit(enrolment, by=reviewer)
    second = submit(enrolment, by=reviewer)
    third = submit(enrolment, by=reviewer)
    services.claim_start_review(claim=third, by=reviewer)
    services.claim_reject(claim=second, reason="重复申请", by=reviewer)
    # then: under review first, then the rest by submission; nothing for 南浔
    assert list(selectors.claim_queue(viewer=reviewer)) == [third, first]
    assert list(selectors.claim_queue(viewer=staff["nanxun_admin"])) == []
