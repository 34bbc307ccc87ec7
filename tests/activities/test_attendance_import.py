"""Attendance import from sign-in sheets: row-numbered errors, nothing written on error,
idempotent re-import; the same pipeline behind `manage.py import_attendance`."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from activities.importing import attendance_import, attendance_rows
from activities.models import Attendance
from common.spreadsheets import iter_rows
from members.actors import system
from tests.activities.factories import ActivityFactory
from tests.factories import MemberFactory, make_id_number

pytestmark = pytest.mark.django_db


def sheet(lines: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    return "\n".join(",".join(cells) for cells in lines).encode(encoding)


def run(data: bytes, **kwargs):
    activity = kwargs.get("activity")
    rows = attendance_rows(iter_rows(io.BytesIO(data), "名单.csv"), activity=activity)
    kwargs.setdefault("by", system("test"))
    return attendance_import(rows=rows, **kwargs)


@pytest.fixture
def people(tree):
    numbers = [make_id_number() for _ in range(3)]
    members = [
        MemberFactory(union=tree.zhili_factory, id_number=n, name=name)
        for n, name in zip(numbers, ["张三", "李四", "王五"], strict=True)
    ]
    return numbers, members


def test_a_sheet_is_imported_and_a_second_import_changes_nothing(tree, people):
    # given
    numbers, members = people
    a1 = ActivityFactory(union=tree.zhili_factory)
    a2 = ActivityFactory(union=tree.zhili_factory)
    data = sheet(
        [
            ["活动编号", "姓名", "公民身份号码"],
            [str(a1.pk), "张三", numbers[0]],
            [str(a1.pk), "李四", numbers[1].lower()],
            [str(a2.pk), "", numbers[0]],
        ]
    )

    # when
    first = run(data)
    second = run(data)

    # then
    assert (first.ok, first.created, first.unchanged) == (True, 3, 0)
    assert (second.ok, second.created, second.unchanged) == (True, 0, 3)
    assert set(Attendance.objects.values_list("activity_id", "member_id", "method")) == {
        (a1.pk, members[0].pk, "import"),
        (a1.pk, members[1].pk, "import"),
        (a2.pk, members[0].pk, "import"),
    }


def test_bad_rows_are_named_by_number_and_nothing_is_written(tree, staff, people):
    # given
    numbers, _members = people
    mine = ActivityFactory(union=tree.zhili_factory)
    not_mine = ActivityFactory(union=tree.shuanglin_factory)
    data = sheet(
        [
            ["公民身份号码", "姓名", "活动编号"],  # columns in any order
            [numbers[0], "张三", str(mine.pk)],
            [numbers[1], "李斯", str(mine.pk)],
            [make_id_number(), "赵六", str(mine.pk)],
            [numbers[2], "王五", str(not_mine.pk)],
            [numbers[2], "王五", "99999999"],
            [numbers[0], "张三", str(mine.pk)],
            ["330502199001011234", "钱七", str(mine.pk)],
            [numbers[2], "王五", "第一场"],
        ]
    )

    # when
    report = run(data, by=staff["district_admin"])

    # then
    assert not report.ok
    problems = sorted((p.row, p.messages) for p in report.problems)
    assert problems == [
        (3, ["姓名与会员库登记的“李四”不一致，请核对公民身份号码。"]),
        (4, ["会员库中没有此公民身份号码，请先录入会员名册。"]),
        (5, [f"活动“{not_mine.title}”（编号{not_mine.pk}）不在您的管辖范围内。"]),
        (6, ["活动编号99999999不存在。"]),
        (7, ["与第2行是同一活动的同一人，重复。"]),
        (8, problems[5][1]),
        (9, ["活动编号“第一场”应为数字。"]),
    ]
    assert "公民身份号码" in problems[5][1][0]
    assert report.summary() == "共8行，其中7行有错误，未写入任何数据。"
    assert Attendance.objects.count() == 0


def test_a_dry_run_checks_and_writes_nothing(tree, people):
    # given
    numbers, _members = people
    activity = ActivityFactory(union=tree.zhili_factory)
    data = sheet([["活动编号", "公民身份号码"], [str(activity.pk), numbers[0]]])

    # when
    report = run(data, dry_run=True)

    # then
    assert (report.ok, report.created) == (True, 1)
    assert report.summary().startswith("（试导入，未写入）")
    assert Attendance.objects.count() == 0


def test_a_per_activity_sheet_needs_no_activity_column(tree, people):
    # given
    numbers, members = people
    activity = ActivityFactory(union=tree.zhili_factory)
    data = sheet([["姓名", "公民身份号码"], ["王五", numbers[2]]], encoding="gb18030")

    # when
    report = run(data, activity=activity)

    # then
    assert (report.ok, report.created) == (True, 1)
    assert list(Attendance.objects.values_list("member_id", flat=True)) == [members[2].pk]


def test_the_membership_current_on_the_activity_day_is_the_one_recorded(tree):
    # given: left a union in 2023, rejoined another in 2024
    number = make_id_number()
    old = MemberFactory(
        union=tree.zhili_factory,
        id_number=number,
        status="left",
        joined_on=dt.date(2015, 1, 1),
        left_on=dt.date(2023, 3, 1),
    )
    new = MemberFactory(
        union=tree.balidian_factory, id_number=number, joined_on=dt.date(2024, 1, 1)
    )
    in_2022 = ActivityFactory(union=tree.wuxing, starts_at=dt.datetime(2022, 5, 1, tzinfo=dt.UTC))
    in_2024 = ActivityFactory(union=tree.wuxing, starts_at=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))
    in_2023 = ActivityFactory(union=tree.wuxing, starts_at=dt.datetime(2023, 6, 1, tzinfo=dt.UTC))
    good = sheet(
        [["活动编号", "公民身份号码"], [str(in_2022.pk), number], [str(in_2024.pk), number]]
    )
    gap = sheet([["活动编号", "公民身份号码"], [str(in_2023.pk), number]])

    # when
    ok = run(good)
    refused = run(gap)

    # then
    assert ok.ok
    assert set(Attendance.objects.values_list("activity_id", "member_id")) == {
        (in_2022.pk, old.pk),
        (in_2024.pk, new.pk),
    }
    assert [str(p) for p in refused.problems] == [
        "第2行：此人在活动当日（2023-06-01）不是在会会员。"
    ]


def test_a_sheet_without_the_required_headers_is_refused_whole(tree):
    # when
    with pytest.raises(Exception, match="第1行缺少表头：活动编号"):
        run(sheet([["姓名", "公民身份号码"], ["张三", make_id_number()]]))

    # then
    assert Attendance.objects.count() == 0


def test_the_command_imports_and_exits_non_zero_on_errors(tree, people, tmp_path):
    # given
    numbers, _members = people
    activity = ActivityFactory(union=tree.zhili_factory)
    good = tmp_path / "good.csv"
    good.write_bytes(sheet([["活动编号", "公民身份号码"], [str(activity.pk), numbers[0]]]))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(sheet([["公民身份号码"], [numbers[1]], ["not-an-id"]]))
    out = io.StringIO()

    # when
    call_command("import_attendance", str(good), "--dry-run", stdout=out)
    after_dry_run = Attendance.objects.count()
    call_command("import_attendance", str(good), stdout=out)
    with pytest.raises(CommandError) as exc:
        call_command(
            "import_attendance", str(bad), "--activity", str(activity.pk), stderr=io.StringIO()
        )

    # then
    assert after_dry_run == 0
    assert "新增1条" in out.getvalue()
    assert exc.value.returncode == 1
    assert list(Attendance.objects.values_list("member__id_number_masked", flat=True)) == [
        _members[0].id_number_masked
    ]
