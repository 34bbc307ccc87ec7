"""Competition results from a spreadsheet: row-numbered problems, nothing written on any error,
idempotent, entrants entered by the sheet, ranks derived once the file is in."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from common.importing import SpreadsheetError
from common.spreadsheets import iter_rows
from members import crypto
from members.actors import SYSTEM
from skills.importing import entry_results_import
from skills.models import CompetitionEntry
from tests.factories import MemberFactory, make_id_number
from tests.skills.factories import CompetitionFactory, EntryFactory

pytestmark = pytest.mark.django_db


def member_with_id(union, name):
    number = make_id_number()
    member = MemberFactory(
        union=union,
        name=name,
        id_number_hash=crypto.hash_id_number(number),
        id_number_encrypted=crypto.encrypt_id_number(number),
    )
    return member, number


def csv_table(lines: list[str]):
    data = ("\n".join(lines) + "\n").encode("utf-8-sig")
    return list(iter_rows(io.BytesIO(data), "成绩.csv"))


def test_a_results_sheet_enters_scores_and_ranks(tree, staff):
    # given: one entrant already entered (by the portal), one not yet
    competition = CompetitionFactory(union=tree.wuxing)
    zhang, zhang_id = member_with_id(tree.zhili_factory, "张伟")
    li, li_id = member_with_id(tree.balidian_factory, "李娜")
    wang, wang_id = member_with_id(tree.zhili_joint, "王芳")
    EntryFactory(competition=competition, member=zhang)
    table = csv_table(
        [
            "姓名,公民身份号码,成绩,奖项",
            f"张伟,{zhang_id},92.5,一等奖",
            f"李娜,{li_id.lower()},88,二等奖",
            f"王芳,{wang_id},92.5,",
        ]
    )
    # when
    report = entry_results_import(competition=competition, table=table, by=staff["district_admin"])
    # then
    assert report.ok
    assert (report.created, report.updated, report.unchanged) == (2, 1, 0)
    got = {
        e.member_id: (e.score, e.rank, e.award)
        for e in CompetitionEntry.objects.filter(competition=competition)
    }
    assert got == {
        zhang.pk: (Decimal("92.50"), 1, "first"),
        li.pk: (Decimal("88.00"), 3, "second"),
        wang.pk: (Decimal("92.50"), 1, ""),
    }


def test_importing_the_same_sheet_twice_changes_nothing(tree):
    # given
    competition = CompetitionFactory(union=tree.wuxing)
    _zhang, zhang_id = member_with_id(tree.zhili_factory, "张伟")
    lines = ["姓名,公民身份号码,成绩,奖项", f"张伟,{zhang_id},92.5,一等奖"]
    entry_results_import(competition=competition, table=csv_table(lines), by=SYSTEM)
    # when
    report = entry_results_import(competition=competition, table=csv_table(lines), by=SYSTEM)
    # then
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert CompetitionEntry.objects.count() == 1


def test_bad_rows_are_named_by_row_number_and_nothing_is_written(tree):
    # given
    competition = CompetitionFactory(union=tree.wuxing)
    _zhang, zhang_id = member_with_id(tree.zhili_factory, "张伟")
    _outsider, outsider_id = member_with_id(tree.shuanglin_factory, "赵强")
    _li, li_id = member_with_id(tree.balidian_factory, "李娜")
    table = csv_table(
        [
            "姓名,公民身份号码,成绩,奖项",
            f"张伟,{zhang_id},92.5,一等奖",  # row 2: fine
            f"赵强,{outsider_id},80,",  # row 3: from 南浔, not in the 吴兴 competition
            f"张伟,{zhang_id},70,",  # row 4: same person again
            f"李四,{li_id},70,",  # row 5: name does not match
            "钱七,330502199005170000,abc,特等奖",  # row 6: bad number, score and award
            f"李娜,{make_id_number()},60,",  # row 7: no such member
        ]
    )
    # when
    report = entry_results_import(competition=competition, table=table, by=SYSTEM)
    # then
    assert not report.ok
    assert [p.row for p in report.problems] == [3, 4, 5, 6, 7]
    text = {p.row: str(p) for p in report.problems}
    assert "与第2行重复" in text[4]
    assert "成绩“abc”不是数字" in text[6] and "奖项“特等奖”无法识别" in text[6]
    assert "不属于“吴兴区总工会”" in text[3]
    assert "姓名与会员库中的“李娜”不一致" in text[5]
    assert "查无此在会会员" in text[7]
    assert CompetitionEntry.objects.count() == 0


def test_a_sheet_without_the_required_headers_is_refused(tree):
    # given
    competition = CompetitionFactory(union=tree.wuxing)
    # when / then
    with pytest.raises(SpreadsheetError):
        entry_results_import(
            competition=competition, table=csv_table(["姓名,分数", "张伟,90"]), by=SYSTEM
        )
    assert CompetitionEntry.objects.count() == 0


def test_a_clerk_outside_the_competitions_tree_may_not_import(tree, staff):
    # given
    competition = CompetitionFactory(union=tree.wuxing)
    _zhang, zhang_id = member_with_id(tree.zhili_factory, "张伟")
    table = csv_table(["姓名,公民身份号码,成绩,奖项", f"张伟,{zhang_id},92.5,"])
    # when / then
    with pytest.raises(PermissionDenied):
        entry_results_import(competition=competition, table=table, by=staff["nanxun_admin"])
    assert CompetitionEntry.objects.count() == 0


def test_a_dry_run_reports_and_writes_nothing(tree):
    # given
    competition = CompetitionFactory(union=tree.wuxing)
    _zhang, zhang_id = member_with_id(tree.zhili_factory, "张伟")
    table = csv_table(["姓名,公民身份号码,成绩,奖项", f"张伟,{zhang_id},92.5,"])
    # when
    report = entry_results_import(competition=competition, table=table, dry_run=True, by=SYSTEM)
    # then
    assert report.ok and report.created == 1
    assert CompetitionEntry.objects.count() == 0


def test_the_command_imports_a_sheet_and_fails_on_a_bad_one(tree, tmp_path):
    # given
    from django.core.management import CommandError, call_command

    competition = CompetitionFactory(union=tree.wuxing)
    _zhang, zhang_id = member_with_id(tree.zhili_factory, "张伟")
    good = tmp_path / "成绩.csv"
    good.write_text(f"姓名,公民身份号码,成绩,奖项\n张伟,{zhang_id},90,\n", encoding="utf-8")
    bad = tmp_path / "错误.csv"
    bad.write_text(f"姓名,公民身份号码,成绩,奖项\n张伟,{zhang_id},-1,\n", encoding="gb18030")
    # when / then
    with pytest.raises(CommandError, match="1行有错误"):
        call_command("import_results", str(competition.pk), str(bad))
    assert CompetitionEntry.objects.count() == 0
    call_command("import_results", str(competition.pk), str(good))
    assert CompetitionEntry.objects.get().rank == 1
