"""Going live: the union tree, enterprises and staff accounts come in by file (members.golive), on
the roster's loop: all or nothing, every problem of a row in file order, the importer's own tree,
an audit batch, and a second run that changes nothing."""

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from common.models import ImportBatch
from members.actors import system
from members.golive import (
    ENTERPRISE_HEADERS,
    STAFF_HEADERS,
    UNION_HEADERS,
    enterprise_import,
    staff_import,
    union_tree_import,
)
from members.models import Enterprise, StaffProfile, Union
from tests.factories import EnterpriseFactory, make_credit_code

pytestmark = pytest.mark.django_db


def table(headers: list[str], rows: list[list[str]]):
    """Rows as common.spreadsheets.iter_rows yields them: (row number, cells), header as row 1."""
    return [(1, headers), *((n, r) for n, r in enumerate(rows, start=2))]


def csv_bytes(headers: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def bad_credit(code: str) -> str:
    return code[:-1] + ("0" if code[-1] != "0" else "1")


def problems_of(report) -> dict[int, str]:
    return {p.row: "；".join(p.messages) for p in report.problems}


# --- the union tree ------------------------------------------------------------------------------


def test_a_tree_whose_parents_come_after_their_children_is_imported_whole(tree, staff):
    # given: a grassroots union before its new township, the township before nothing of the file
    rows = [
        ["330502003G0001", "妙西茶厂工会", "基层工会", "330502003", ""],
        ["330502003L01", "妙西镇联合工会", "基层工会", "330502003", "是"],
        ["330502003", "妙西镇总工会", "乡镇(街道)工会", tree.wuxing.code, ""],
    ]
    # when
    report = union_tree_import(table=table(UNION_HEADERS, rows), by=staff["district_admin"])
    # then
    assert report.ok, report.problems
    assert report.created == 3
    township = Union.objects.get(code="330502003")
    assert township.parent == tree.wuxing
    assert township.path == "330500/330502/330502003/"
    joint = Union.objects.get(code="330502003L01")
    assert joint.parent == township and joint.is_joint
    assert Union.objects.get(code="330502003G0001").path.startswith(township.path)
    batch = ImportBatch.objects.get(kind="工会组织")
    assert batch.by == staff["district_admin"] and batch.created == 3


def test_a_tree_imported_twice_changes_nothing_the_second_time(tree, staff):
    rows = [
        ["330502003", "妙西镇总工会", "乡镇(街道)工会", tree.wuxing.code, ""],
        ["330502003G0001", "妙西茶厂工会", "基层工会", "330502003", ""],
    ]
    assert union_tree_import(table=table(UNION_HEADERS, rows), by=staff["district_admin"]).ok
    count = Union.objects.count()
    # when
    again = union_tree_import(table=table(UNION_HEADERS, rows), by=staff["district_admin"])
    # then
    assert again.ok and again.created == 0 and again.updated == 0 and again.unchanged == 2
    assert Union.objects.count() == count


def test_a_renamed_union_is_updated_before_and_after(tree, staff):
    rows = [[tree.zhili_factory.code, "织里童装一厂工会", "基层工会", tree.zhili.code, ""]]
    report = union_tree_import(table=table(UNION_HEADERS, rows), by=staff["township_admin"])
    assert report.ok and report.updated == 1
    assert str(report.changes[0].changes[0]) == "工会名称：织里童装厂工会 → 织里童装一厂工会"
    tree.zhili_factory.refresh_from_db()
    assert tree.zhili_factory.name == "织里童装一厂工会"


def test_every_bad_tree_row_is_named_and_nothing_is_written(tree, staff):
    # given: one good row and one of each mistake
    rows = [
        ["330502003", "妙西镇总工会", "乡镇(街道)工会", tree.wuxing.code, ""],  # 2: fine
        ["330502004G01", "无上级工会", "基层工会", "999999", ""],  # 3: unknown parent
        ["330502003", "妙西镇总工会（重复）", "乡镇(街道)工会", tree.wuxing.code, ""],  # 4: dup
        ["330502005", "乡镇挂乡镇", "乡镇(街道)工会", tree.zhili.code, ""],  # 5: level not below
        ["330502006", "南浔的镇", "乡镇(街道)工会", tree.nanxun.code, ""],  # 6: out of scope
        ["A1", "甲", "基层工会", "B1", ""],  # 7: a cycle with row 8
        ["B1", "乙", "基层工会", "A1", ""],  # 8
        ["330599", "新区", "区县工会", tree.city.code, ""],  # 9: district by a district admin
        ["", "", "某级", "", "也许"],  # 10: every cell wrong
    ]
    before = Union.objects.count()
    # when
    report = union_tree_import(table=table(UNION_HEADERS, rows), by=staff["district_admin"])
    # then
    found = problems_of(report)
    assert [p.row for p in report.problems] == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "“999999”在本文件和系统中都不存在" in found[3]
    assert "与第2行重复" in found[4]
    assert "乡镇(街道)工会不能挂在乡镇(街道)工会之下" in found[5]
    assert "不存在或不在您的管辖范围内" in found[6] and "南浔" not in found[6]
    assert "循环" in found[7] and "循环" in found[8]
    assert "只有市总工作人员可以导入区县工会" in found[9]
    assert "工会编码不能为空" in found[10] and "层级“某级”无法识别" in found[10]
    assert "联合工会应填“是”或“否”" in found[10]
    assert Union.objects.count() == before
    assert not ImportBatch.objects.exists()


def test_city_staff_may_import_a_district(tree, staff):
    rows = [["330599", "南太湖新区总工会", "区县工会", tree.city.code, ""]]
    assert union_tree_import(table=table(UNION_HEADERS, rows), by=staff["city_admin"]).ok
    assert Union.objects.get(code="330599").level == Union.Level.DISTRICT


def test_a_code_already_used_elsewhere_with_another_parent_is_refused(tree, staff):
    rows = [[tree.zhili_factory.code, "织里童装厂工会", "基层工会", tree.balidian.code, ""]]
    report = union_tree_import(table=table(UNION_HEADERS, rows), by=staff["district_admin"])
    assert not report.ok
    assert "层级和上级不能通过导入修改" in problems_of(report)[2]


def test_a_child_of_a_bad_row_points_at_that_row(tree, staff):
    rows = [
        ["330502003", "", "乡镇(街道)工会", tree.wuxing.code, ""],
        ["330502003G0001", "妙西茶厂工会", "基层工会", "330502003", ""],
    ]
    report = union_tree_import(table=table(UNION_HEADERS, rows), by=staff["district_admin"])
    assert "上级工会（第2行）有错误" in problems_of(report)[3]


# --- enterprises ---------------------------------------------------------------------------------


def enterprise_row(name, code, union_code, industry="制造业", above="是", state="否"):
    return [name, code, union_code, industry, above, state]


def test_enterprises_are_imported_and_a_second_run_changes_nothing(tree, staff):
    code = make_credit_code()
    rows = [enterprise_row("织里童装有限公司", code, tree.zhili.code)]
    report = enterprise_import(table=table(ENTERPRISE_HEADERS, rows), by=staff["township_admin"])
    assert report.ok and report.created == 1
    enterprise = Enterprise.objects.get(credit_code=code)
    assert enterprise.union == tree.zhili
    assert enterprise.industry == "C" and enterprise.above_designated_size
    assert not enterprise.is_state_owned
    again = enterprise_import(table=table(ENTERPRISE_HEADERS, rows), by=staff["township_admin"])
    assert again.ok and again.unchanged == 1 and again.created == 0
    assert Enterprise.objects.filter(credit_code=code).count() == 1


def test_an_enterprise_update_keeps_what_the_row_leaves_empty(tree, staff):
    existing = EnterpriseFactory(union=tree.zhili, industry="C", above_designated_size=True)
    rows = [[existing.name + "（新）", existing.credit_code, tree.zhili.code, "", "", "是"]]
    report = enterprise_import(table=table(ENTERPRISE_HEADERS, rows), by=staff["township_admin"])
    assert report.ok and report.updated == 1
    existing.refresh_from_db()
    assert existing.name.endswith("（新）") and existing.industry == "C"
    assert existing.above_designated_size and existing.is_state_owned


def test_every_bad_enterprise_row_is_named_and_nothing_is_written(tree, staff):
    good = make_credit_code()
    elsewhere = EnterpriseFactory(union=tree.shuanglin)
    rows = [
        enterprise_row("好企业", good, tree.zhili.code),  # 2
        enterprise_row("校验位错", bad_credit(make_credit_code()), tree.zhili.code),  # 3
        enterprise_row("重复", good, tree.zhili.code),  # 4
        enterprise_row("南浔工会的", make_credit_code(), tree.shuanglin.code),  # 5: out of scope
        enterprise_row("别处登记的", elsewhere.credit_code, tree.zhili.code),  # 6
        ["", "123", tree.zhili.code, "造船业", "大概", ""],  # 7: every cell wrong
    ]
    report = enterprise_import(table=table(ENTERPRISE_HEADERS, rows), by=staff["township_admin"])
    found = problems_of(report)
    assert [p.row for p in report.problems] == [3, 4, 5, 6, 7]
    assert "校验" in found[3]
    assert "与第2行重复" in found[4]
    assert "不存在或不在您的管辖范围内" in found[5]
    assert "已由其他工会登记" in found[6] and elsewhere.name not in found[6]
    assert "单位名称不能为空" in found[7] and "18位" in found[7]
    assert "所属行业“造船业”无法识别" in found[7] and "规上企业应填" in found[7]
    assert not Enterprise.objects.filter(credit_code=good).exists()


# --- staff accounts ------------------------------------------------------------------------------


def staff_row(username, name, union_code, role, phone="13900001234"):
    return [username, name, union_code, role, phone]


def test_staff_accounts_are_made_without_a_usable_password_and_with_their_role(tree, staff):
    rows = [
        staff_row("miaoxi_admin", "钱七", tree.zhili.code, "乡镇(街道)管理员"),
        staff_row("factory2", "孙八", tree.zhili_factory.code, "基层工会管理员", "13900005678"),
    ]
    report = staff_import(table=table(STAFF_HEADERS, rows), by=staff["district_admin"])
    assert report.ok, report.problems
    user = User.objects.get(username="miaoxi_admin")
    assert user.is_staff and not user.has_usable_password()
    assert user.first_name == "钱七"
    assert user.staff_profile.union == tree.zhili
    assert user.staff_profile.role == StaffProfile.Role.TOWNSHIP_ADMIN
    assert user.staff_profile.phone == "13900001234"
    assert [g.name for g in user.groups.all()] == ["乡镇(街道)管理员"]
    assert user.has_perm("members.add_member")
    # the preview shows the phone masked
    assert ImportBatch.objects.get(kind="工作人员账号").created == 2


def test_a_staff_file_imported_twice_changes_nothing(tree, staff):
    rows = [staff_row("miaoxi_admin", "钱七", tree.zhili.code, "乡镇(街道)管理员")]
    assert staff_import(table=table(STAFF_HEADERS, rows), by=staff["district_admin"]).ok
    again = staff_import(table=table(STAFF_HEADERS, rows), by=staff["district_admin"])
    assert again.ok and again.unchanged == 1 and again.created == 0
    assert User.objects.filter(username="miaoxi_admin").count() == 1


def test_a_changed_phone_is_updated_and_shown_masked(tree, staff):
    rows = [staff_row("miaoxi_admin", "钱七", tree.zhili.code, "乡镇(街道)管理员")]
    assert staff_import(table=table(STAFF_HEADERS, rows), by=staff["district_admin"]).ok
    rows[0][4] = "13700009999"
    report = staff_import(
        table=table(STAFF_HEADERS, rows), by=staff["district_admin"], preview_rows=10
    )
    assert report.ok and report.updated == 1
    assert str(report.changes[0].changes[0]) == "手机号码：139****1234 → 137****9999"
    assert report.preview[0].values["手机号码"] == "137****9999"
    assert StaffProfile.objects.get(user__username="miaoxi_admin").phone == "13700009999"


def test_every_bad_staff_row_is_named_and_nothing_is_written(tree, staff):
    rows = [
        staff_row("new_clerk", "周九", tree.zhili.code, "乡镇(街道)管理员"),  # 2: fine
        staff_row("NEW_CLERK", "吴十", tree.zhili.code, "乡镇(街道)管理员"),  # 3: dup in file
        staff_row("wuxing", "郑一", tree.zhili.code, "乡镇(街道)管理员"),  # 4: username taken
        staff_row("boss", "王二", tree.wuxing.code, "市总管理员"),  # 5: role too high
        staff_row("shuang", "冯三", tree.shuanglin.code, "乡镇(街道)管理员"),  # 6: out of scope
        staff_row("mismatch", "陈四", tree.zhili_factory.code, "乡镇(街道)管理员"),  # 7: level
        ["bad name!", "", "", "董事长", "12345"],  # 8: every cell wrong
    ]
    before = User.objects.count()
    report = staff_import(table=table(STAFF_HEADERS, rows), by=staff["district_admin"])
    found = problems_of(report)
    assert [p.row for p in report.problems] == [3, 4, 5, 6, 7, 8]
    assert "与第2行重复" in found[3]
    assert "用户名“wuxing”已" in found[4]
    assert "高于您本人的角色" in found[5]
    assert "不存在或不在您的管辖范围内" in found[6]
    assert "应挂在乡镇(街道)工会" in found[7]
    for expected in (
        "用户名只能含",
        "姓名不能为空",
        "所属工会编码不能为空",
        "角色“董事长”",
        "手机号码",
    ):
        assert expected in found[8]
    assert User.objects.count() == before


def test_a_leader_cannot_import_staff(tree, staff):
    from django.core.exceptions import PermissionDenied

    rows = [staff_row("x1", "某", tree.city.code, "领导（只读）")]
    with pytest.raises(PermissionDenied):
        staff_import(table=table(STAFF_HEADERS, rows), by=staff["leadership"])


def test_an_import_without_an_actor_is_a_bug(tree):
    with pytest.raises(TypeError):
        staff_import(table=table(STAFF_HEADERS, []), by=None)


# --- the commands --------------------------------------------------------------------------------


def run(command: str, path, *args: str) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc.returncode
    return out.getvalue(), err.getvalue(), 0


def test_the_three_commands_import_a_federation_in_order(tmp_path, tree):
    unions = tmp_path / "工会.csv"
    unions.write_bytes(
        csv_bytes(UNION_HEADERS, [["330502003", "妙西镇总工会", "乡镇", tree.wuxing.code, ""]])
    )
    code = make_credit_code()
    enterprises = tmp_path / "企业.csv"
    enterprises.write_bytes(
        csv_bytes(ENTERPRISE_HEADERS, [enterprise_row("妙西茶业", code, "330502003")])
    )
    accounts = tmp_path / "账号.csv"
    accounts.write_bytes(
        csv_bytes(STAFF_HEADERS, [staff_row("miaoxi", "钱七", "330502003", "乡镇(街道)管理员")])
    )
    for command, path in (
        ("import_unions", unions),
        ("import_enterprises", enterprises),
        ("import_staff", accounts),
    ):
        out, err, code_ = run(command, path)
        assert code_ == 0, err
        assert "新增1条" in out
    assert Enterprise.objects.get(credit_code=code).union.code == "330502003"
    assert User.objects.get(username="miaoxi").staff_profile.union.code == "330502003"
    assert ImportBatch.objects.filter(file_name="账号.csv").exists()


def test_a_command_as_a_clerk_is_bound_to_their_tree(tmp_path, tree, staff):
    path = tmp_path / "工会.csv"
    path.write_bytes(
        csv_bytes(UNION_HEADERS, [["330503009", "某镇", "乡镇", tree.nanxun.code, ""]])
    )
    _out, err, code = run("import_unions", path, "--user", "wuxing")
    assert code == 1
    assert "第2行：上级工会编码“330503”不存在或不在您的管辖范围内。" in err
    assert not Union.objects.filter(code="330503009").exists()


def test_system_import_of_a_city_root(tmp_path, db):
    report = union_tree_import(
        table=table(UNION_HEADERS, [["330500", "湖州市总工会", "市总工会", "", ""]]),
        by=system("test"),
    )
    assert report.ok and Union.objects.get(code="330500").path == "330500/"


@pytest.mark.parametrize(
    ("role", "page", "offered"),
    [
        ("district_admin", "union", True),
        ("grassroots_admin", "union", False),  # the tree's shape is for the levels above
        ("township_admin", "enterprise", True),
        ("township_admin", "staffprofile", True),
        ("leadership", "enterprise", False),
        ("leadership", "staffprofile", False),
    ],
)
def test_the_lists_offer_the_import_to_whoever_may_import(client, staff, role, page, offered):
    client.force_login(staff[role])
    body = client.get(f"/admin/members/{page}/").content.decode()
    assert (f"/admin/members/{page}/import/" in body) is offered
    answer = client.get(f"/admin/members/{page}/import/")
    assert answer.status_code == (200 if offered else 403)
