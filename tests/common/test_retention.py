"""Retention (issue 16, PIPL art. 47): what has passed its time in the README's table is
de-identified, never deleted, history tables included, and the figures of past years do not move."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from common.models import ImportBatch, ImportBatchChange
from common.retention import DEIDENTIFIED_NAME, DEIDENTIFIED_TEXT, deidentify_expired
from dashboard import services as dashboard_services
from dashboard.models import SnapshotValue
from members import crypto, services
from members.models import IdNumberAccess, Member
from tests.common.retention_helpers import COURIER, TODAY, aware
from tests.factories import make_staff
from welfare.models import Claim, Payout

pytestmark = pytest.mark.django_db


def snapshot(year: int) -> set:
    dashboard_services.rollup_year(year=year)
    rows = SnapshotValue.objects.filter(snapshot__year=year, snapshot__is_current=True)
    return {
        (key, code, value, str(months), last)
        for key, code, value, months, last in rows.values_list(
            "indicator__key", "union__code", "value", "months", "last_year_same_date"
        )
    }


def test_the_figures_of_past_years_are_the_same_before_and_after(tree, people, claims, records):
    # records: receipts, concerns, hardship cases (aid paid in 2019) and bank cards of the same
    # people, all de-identified by the run below
    before = {year: snapshot(year) for year in (2018, 2019)}
    gig_2018 = {
        (key, code): value
        for key, code, value, *_ in before[2018]
        if key == "new_gig_worker_members"
    }
    assert gig_2018[("new_gig_worker_members", tree.city.code)] == 2  # two persons, three rows

    report = deidentify_expired(today=TODAY)

    assert report.persons == 3 and report.members == 4
    assert (report.receipt_files, report.concerns, report.hardship_cases) == (1, 2, 1)
    assert report.bank_cards == 1
    assert {year: snapshot(year) for year in (2018, 2019)} == before


def test_a_member_who_left_long_ago_is_de_identified_history_included(tree, people, claims):
    deidentify_expired(today=TODAY)

    first = Member.objects.get(pk=people["first"].pk)
    second = Member.objects.get(pk=people["second"].pk)
    assert first.name == DEIDENTIFIED_NAME
    assert (first.phone, first.id_number_encrypted, first.id_number_masked) == ("", "", "")
    assert first.birth_date == people["first"].birth_date.replace(month=1, day=1)
    assert first.deidentified_on == TODAY
    # what the figures count stays, and one person stays one person
    assert (first.union, first.joined_on, first.left_on, first.gender) == (
        people["first"].union,
        people["first"].joined_on,
        people["first"].left_on,
        people["first"].gender,
    )
    assert first.employment_form_at_joining == COURIER
    assert first.id_number_hash == second.id_number_hash != people["first"].id_number_hash
    assert first.id_number_hash.startswith("deid:")
    assert first.id_number_hash != Member.objects.get(pk=people["other"].pk).id_number_hash
    # the history tables keep no copy of the name, phone or masked number
    rows = list(Member.history.filter(id=first.pk))
    assert len(rows) >= 2
    assert {(h.name, h.phone, h.id_number_masked) for h in rows} == {(DEIDENTIFIED_NAME, "", "")}
    assert not Member.history.filter(phone="13911112222").exists()


def test_active_recent_and_rejoined_members_are_untouched(tree, people, claims):
    keep = ["recent", "active", "old_row", "rejoined"]
    before = {k: Member.objects.filter(pk=people[k].pk).values().get() for k in keep}
    deidentify_expired(today=TODAY)
    after = {k: Member.objects.filter(pk=people[k].pk).values().get() for k in keep}
    assert after == before


def test_a_payouts_payee_keeps_the_name_and_the_paid_claim_stays_whole(tree, people, claims):
    deidentify_expired(today=TODAY)
    paid = Member.objects.get(pk=people["paid"].pk)
    assert paid.name == people["paid"].name  # a 2019 voucher: kept until 2049
    assert (paid.phone, paid.id_number_encrypted) == ("", "")
    claim = Claim.objects.get(pk=claims["paid"].pk)
    assert (claim.hospital, claim.diagnosis) == ("湖州市中心医院", "急性阑尾炎")
    assert Payout.objects.get(claim=claim).amount == Decimal("2500.00")

    # Thirty years on, the name goes too.
    later = deidentify_expired(today=dt.date(2049, 6, 2))
    assert later.names_released == 1
    assert Member.objects.get(pk=paid.pk).name == DEIDENTIFIED_NAME
    assert Member.history.filter(id=paid.pk).exclude(name=DEIDENTIFIED_NAME).count() == 0


def test_claims_not_paid_lose_their_personal_fields_after_three_years(tree, people, claims):
    deidentify_expired(today=TODAY)
    old = Claim.objects.get(pk=claims["old"].pk)
    assert (old.hospital, old.diagnosis, old.rejection_reason) == (
        DEIDENTIFIED_TEXT,
        "",
        DEIDENTIFIED_TEXT,
    )
    assert (old.total_expenses, old.state, old.admitted_on) == (
        claims["old"].total_expenses,
        Claim.State.REJECTED,
        claims["old"].admitted_on,
    )
    assert old.events.get().note == ""
    assert not Claim.history.filter(id=old.pk, diagnosis="2型糖尿病").exists()
    recent = Claim.objects.get(pk=claims["recent"].pk)
    assert (recent.diagnosis, recent.rejection_reason) == ("骨折", "超过申请期限")


def test_the_reveal_log_forgets_whose_number_after_three_years(tree, people, staff):
    viewer = staff["district_admin"]
    old = IdNumberAccess.objects.create(user=viewer, member=people["active"], channel="admin")
    new = IdNumberAccess.objects.create(user=viewer, member=people["active"], channel="admin")
    IdNumberAccess.objects.filter(pk=old.pk).update(accessed_at=aware(dt.date(2023, 5, 31)))
    IdNumberAccess.objects.filter(pk=new.pk).update(accessed_at=aware(dt.date(2023, 6, 2)))

    report = deidentify_expired(today=TODAY)

    assert report.reveal_log_entries == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.member, old.user, old.channel) == (None, viewer, "admin")
    assert new.member == people["active"]


def test_the_import_audit_keeps_the_batch_and_forgets_the_rows_after_three_years(tree, staff):
    old, new = (
        ImportBatch.objects.create(
            kind="roster", actor="吴兴区总工会管理员", sha256="ab" * 32, updated=1
        )
        for _ in range(2)
    )
    ImportBatch.objects.filter(pk=old.pk).update(started_at=aware(dt.date(2023, 5, 31)))
    ImportBatch.objects.filter(pk=new.pk).update(started_at=aware(dt.date(2023, 6, 2)))
    changed = [{"field": "手机号码", "before": "13800000000", "after": "13900000000"}]
    for batch in (old, new):
        ImportBatchChange.objects.create(
            batch=batch, row=2, record="张三（330502********0011）", changes=changed
        )

    report = deidentify_expired(today=TODAY)

    assert report.import_change_rows == 1
    gone = ImportBatchChange.objects.get(batch=old)
    assert (gone.record, gone.changes) == (DEIDENTIFIED_TEXT, [])
    old.refresh_from_db()
    assert (old.actor, old.sha256, old.updated) == ("吴兴区总工会管理员", "ab" * 32, 1)
    assert ImportBatchChange.objects.get(batch=new).changes == changed
    assert deidentify_expired(today=TODAY).import_change_rows == 0


def test_a_dry_run_writes_nothing_and_a_second_run_finds_nothing(tree, people, claims):
    members = list(Member.objects.order_by("pk").values())
    history = list(Member.history.order_by("history_id").values())
    claim_rows = list(Claim.objects.order_by("pk").values())

    dry = deidentify_expired(today=TODAY, dry_run=True)

    assert dry.members == 4 and dry.claims == 1 and dry.anything
    assert list(Member.objects.order_by("pk").values()) == members
    assert list(Member.history.order_by("history_id").values()) == history
    assert list(Claim.objects.order_by("pk").values()) == claim_rows

    deidentify_expired(today=TODAY)
    done = list(Member.objects.order_by("pk").values())
    again = deidentify_expired(today=TODAY)
    assert not again.anything
    assert list(Member.objects.order_by("pk").values()) == done


def test_a_de_identified_member_has_no_number_to_reveal_and_key_rotation_skips_it(
    tree, people, staff
):
    deidentify_expired(today=TODAY)
    viewer = make_staff(tree.city, username="revealer")
    viewer.is_superuser = True
    viewer.save()
    gone = Member.objects.get(pk=people["first"].pk)
    assert services.id_number_reveal(member=gone, viewer=viewer, channel="admin") == ""
    assert not IdNumberAccess.objects.filter(member=gone).exists()
    call_command("rotate_id_keys", stdout=StringIO())
    active = Member.objects.get(pk=people["active"].pk)
    assert crypto.decrypt_id_number(active.id_number_encrypted)
    assert Member.objects.get(pk=gone.pk).id_number_encrypted == ""


def test_the_command_and_the_nightly_beat_entry(tree, people):
    out = StringIO()
    call_command("deidentify_expired", "--dry-run", stdout=out)
    assert out.getvalue().startswith("（试运行，未写入）")
    assert Member.objects.filter(deidentified_on__isnull=False).count() == 0
    task = PeriodicTask.objects.get(task="common.tasks.deidentify_expired_task")
    assert task.enabled and task.crontab.hour == "3"
