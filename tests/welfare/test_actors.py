"""Who acts is a type: staff act in their tree, a member only on their own claims, the system
anywhere; a member cannot reach a staff service, and no service guesses its actor."""

import datetime as dt
import inspect
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members.actors import MemberActor, system
from tests.factories import MemberFactory
from tests.welfare.factories import ClaimFactory, EnrolmentFactory
from welfare.models import Claim
from welfare.services import assistance, mutual_aid

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 16


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def stay(line):
    year = line.plan.year
    return {
        "admitted_on": dt.date(year, 4, 1),
        "discharged_on": dt.date(year, 4, 8),
        "hospital": "湖州市中心医院",
        "category": "inpatient",
        "total_expenses": Decimal("9000"),
        "eligible_expenses": Decimal("7000"),
    }


def test_a_member_applies_for_themselves_only(enrolment):
    # when: the member signed in applies on their line
    claim = mutual_aid.claim_apply(
        by=MemberActor(enrolment.member),
        line=enrolment.line,
        receipts=[("a.png", PNG)],
        **stay(enrolment.line),
    )
    # then: the claim is theirs, and the event says the member filed it
    assert claim.member == enrolment.member
    assert claim.events.get().by_member is True


def test_a_member_cannot_withdraw_or_add_receipts_to_someone_elses_claim(enrolment, tree):
    claim = ClaimFactory(enrolment=enrolment)
    someone = MemberActor(MemberFactory(union=tree.zhili_factory))
    with pytest.raises(PermissionDenied):
        mutual_aid.claim_withdraw(claim=claim, by=someone)
    with pytest.raises(PermissionDenied):
        mutual_aid.receipt_upload(claim=claim, upload=("b.png", PNG), by=someone)
    claim.refresh_from_db()
    assert claim.state == Claim.State.SUBMITTED and claim.receipts.count() == 0
    mutual_aid.claim_withdraw(claim=claim, by=MemberActor(enrolment.member))
    claim.refresh_from_db()
    assert claim.state == Claim.State.WITHDRAWN


def test_a_member_cannot_use_a_staff_service(enrolment):
    me = MemberActor(enrolment.member)
    claim = ClaimFactory(enrolment=enrolment, state="under_review")
    with pytest.raises(PermissionDenied):
        mutual_aid.claim_approve(claim=claim, by=me)
    with pytest.raises(PermissionDenied):
        mutual_aid.claim_submit(enrolment=enrolment, by=me, **stay(enrolment.line))
    with pytest.raises(PermissionDenied):
        assistance.hardship_case_open(
            member=enrolment.member, category="illness", assessed_on=dt.date(2024, 1, 1), by=me
        )
    claim.refresh_from_db()
    assert claim.state == Claim.State.UNDER_REVIEW and Claim.objects.count() == 1


def test_the_system_acts_anywhere(line, tree):
    enrolment = EnrolmentFactory(member=MemberFactory(union=tree.shuanglin_factory), line=line)
    claim = mutual_aid.claim_submit(enrolment=enrolment, by=system("test"), **stay(line))
    assert claim.events.get().by is None


def test_a_member_withdrawing_is_refused_once_the_claim_is_closed(enrolment):
    claim = ClaimFactory(enrolment=enrolment, state="paid")
    with pytest.raises(ValidationError, match="当前状态"):
        mutual_aid.claim_withdraw(claim=claim, by=MemberActor(enrolment.member))


SERVICES = [
    (module, name, func)
    for module in (mutual_aid, assistance)
    for name, func in vars(module).items()
    if inspect.isfunction(func)
    and func.__module__ == module.__name__
    and not name.startswith(("_", "require_"))
    and "by" in inspect.signature(func).parameters
]


@pytest.mark.parametrize(
    ("module", "name", "func"), SERVICES, ids=lambda v: getattr(v, "__name__", v)
)
def test_every_service_names_its_actor_with_no_default(module, name, func):
    by = inspect.signature(func).parameters["by"]
    assert by.default is inspect.Parameter.empty, name
    assert by.kind is inspect.Parameter.KEYWORD_ONLY, name
    assert "None" not in str(by.annotation), name


def test_the_slice_has_its_services():
    # every write of the slice has an actor-taking service of its own
    names = {name for _, name, _ in SERVICES}
    assert {
        "plan_create",
        "plan_update",
        "benefit_line_create",
        "benefit_line_update",
        "enrolment_create",
        "claim_submit",
        "claim_apply",
        "claim_withdraw",
        "receipt_upload",
        "claim_pay",
        "assistance_fund_raise",
        "assistance_fund_update",
        "hardship_case_open",
        "hardship_aid_pay",
        "visit_record",
    } <= names
