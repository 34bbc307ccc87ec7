"""Data for the retention tests (issue 16): people who left at various times, their claims, and
the records beyond the registry (receipts, concerns, hardship cases, bank cards, sign-in data)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session

from members import services
from members.actors import system
from portal.models import PortalAccount, PortalDevice, RateHit, SmsCode, SmsMessage
from tests.common.retention_helpers import COURIER, aware, card, concern, left, receipt
from tests.factories import MemberFactory, make_id_number
from tests.welfare.factories import ClaimFactory, EnrolmentFactory, LineFactory, PlanFactory
from welfare.models import (
    Claim,
    ClaimEvent,
    HardshipCase,
    Payout,
)


@pytest.fixture
def people(tree):
    union = tree.zhili_factory
    twice = make_id_number()
    # One courier who joined twice in 2018 (one person for the figures), both memberships long over.
    first = left(
        {
            "id_number": twice,
            "union": union,
            "employment_form": COURIER,
            "joined_on": dt.date(2018, 2, 1),
        },
        dt.date(2018, 5, 1),
    )
    second = left(
        {
            "id_number": twice,
            "union": union,
            "employment_form": COURIER,
            "joined_on": dt.date(2018, 8, 1),
        },
        dt.date(2019, 3, 1),
    )
    other = left(
        {
            "union": tree.shuanglin_factory,
            "employment_form": COURIER,
            "joined_on": dt.date(2018, 4, 1),
        },
        dt.date(2020, 2, 1),
    )
    # Paid mutual aid in 2019: the payout is an accounting voucher for 30 years.
    paid = left({"union": union, "joined_on": dt.date(2016, 1, 1)}, dt.date(2020, 1, 1))
    recent = left({"union": union, "joined_on": dt.date(2017, 1, 1)}, dt.date(2024, 1, 1))
    active = MemberFactory(union=union, joined_on=dt.date(2015, 1, 1))
    # A person who left long ago but rejoined: still a member, so neither row is touched.
    back = make_id_number()
    old_row = left(
        {"id_number": back, "union": union, "joined_on": dt.date(2014, 1, 1)}, dt.date(2016, 1, 1)
    )
    rejoined = MemberFactory(id_number=back, union=union, joined_on=dt.date(2021, 1, 1))
    # A change while they were members: a history row holding the phone.
    services.member_update(member=first, data={"phone": "13911112222"}, by=system("test"))
    return {
        "first": first,
        "second": second,
        "other": other,
        "paid": paid,
        "recent": recent,
        "active": active,
        "old_row": old_row,
        "rejoined": rejoined,
    }


@pytest.fixture
def claims(tree, people):
    line = LineFactory(plan=PlanFactory(union=tree.city, year=2019))
    paid_claim = ClaimFactory(
        enrolment=EnrolmentFactory(member=people["paid"], line=line),
        state=Claim.State.PAID,
        diagnosis="急性阑尾炎",
    )
    Payout.objects.create(
        claim=paid_claim,
        union=paid_claim.union,
        amount=Decimal("2500.00"),
        idempotency_key="retention-paid",
        paid_on=dt.date(2019, 6, 1),
        paid_at=aware(dt.date(2019, 6, 1)),
    )
    old_rejected = ClaimFactory(
        enrolment=EnrolmentFactory(member=people["first"], line=line),
        state=Claim.State.REJECTED,
        rejection_reason="住院期间未参保（糖尿病并发症）",
        diagnosis="2型糖尿病",
        decided_at=aware(dt.date(2020, 3, 1)),
        submitted_at=aware(dt.date(2020, 2, 1)),
    )
    ClaimEvent.objects.create(
        claim=old_rejected,
        at=aware(dt.date(2020, 3, 1)),
        from_state=Claim.State.UNDER_REVIEW,
        to_state=Claim.State.REJECTED,
        amount=Decimal("0"),
        note="诊断为2型糖尿病",
    )
    recent_rejected = ClaimFactory(
        enrolment=EnrolmentFactory(member=people["recent"], line=line),
        state=Claim.State.REJECTED,
        rejection_reason="超过申请期限",
        diagnosis="骨折",
        decided_at=aware(dt.date(2025, 3, 1)),
    )
    return {"paid": paid_claim, "old": old_rejected, "recent": recent_rejected}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def records(tree, people, claims, media):
    """What the registry's neighbours hold of the same people (see the README's retention
    table): a de-identified person is `first`/`second`, `other` and `paid`; `active`, `recent`
    stay."""
    union = tree.zhili_factory
    first, other, paid, active = people["first"], people["other"], people["paid"], people["active"]
    receipts = {
        "old": receipt(claims["old"], "张三住院发票.pdf", b"old"),
        "paid": receipt(claims["paid"], "王五住院发票.pdf", b"paid"),
        "recent": receipt(claims["recent"], "赵六住院发票.pdf", b"recent"),
    }
    cards = {
        "first": card(first, "6222021234567890123"),
        "paid": card(paid, "6222029876543210987"),
        "other": card(other, "6228481234567890"),
        "active": card(active, "6217001234567890"),
    }
    # The 2019 payout went to `paid`'s card: a voucher until 2049.
    Claim.objects.filter(pk=claims["paid"].pk).update(bank_card=cards["paid"])
    hardship = {
        "refused": HardshipCase.objects.create(
            member=first,
            union=union,
            category=HardshipCase.Category.DISASTER,
            status=HardshipCase.Status.REFUSED,
            applied_on=dt.date(2018, 4, 1),
            application="家中失火，现借住在织里镇大河路8号亲戚家。",
            refusal_reason="家庭人均收入高于认定标准",
        ),
        # Hardship aid paid in 2019 to `other`'s card: a voucher, like a payout.
        "aided": HardshipCase.objects.create(
            member=other,
            union=tree.shuanglin_factory,
            category=HardshipCase.Category.ILLNESS,
            status=HardshipCase.Status.ASSESSED,
            application="本人患尿毒症，每周透析三次。",
            assessed_on=dt.date(2019, 5, 1),
            assessment="患尿毒症，家庭收入低于标准，认定为困难职工。",
            aid_amount=Decimal("3000.00"),
            aid_paid_on=dt.date(2019, 6, 1),
            bank_card=cards["other"],
        ),
        "active": HardshipCase.objects.create(
            member=active,
            union=union,
            category=HardshipCase.Category.ILLNESS,
            status=HardshipCase.Status.ASSESSED,
            application="本人患白血病。",
            assessed_on=dt.date(2019, 5, 1),
            assessment="患白血病，认定为困难职工。",
        ),
    }
    concerns = {
        "first": concern(first, union, dt.date(2018, 4, 2), dt.date(2018, 4, 10)),
        "active": concern(active, union, dt.date(2019, 4, 2), dt.date(2019, 4, 10)),
        "nobody_old": concern(None, union, dt.date(2019, 4, 2), dt.date(2019, 4, 10)),
        "nobody_recent": concern(None, union, dt.date(2023, 5, 20), dt.date(2023, 6, 2)),
        "nobody_open": concern(None, union, dt.date(2019, 4, 2), None),
    }
    return {"receipts": receipts, "cards": cards, "hardship": hardship, "concerns": concerns}


@pytest.fixture
def sign_in_data(db):
    """The portal's sign-in data and staff sessions, each kind once past its time (counted back
    from TODAY) and once within it."""

    def at(day: dt.date) -> dt.datetime:
        return aware(day)

    rows = {
        "code_old": SmsCode.objects.create(
            phone="13800000001",
            purpose=SmsCode.Purpose.SIGN_IN,
            code_hash="a" * 64,
            created_at=at(dt.date(2026, 4, 30)),
            expires_at=at(dt.date(2026, 4, 30)),
        ),
        "code_new": SmsCode.objects.create(
            phone="13800000001",
            purpose=SmsCode.Purpose.SIGN_IN,
            code_hash="b" * 64,
            created_at=at(dt.date(2026, 5, 20)),
            expires_at=at(dt.date(2026, 5, 20)),
        ),
        "hit_old": RateHit.objects.create(
            key="sms:13800000001", window_start=at(dt.date(2026, 4, 30))
        ),
        "hit_new": RateHit.objects.create(
            key="sms:13800000001", window_start=at(dt.date(2026, 5, 20))
        ),
        "sms_old": SmsMessage.objects.create(phone="13800000001", body="验证码123456", backend="x"),
        "sms_new": SmsMessage.objects.create(phone="13800000001", body="验证码654321", backend="x"),
    }
    SmsMessage.objects.filter(pk=rows["sms_old"].pk).update(sent_at=at(dt.date(2025, 12, 1)))
    SmsMessage.objects.filter(pk=rows["sms_new"].pk).update(sent_at=at(dt.date(2025, 12, 10)))
    account = PortalAccount.objects.create(person_hash="c" * 64)
    for key, last_seen, until in (
        ("device_old", dt.date(2025, 5, 1), dt.date(2025, 5, 31)),
        ("device_used", dt.date(2025, 7, 1), dt.date(2025, 7, 31)),
    ):
        rows[key] = PortalDevice.objects.create(
            account=account,
            device_digest=key.ljust(64, "0"),
            last_seen_at=at(last_seen),
            signed_in_until=at(until),
        )
    PortalDevice.objects.filter(account=account).update(bound_at=at(dt.date(2024, 1, 1)))
    for key, expires in (
        ("session_old", dt.date(2026, 5, 30)),
        ("session_new", dt.date(2026, 6, 2)),
    ):
        rows[key] = Session.objects.create(
            session_key=key.ljust(32, "x"), session_data="", expire_date=at(expires)
        )
    return rows
