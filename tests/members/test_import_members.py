import io

import pytest
from django.core.management import CommandError, call_command

from members.models import Enterprise, Member
from tests.factories import EnterpriseFactory, MemberFactory, make_credit_code, make_id_number
from tests.members.helpers import roster_csv, roster_xlsx, row

pytestmark = pytest.mark.django_db


def run_import(tmp_path, content: bytes, name: str = "roster.csv", *args: str) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_members", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        raise ImportFailed(err.getvalue(), exc) from None
    return out.getvalue()


class ImportFailed(Exception):
    def __init__(self, report: str, error: CommandError):
        super().__init__(report)
        self.report = report
        self.returncode = error.returncode
        self.summary = str(error)


def wrong_check(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_a_clean_csv_in_each_encoding_excel_saves_is_imported(tmp_path, tree, encoding):
    content = roster_csv(
        [
            row("张三", make_id_number(), tree.zhili_factory.code),
            row("骑手李四", make_id_number(), tree.zhili_joint.code, form="外卖骑手"),
        ],
        encoding=encoding,
    )
    out = run_import(tmp_path, content)
    assert "新增2条" in out
    assert set(Member.objects.values_list("name", flat=True)) == {"张三", "骑手李四"}
    assert Member.objects.get(name="骑手李四").employment_form == "food_delivery"


def test_a_clean_xlsx_is_imported_with_excel_dates(tmp_path, tree):
    import datetime as dt

    content = roster_xlsx(
        [
            [
                "王五",
                make_id_number(),
                "13800001111",
                tree.zhili_factory.code,
                "",
                "",
                dt.datetime(2024, 5, 6),  # noqa: DTZ001 - Excel cells carry naive datetimes
                "标准",
            ]
        ]
    )
    run_import(tmp_path, content, "roster.xlsx")
    assert Member.objects.get().joined_on == dt.date(2024, 5, 6)


def test_an_id_typed_as_a_number_in_excel_fails_its_check_digit(tmp_path, tree):
    # given: a valid number that Excel stored as a float, 330502199005171237 → 330502199005171264
    number = "330502199005171237"
    content = roster_xlsx(
        [["王五", float(number), "", tree.zhili_factory.code, "", "", "2024-01-01", ""]]
    )
    # when / then: the digits Excel lost break the check digit, and the row says so
    with pytest.raises(ImportFailed) as exc:
        run_import(tmp_path, content, "roster.xlsx")
    assert "第2行" in exc.value.report
    assert "校验位错误" in exc.value.report
    assert Member.objects.count() == 0


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (lambda t: row("李四", wrong_check(make_id_number()), t.zhili_factory.code), "校验位错误"),
        (lambda t: row("李四", "330502900517123", t.zhili_factory.code), "15位旧身份证号码"),
        (lambda t: row("李四", "330502199002301234", t.zhili_factory.code), "不是有效日期"),
        (lambda t: row("李四", make_id_number(), "NOSUCH"), "所属工会编码“NOSUCH”不存在"),
        (lambda t: row("李四", make_id_number(), t.zhili.code), "会员须加入基层工会"),
        (lambda t: row("李四", make_id_number(), t.zhili_factory.code, phone="1234"), "手机号码"),
        (
            lambda t: row("李四", make_id_number(), t.zhili_factory.code, joined="2024-13-01"),
            "入会日期",
        ),
        (
            lambda t: row("李四", make_id_number(), t.zhili_factory.code, form="外卖员"),
            "就业形态“外卖员”无法识别",
        ),
        (lambda t: row("", make_id_number(), t.zhili_factory.code), "姓名不能为空"),
        (
            lambda t: row(
                "李四", make_id_number(), t.zhili_factory.code, credit="91330502ABCDEFGH12"
            ),
            "统一社会信用代码",
        ),
        (
            lambda t: row("李四", make_id_number(), t.zhili_factory.code, enterprise="不存在的厂"),
            "未登记或有重名",
        ),
    ],
)
def test_each_bad_row_is_named_by_number_and_nothing_is_written(tmp_path, tree, bad_row, message):
    # given: a good row, then the bad one on file row 3
    content = roster_csv([row("张三", make_id_number(), tree.zhili_factory.code), bad_row(tree)])
    # when
    with pytest.raises(ImportFailed) as exc:
        run_import(tmp_path, content)
    # then
    assert exc.value.returncode == 1
    assert "第3行" in exc.value.report
    assert message in exc.value.report
    assert "未写入任何数据" in exc.value.summary
    assert Member.objects.count() == 0
    assert Enterprise.objects.count() == 0


def test_a_duplicate_id_in_the_file_names_both_rows(tmp_path, tree):
    number = make_id_number()
    content = roster_csv(
        [
            row("张三", number, tree.zhili_factory.code),
            row("张三", number.lower(), tree.zhili_factory.code),
        ]
    )
    with pytest.raises(ImportFailed) as exc:
        run_import(tmp_path, content)
    assert "第3行：公民身份号码与第2行重复" in exc.value.report
    assert Member.objects.count() == 0


def test_a_bad_row_in_a_late_batch_rolls_back_the_earlier_batches(tmp_path, tree):
    rows = [row(f"会员{i}", make_id_number(), tree.zhili_factory.code) for i in range(25)]
    rows.append(row("坏行", "330502900517123", tree.zhili_factory.code))
    with pytest.raises(ImportFailed) as exc:
        run_import(tmp_path, roster_csv(rows), "roster.csv", "--batch-size", "10")
    assert "第27行" in exc.value.report
    assert Member.objects.count() == 0


def test_rows_outside_the_importing_clerks_tree_are_refused(tmp_path, tree, staff):
    content = roster_csv([row("张三", make_id_number(), tree.shuanglin_factory.code)])
    with pytest.raises(ImportFailed) as exc:
        run_import(tmp_path, content, "roster.csv", "--user", "zhili")
    assert "不在您的管辖范围内" in exc.value.report
    assert Member.objects.count() == 0


def test_a_person_active_in_another_union_must_be_transferred(tmp_path, tree):
    number = make_id_number()
    MemberFactory(union=tree.balidian_factory, id_number=number, name="张三")
    with pytest.raises(ImportFailed) as exc:
        run_import(tmp_path, roster_csv([row("张三", number, tree.zhili_factory.code)]))
    assert "会员关系转接" in exc.value.report
    assert Member.objects.get().union == tree.balidian_factory


def test_a_name_that_does_not_match_the_registered_one_is_refused(tmp_path, tree):
    number = make_id_number()
    MemberFactory(union=tree.zhili_factory, id_number=number, name="张三")
    with pytest.raises(ImportFailed) as exc:
        run_import(tmp_path, roster_csv([row("张山", number, tree.zhili_factory.code)]))
    assert "姓名与已登记的“张三”不一致" in exc.value.report


def test_a_missing_column_is_reported_for_the_whole_file(tmp_path, tree):
    content = roster_csv([["张三", make_id_number()]], headers=["姓名", "身份证"])
    with pytest.raises(ImportFailed) as exc:
        run_import(tmp_path, content)
    assert "缺少表头：公民身份号码、所属工会编码、入会日期" in exc.value.summary


def test_importing_the_same_file_twice_changes_nothing(tmp_path, tree):
    credit = make_credit_code()
    content = roster_csv(
        [
            row(
                "张三",
                make_id_number(),
                tree.zhili_factory.code,
                enterprise="织里新企业",
                credit=credit,
            ),
            row(
                "李四",
                make_id_number(),
                tree.zhili_factory.code,
                enterprise="织里新企业",
                credit=credit,
            ),
        ]
    )
    first = run_import(tmp_path, content)
    assert "新增2条" in first and "新登记企业1家" in first
    before = list(Member.objects.order_by("pk").values_list("pk", "updated_at", "enterprise_id"))
    second = run_import(tmp_path, content)
    assert "新增0条，更新0条，2条无变化" in second
    assert (
        list(Member.objects.order_by("pk").values_list("pk", "updated_at", "enterprise_id"))
        == before
    )
    assert Enterprise.objects.count() == 1


def test_a_changed_phone_is_updated_on_reimport(tmp_path, tree):
    number = make_id_number()
    MemberFactory(
        union=tree.zhili_factory,
        id_number=number,
        name="张三",
        phone="13800000000",
        joined_on="2024-03-01",
    )
    out = run_import(
        tmp_path, roster_csv([row("张三", number, tree.zhili_factory.code, phone="13900009999")])
    )
    assert "更新1条" in out
    assert Member.objects.get().phone == "13900009999"


def test_an_enterprise_named_without_a_code_is_matched_inside_the_tree(tmp_path, tree):
    enterprise = EnterpriseFactory(union=tree.zhili_factory, name="织里童装厂")
    run_import(
        tmp_path,
        roster_csv(
            [row("张三", make_id_number(), tree.zhili_factory.code, enterprise="织里童装厂")]
        ),
    )
    assert Member.objects.get().enterprise == enterprise


def test_dry_run_checks_everything_and_writes_nothing(tmp_path, tree):
    out = run_import(
        tmp_path,
        roster_csv([row("张三", make_id_number(), tree.zhili_factory.code)]),
        "roster.csv",
        "--dry-run",
    )
    assert "试导入" in out and "新增1条" in out
    assert Member.objects.count() == 0


def test_an_unsupported_file_type_is_refused(tmp_path, tree):
    with pytest.raises(CommandError) as exc:
        call_command("import_members", str(tmp_path / "x.pdf"))
    assert "文件不存在" in str(exc.value)
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError) as exc:
        call_command("import_members", str(tmp_path / "x.pdf"))
    assert "不支持的文件类型" in str(exc.value)
