"""Imports never destroy (issue 10, point 3): a column left out of the roster, or a cell left
empty, leaves that field of an existing member as it is; a changed member's `updated_at` moves;
the dry run says, per changed row, each field before → after, with the ID number masked."""

import datetime as dt

import pytest

from members.models import Member
from tests.factories import EnterpriseFactory, MemberFactory, make_id_number
from tests.members.helpers import roster_csv
from tests.members.test_import_members import ImportFailed, run_import

pytestmark = pytest.mark.django_db

FOUR_COLUMNS = ["姓名", "公民身份号码", "所属工会编码", "入会日期"]


@pytest.fixture
def two_gig_workers(tree):
    """Two members with a phone, an employer and a gig employment form, joined 2024-03-01."""
    employer = EnterpriseFactory(union=tree.zhili_factory, name="织里速递")
    people = []
    for name in ("张三", "李四"):
        number = make_id_number()
        member = MemberFactory(
            union=tree.zhili_factory,
            id_number=number,
            name=name,
            phone="13912345678",
            enterprise=employer,
            employment_form=Member.EmploymentForm.FOOD_DELIVERY,
            joined_on=dt.date(2024, 3, 1),
        )
        people.append((member, number))
    return people, employer


def facts(member: Member):
    member.refresh_from_db()
    return (member.phone, member.enterprise_id, member.employment_form, member.joined_on)


def test_a_roster_of_four_columns_leaves_phones_employers_and_forms_alone(
    tmp_path, tree, two_gig_workers
):
    # given: 张三 unchanged, 李四's joining date corrected
    (zhang, zhang_id), (li, li_id) = two_gig_workers[0]
    before = {m.pk: Member.objects.get(pk=m.pk).updated_at for m in (zhang, li)}
    content = roster_csv(
        [
            ["张三", zhang_id, tree.zhili_factory.code, "2024-03-01"],
            ["李四", li_id, tree.zhili_factory.code, "2024-05-01"],
        ],
        headers=FOUR_COLUMNS,
    )
    # when
    out = run_import(tmp_path, content)
    # then
    employer = two_gig_workers[1]
    assert "新增0条，更新1条，1条无变化" in out
    assert facts(zhang) == ("13912345678", employer.pk, "food_delivery", dt.date(2024, 3, 1))
    assert facts(li) == ("13912345678", employer.pk, "food_delivery", dt.date(2024, 5, 1))
    assert zhang.updated_at == before[zhang.pk]
    assert li.updated_at > before[li.pk]


def test_empty_cells_in_present_columns_leave_the_fields_alone(tmp_path, tree, two_gig_workers):
    # given: the whole template, phone, employer and form left blank
    (zhang, zhang_id), _li = two_gig_workers[0]
    content = roster_csv(
        [["张三", zhang_id, "", tree.zhili_factory.code, "", "", "2024-03-01", ""]]
    )
    # when
    out = run_import(tmp_path, content)
    # then: nothing to change, and an empty 就业形态 did not become 标准
    assert "更新0条，1条无变化" in out
    assert facts(zhang) == (
        "13912345678",
        two_gig_workers[1].pk,
        "food_delivery",
        dt.date(2024, 3, 1),
    )


def test_a_value_that_does_not_parse_is_an_error_of_its_row(tmp_path, tree, two_gig_workers):
    (zhang, zhang_id), _li = two_gig_workers[0]
    content = roster_csv(
        [["张三", zhang_id, "1391234", tree.zhili_factory.code, "", "", "2024-03-01", "骑马"]]
    )
    with pytest.raises(ImportFailed) as exc:
        run_import(tmp_path, content)
    assert exc.value.report.count("第2行") == 1
    assert "手机" in exc.value.report and "就业形态“骑马”" in exc.value.report
    assert facts(zhang)[0] == "13912345678"


def test_the_dry_run_lists_each_changed_field_before_and_after(tmp_path, tree, two_gig_workers):
    # given
    (zhang, zhang_id), (li, li_id) = two_gig_workers[0]
    content = roster_csv(
        [
            ["张三", zhang_id, "13700001111", tree.zhili_factory.code, "", "", "2024-03-01", ""],
            ["李四", li_id, "", tree.zhili_factory.code, "", "", "2024-05-01", "标准"],
        ]
    )
    # when
    out = run_import(tmp_path, content, "roster.csv", "--dry-run")
    # then: each change named, the ID masked, nothing written
    assert "第2行" in out and "手机号码：13912345678 → 13700001111" in out
    assert "第3行" in out and "入会日期：2024-03-01 → 2024-05-01" in out
    assert "就业形态：外卖骑手 → 标准" in out
    assert zhang.id_number_masked in out
    assert zhang_id not in out and li_id not in out
    assert facts(zhang)[0] == "13912345678"
    assert facts(li)[3] == dt.date(2024, 3, 1)


def test_the_admin_preview_shows_each_change_before_and_after(client, tree, staff, two_gig_workers):
    # given
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    (zhang, zhang_id), _li = two_gig_workers[0]
    content = roster_csv(
        [["张三", zhang_id, "13700001111", tree.zhili_factory.code, "", "", "2024-03-01", ""]]
    )
    client.force_login(staff["township_admin"])
    # when: the first step of django-import-export's flow (format 1 is the roster CSV)
    page = client.post(
        reverse("admin:members_member_import"),
        {"format": "1", "import_file": SimpleUploadedFile("名册.csv", content)},
    )
    # then
    body = page.content.decode()
    assert page.status_code == 200
    assert "13912345678 → 13700001111" in body
    assert zhang.id_number_masked in body and zhang_id not in body
    assert facts(zhang)[0] == "13912345678"
