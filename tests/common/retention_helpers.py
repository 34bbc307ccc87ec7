"""Dates and makers for the retention tests (issue 16); the fixtures are in conftest.py."""

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from members import crypto
from members.models import Member
from tests.factories import MemberFactory
from welfare.models import BankCard, Claim, ClaimReceipt, Concern

TODAY = dt.date(2026, 6, 1)  # three years back: 2023-06-01
COURIER = Member.EmploymentForm.COURIER


def aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def left(member_kwargs, left_on):
    return MemberFactory(status=Member.Status.LEFT, left_on=left_on, **member_kwargs)


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"


def receipt(claim: Claim, original_name: str, tag: bytes) -> ClaimReceipt:
    data = PDF + tag
    row = ClaimReceipt(
        claim=claim,
        content_type=ClaimReceipt.Kind.PDF,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=original_name,
    )
    row.file.save("receipt", ContentFile(data), save=False)
    row.save()
    return row


def card(member: Member, number: str) -> BankCard:
    return BankCard.objects.create(
        person_hash=member.id_number_hash,
        holder_name=member.name,
        bank_name="中国工商银行湖州分行",
        card_number_encrypted=crypto.encrypt_id_number(number),
        card_number_masked=f"{number[:4]} **** **** {number[-4:]}",
    )


def concern(member: Member | None, union, raised: dt.date, answered: dt.date | None) -> Concern:
    return Concern.objects.create(
        member=member,
        raised_by_name=member.name if member else "李四",
        contact=member.phone if member else "13700001111",
        channel=Concern.Channel.HOTLINE,
        union=union,
        subject="工资被拖欠三个月",
        body="我在织里镇某童装厂上班，住在织里镇大河路8号，老板拖欠工资。",
        raised_at=aware(raised),
        due_at=aware(raised + dt.timedelta(days=15)),
        status=Concern.Status.ANSWERED if answered else Concern.Status.OPEN,
        answer="已联系企业，工资已于本月补发。" if answered else "",
        answered_at=aware(answered) if answered else None,
    )
