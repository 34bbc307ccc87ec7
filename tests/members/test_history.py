"""Who changed what (issue 10.7): every change to an audited record is attributable (a staff
user, a member, or the system with its reason), with each field before → after; the history
page is scoped like the change page; an import is one batch, with no per-row history; the ID
ciphertext and hash are never copied into history."""

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.urls import reverse

from common.models import ImportBatch, ImportBatchChange
from members import services
from members.actors import MemberActor, system
from members.models import Member
from tests.factories import MemberFactory, make_id_number
from tests.members.helpers import roster_csv
from tests.members.test_import_members import run_import

pytestmark = pytest.mark.django_db


def latest_change(member: Member):
    record = member.history.latest()
    delta = record.diff_against(record.prev_record)
    return record, {c.field: (c.old, c.new) for c in delta.changes}


def test_a_change_through_a_service_records_the_clerk_and_each_field_before_after(tree, staff):
    # given
    member = MemberFactory(union=tree.zhili_factory, phone="13800000000")
    # when
    services.member_update(member=member, data={"phone": "13912345678"}, by=staff["district_admin"])
    # then
    record, changes = latest_change(member)
    assert record.history_user == staff["district_admin"]
    assert record.history_type == "~"
    assert changes == {"phone": ("13800000000", "13912345678")}


def test_a_members_own_change_is_named_as_the_member(tree):
    member = MemberFactory(union=tree.zhili_factory, phone="13800000000")
    services.member_phone_change(member=member, phone="13700000000", by=MemberActor(member))
    record, changes = latest_change(member)
    assert record.history_user is None
    assert record.history_change_reason == f"会员本人（会员ID {member.pk}）"
    assert changes == {"phone": ("13800000000", "13700000000")}


def test_a_system_change_is_named_with_its_reason(tree):
    member = MemberFactory(union=tree.zhili_factory)
    services.member_leave(member=member, left_on=dt.date(2025, 1, 31), by=system("nightly_leavers"))
    record, changes = latest_change(member)
    assert record.history_user is None
    assert record.history_change_reason == "系统：nightly_leavers"
    assert changes["status"] == ("active", "left")
    assert changes["left_on"] == (None, dt.date(2025, 1, 31))


def test_an_admin_edit_records_the_signed_in_user(client, tree, staff):
    # given: the admin's change form, posted by the district clerk (the middleware names them)
    member = MemberFactory(union=tree.zhili_factory, name="张三", phone="13800000000")
    client.force_login(staff["district_admin"])
    url = reverse("admin:members_member_change", args=[member.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        {
            "name": "张三",
            "phone": "13955556666",
            "union": tree.zhili_factory.pk,
            "enterprise": "",
            "employment_form": member.employment_form,
            "joined_on": member.joined_on.isoformat(),
        }
    )
    # when
    response = client.post(url, data)
    # then
    assert response.status_code == 302, (
        getattr(response, "context", None) and response.context["adminform"].form.errors
    )
    record, changes = latest_change(member)
    assert record.history_user == staff["district_admin"]
    assert changes["phone"] == ("13800000000", "13955556666")


def test_the_history_page_shows_who_and_each_field_before_after_in_chinese(client, tree, staff):
    member = MemberFactory(union=tree.zhili_factory, phone="13800000000")
    services.member_update(member=member, data={"phone": "13912345678"}, by=staff["district_admin"])
    client.force_login(staff["district_admin"])
    response = client.get(reverse("admin:members_member_history", args=[member.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "手机号码" in text
    assert "13800000000" in text and "13912345678" in text
    assert staff["district_admin"].username in text


def test_a_district_admin_cannot_open_another_districts_record_history(client, tree, staff):
    # given: a 吴兴 member with history
    member = MemberFactory(union=tree.zhili_factory, name="王五", phone="13800000000")
    services.member_update(member=member, data={"phone": "13912345678"}, by=staff["district_admin"])
    client.force_login(staff["nanxun_admin"])
    # when: 南浔's admin opens its history, and one version of it
    response = client.get(reverse("admin:members_member_history", args=[member.pk]))
    version = member.history.latest().history_id
    version_response = client.get(
        reverse("admin:members_member_simple_history", args=[member.pk, version]), follow=True
    )
    # then: the change view's answer (to the admin index), and nothing of the member
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert version_response.redirect_chain[-1][0] == reverse("admin:index")
    assert "王五" not in version_response.content.decode()
    assert "13912345678" not in version_response.content.decode()


def test_an_import_is_one_batch_with_counts_and_diffs_and_no_per_row_history(tmp_path, tree):
    # given: one member on the register, a roster that changes their phone and adds one member
    number = make_id_number()
    MemberFactory(union=tree.zhili_factory, id_number=number, name="张三", phone="13800000000")
    new_number = make_id_number()
    content = roster_csv(
        [
            ["张三", number, "13912345678", tree.zhili_factory.code, "", "", "2020-01-01", ""],
            ["李四", new_number, "", tree.zhili_factory.code, "", "", "2024-05-01", ""],
        ]
    )
    history_rows = Member.history.count()
    # when
    run_import(tmp_path, content, "名册.csv")
    # then: one batch, attributed to the system command, with the file's digest and counts
    batch = ImportBatch.objects.get()
    assert batch.kind == "会员名册"
    assert batch.by is None and batch.actor == "系统：import_members"
    assert batch.file_name == "名册.csv"
    assert batch.sha256 == hashlib.sha256(content).hexdigest()
    assert (batch.total, batch.created, batch.updated, batch.unchanged) == (2, 1, 1, 0)
    change = ImportBatchChange.objects.get(batch=batch)
    assert change.row == 2
    assert change.record == f"张三（{number[:6]}********{number[-4:]}）"
    assert change.changes == [
        {"field": "手机号码", "before": "13800000000", "after": "13912345678"}
    ]
    # and no per-row history, for the updated member or the new one
    assert Member.history.count() == history_rows
    assert Member.objects.filter(name="李四").exists()


def test_a_dry_run_or_a_refused_import_keeps_no_batch(tmp_path, tree):
    content = roster_csv(
        [["张三", make_id_number(), "", tree.zhili_factory.code, "", "", "2020-01-01", ""]]
    )
    run_import(tmp_path, content, "roster.csv", "--dry-run")
    assert not ImportBatch.objects.exists()


def test_the_historical_member_table_has_no_id_ciphertext_or_hash_column():
    table = Member.history.model._meta.db_table
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, table)}
    assert "id_number_encrypted" not in columns
    assert "id_number_hash" not in columns
    assert "id_number_masked" in columns  # what staff see anyway
    assert "phone" in columns
