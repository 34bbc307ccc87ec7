"""Retention beyond the registry (issue 16, PIPL art. 47): receipts of claims not paid, concerns,
hardship cases, bank cards, and the sweeps apps plug in (the portal's sign-in data), in the same
transaction, dry run and report as the rest; vouchers within 30 years are kept."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session

from common import retention, retention_records
from common.retention import DEIDENTIFIED_NAME, DEIDENTIFIED_TEXT, deidentify_expired
from members.models import Member
from portal import retention as portal_retention
from portal.models import PortalDevice, RateHit, SmsCode, SmsMessage
from tests.common.retention_helpers import TODAY, aware
from welfare.models import BankCard, ClaimReceipt, Concern, HardshipCase

pytestmark = pytest.mark.django_db

LATER = dt.date(2049, 6, 2)  # the 2019 payments are 30 years old


def files_under(root) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


# --- receipts -----------------------------------------------------------------------------------


def test_a_receipt_of_a_claim_not_paid_loses_its_file_once_the_run_commits(
    records, media, django_capture_on_commit_callbacks
):
    old, paid, recent = (records["receipts"][k] for k in ("old", "paid", "recent"))
    path = media / old.file.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = deidentify_expired(today=TODAY)
        row = ClaimReceipt.objects.get(pk=old.pk)
        assert (row.file.name, row.original_name) == ("", DEIDENTIFIED_TEXT)
        assert path.exists()  # not before the commit
    for callback in callbacks:
        callback()

    assert report.receipt_files == 1
    assert not path.exists()
    assert (row.sha256, row.size, row.content_type) == (old.sha256, old.size, old.content_type)
    # a paid claim's receipt is a voucher, a recent rejection's is within its time
    for kept in (paid, recent):
        row = ClaimReceipt.objects.get(pk=kept.pk)
        assert (row.file.name, row.original_name) == (kept.file.name, kept.original_name)
        assert (media / kept.file.name).read_bytes().startswith(b"%PDF")


def test_a_run_that_fails_half_way_loses_no_receipt_file(
    records, media, monkeypatch, django_capture_on_commit_callbacks
):
    before = files_under(media)
    rows = list(ClaimReceipt.objects.order_by("pk").values())

    def broken(report, today):
        raise RuntimeError("disk full")

    monkeypatch.setattr(retention_records, "bank_cards", broken)  # a step after the receipts
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        deidentify_expired(today=TODAY)

    assert files_under(media) == before
    assert list(ClaimReceipt.objects.order_by("pk").values()) == rows
    assert Member.objects.filter(deidentified_on__isnull=False).count() == 0


def test_a_dry_run_counts_the_receipts_and_keeps_their_files(
    records, media, django_capture_on_commit_callbacks
):
    before = files_under(media)
    rows = list(ClaimReceipt.objects.order_by("pk").values())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dry = deidentify_expired(today=TODAY, dry_run=True)

    assert dry.receipt_files == 1 and callbacks == []
    assert files_under(media) == before
    assert list(ClaimReceipt.objects.order_by("pk").values()) == rows


# --- concerns and hardship cases ------------------------------------------------------------------


def test_concerns_of_a_de_identified_member_or_of_nobody_long_answered_lose_their_text(records):
    concerns = records["concerns"]
    untouched = ["active", "nobody_recent", "nobody_open"]
    before = {k: Concern.objects.filter(pk=concerns[k].pk).values().get() for k in untouched}

    report = deidentify_expired(today=TODAY)

    assert report.concerns == 2
    for key in ("first", "nobody_old"):
        row = Concern.objects.get(pk=concerns[key].pk)
        assert (row.raised_by_name, row.contact, row.subject, row.body, row.answer) == (
            DEIDENTIFIED_NAME,
            "",
            DEIDENTIFIED_TEXT,
            DEIDENTIFIED_TEXT,
            DEIDENTIFIED_TEXT,
        )
        # what the answered-in-time figures read stays
        original = concerns[key]
        assert (row.raised_at, row.due_at, row.answered_at, row.status, row.union_id) == (
            original.raised_at,
            original.due_at,
            original.answered_at,
            original.status,
            original.union_id,
        )
    assert {k: Concern.objects.filter(pk=concerns[k].pk).values().get() for k in untouched} == (
        before
    )
    others = Concern.objects.exclude(pk__in=[concerns[k].pk for k in untouched])
    assert not others.filter(body__contains="大河路").exists()


def test_hardship_cases_lose_their_text_and_a_paid_case_waits_for_its_voucher_period(records):
    cases = records["hardship"]
    before_active = HardshipCase.objects.filter(pk=cases["active"].pk).values().get()

    report = deidentify_expired(today=TODAY)

    assert report.hardship_cases == 1
    refused = HardshipCase.objects.get(pk=cases["refused"].pk)
    assert (refused.application, refused.refusal_reason, refused.assessment) == (
        DEIDENTIFIED_TEXT,
        DEIDENTIFIED_TEXT,
        "",
    )
    assert (refused.status, refused.category, refused.applied_on) == (
        HardshipCase.Status.REFUSED,
        HardshipCase.Category.DISASTER,
        dt.date(2018, 4, 1),
    )
    # aid paid in 2019 is an accounting voucher: the case and the payee's name stay whole
    aided = HardshipCase.objects.get(pk=cases["aided"].pk)
    assert aided.assessment == cases["aided"].assessment
    assert Member.objects.get(pk=cases["aided"].member_id).name == cases["aided"].member.name
    assert HardshipCase.objects.filter(pk=cases["active"].pk).values().get() == before_active

    later = deidentify_expired(today=LATER)

    assert later.hardship_cases == 1
    aided = HardshipCase.objects.get(pk=cases["aided"].pk)
    assert (aided.application, aided.assessment) == (DEIDENTIFIED_TEXT, DEIDENTIFIED_TEXT)
    assert (aided.aid_amount, aided.aid_paid_on) == (Decimal("3000.00"), dt.date(2019, 6, 1))
    assert Member.objects.get(pk=cases["aided"].member_id).name == DEIDENTIFIED_NAME


# --- bank cards -------------------------------------------------------------------------------------


def test_a_de_identified_persons_bank_card_is_emptied_unless_paid_to_within_30_years(
    records, people
):
    cards = records["cards"]
    before_active = BankCard.objects.filter(pk=cards["active"].pk).values().get()

    report = deidentify_expired(today=TODAY)

    assert (report.bank_cards, report.bank_cards_kept_for_vouchers) == (1, 2)
    first = BankCard.objects.get(pk=cards["first"].pk)
    assert (first.holder_name, first.card_number_encrypted, first.card_number_masked) == (
        DEIDENTIFIED_NAME,
        "",
        "",
    )
    assert first.bank_name == "中国工商银行湖州分行" and first.replaced_at is not None
    # keyed by the person's token like their memberships: nothing leads back to the ID number
    assert first.person_hash == Member.objects.get(pk=people["first"].pk).id_number_hash
    assert first.person_hash.startswith("deid:")
    # paid to in 2019 (a mutual-aid payout, hardship aid): vouchers, kept whole but re-keyed
    for key in ("paid", "other"):
        kept = BankCard.objects.get(pk=cards[key].pk)
        assert kept.card_number_encrypted == cards[key].card_number_encrypted
        assert kept.person_hash == Member.objects.get(pk=people[key].pk).id_number_hash
    assert BankCard.objects.filter(pk=cards["active"].pk).values().get() == before_active

    later = deidentify_expired(today=LATER)

    assert later.bank_cards == 2
    assert set(
        BankCard.objects.filter(person_hash__startswith="deid:").values_list(
            "card_number_encrypted", flat=True
        )
    ) == {""}
    assert deidentify_expired(today=LATER).bank_cards == 0


# --- sweeps apps plug in: the portal's sign-in data, and staff sessions ----------------------------


def test_the_portal_sweep_deletes_sign_in_data_past_its_time(sign_in_data):
    report = deidentify_expired(today=TODAY)

    gone = ["code_old", "hit_old", "sms_old", "device_old", "session_old"]
    kept = ["code_new", "hit_new", "sms_new", "device_used", "session_new"]
    models = {
        "code": SmsCode,
        "hit": RateHit,
        "sms": SmsMessage,
        "device": PortalDevice,
        "session": Session,
    }

    def exists(key: str) -> bool:
        return models[key.split("_")[0]].objects.filter(pk=sign_in_data[key].pk).exists()

    assert [k for k in gone if exists(k)] == []
    assert [k for k in kept if not exists(k)] == []
    assert report.swept == {
        "会员服务短信验证码（满30天）": 1,
        "访问频率计数（满30天）": 1,
        "短信发送记录（满180天）": 1,
        "会员服务登录设备（365天未使用）": 1,
    }
    assert report.sessions == 1
    assert "短信发送记录（满180天）1条" in report.summary()
    again = deidentify_expired(today=TODAY)
    assert not again.anything and set(again.swept.values()) == {0}


def test_a_dry_run_counts_the_sweeps_and_deletes_nothing(sign_in_data):
    dry = deidentify_expired(today=TODAY, dry_run=True)

    assert dry.anything and sum(dry.swept.values()) == 4 and dry.sessions == 1
    assert SmsCode.objects.count() == 2 and PortalDevice.objects.count() == 2
    assert SmsMessage.objects.count() == 2 and Session.objects.count() == 2


def test_the_portal_plugs_its_sweep_in_once():
    assert retention._sweeps.count(portal_retention.sweep) == 1
    retention.register_sweep(portal_retention.sweep)
    assert retention._sweeps.count(portal_retention.sweep) == 1


def test_a_registered_sweep_writes_in_the_runs_transaction(monkeypatch):
    def sweep(today):
        RateHit.objects.create(key=f"sweep:{today}", window_start=aware(today), count=1)
        return {"测试数据": 1}

    monkeypatch.setattr(retention, "_sweeps", [sweep])

    dry = deidentify_expired(today=TODAY, dry_run=True)

    assert dry.swept == {"测试数据": 1} and dry.anything
    assert not RateHit.objects.exists()  # rolled back with the rest of the dry run
    assert deidentify_expired(today=TODAY).swept == {"测试数据": 1}
    assert RateHit.objects.get().key == f"sweep:{TODAY}"


def test_everything_at_once_a_second_run_finds_nothing(records, sign_in_data):
    first = deidentify_expired(today=TODAY)
    assert first.anything
    again = deidentify_expired(today=TODAY)
    assert not again.anything
    assert (again.receipt_files, again.concerns, again.hardship_cases, again.bank_cards) == (
        0,
        0,
        0,
        0,
    )
