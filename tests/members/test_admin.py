import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import IdNumberAccess, Member
from tests.common.export_helpers import finish_export, sheet_rows
from tests.factories import MemberFactory, make_id_number
from tests.members.helpers import roster_csv, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree):
    return {
        "zhili": MemberFactory(union=tree.zhili_factory, name="织里甲"),
        "balidian": MemberFactory(union=tree.balidian_factory, name="八里店乙"),
        "shuanglin": MemberFactory(union=tree.shuanglin_factory, name="双林丙"),
    }


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        ("city_admin", ["织里甲", "八里店乙", "双林丙"], []),
        ("district_admin", ["织里甲", "八里店乙"], ["双林丙"]),
        ("township_admin", ["织里甲"], ["八里店乙", "双林丙"]),
        ("grassroots_admin", ["织里甲"], ["八里店乙", "双林丙"]),
        ("leadership", ["织里甲", "八里店乙", "双林丙"], []),
    ],
)
def test_the_admin_list_shows_only_the_users_tree(client, staff, people, role, visible, hidden):
    page = as_user(client, staff[role]).get("/admin/members/member/").content.decode()
    for name in visible:
        assert name in page
    for name in hidden:
        assert name not in page


def test_the_admin_is_in_chinese(client, staff, people):
    page = as_user(client, staff["district_admin"]).get("/admin/members/member/").content.decode()
    assert "会员" in page and "公民身份号码" in page


def test_a_member_outside_the_tree_cannot_be_opened(client, staff, people):
    response = as_user(client, staff["township_admin"]).get(
        f"/admin/members/member/{people['shuanglin'].pk}/change/"
    )
    # the admin's "does not exist" redirect to its index, not a login redirect
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert "双林丙" not in response.content.decode()


def test_the_id_lookup_matches_a_full_id_number_but_only_inside_the_tree(client, staff, tree):
    # A full number is looked up by POST (issue 10): never in the changelist's ?q=.
    number = make_id_number()
    MemberFactory(union=tree.shuanglin_factory, name="双林丁", id_number=number)
    page = (
        as_user(client, staff["district_admin"])
        .post("/admin/members/member/lookup/", {"id_number": number})
        .content.decode()
    )
    assert "双林丁" not in page
    page = (
        as_user(client, staff["nanxun_admin"])
        .post("/admin/members/member/lookup/", {"id_number": number})
        .content.decode()
    )
    assert "双林丁" in page


def test_the_add_form_offers_only_unions_inside_the_tree(client, staff, tree):
    page = (
        as_user(client, staff["township_admin"]).get("/admin/members/member/add/").content.decode()
    )
    assert "织里童装厂工会" in page
    assert "双林纺织厂工会" not in page


def test_adding_through_the_admin_uses_the_service_and_shows_its_errors(client, staff, tree):
    client = as_user(client, staff["township_admin"])
    form = {
        "id_number": "330502900517123",
        "name": "张三",
        "union": tree.zhili_factory.pk,
        "phone": "",
        "employment_form": "standard",
        "joined_on": "2024-03-01",
    }
    response = client.post("/admin/members/member/add/", form)
    assert response.status_code == 200
    assert "15位旧身份证号码" in response.content.decode()
    assert Member.objects.count() == 0
    number = make_id_number()
    response = client.post("/admin/members/member/add/", {**form, "id_number": number})
    assert response.status_code == 302
    assert response["Location"] == "/admin/members/member/"
    member = Member.objects.get()
    assert member.id_number_masked == number[:6] + "********" + number[-4:]


def test_only_the_permitted_role_can_reveal_a_number_and_it_is_recorded(client, staff, people):
    member = people["zhili"]
    url = f"/admin/members/member/{member.pk}/id-number/"
    assert as_user(client, staff["district_admin"]).get(url).status_code == 403
    assert IdNumberAccess.objects.count() == 0
    response = as_user(client, staff["city_admin"]).get(url)
    assert response.status_code == 200
    access = IdNumberAccess.objects.get()
    assert (access.user, access.member, access.channel) == (staff["city_admin"], member, "admin")


def _export(client, query: str = ""):
    """The admin's 导出 as a clerk clicks it: the form's POST makes an export job (the register
    of a city is never built inside a request), which runs, and its file is downloaded."""
    response = client.post(
        f"/admin/members/member/export/{query}",
        {
            "format": "0",
            "resource": "0",
            **{
                f"memberresource_{f}": "on"
                for f in [
                    "name",
                    "id_number",
                    "phone",
                    "union_code",
                    "enterprise_name",
                    "credit_code",
                    "joined_on",
                    "employment_form",
                ]
            },
        },
    )
    _job, content = finish_export(client, response)
    return [list(r) for r in sheet_rows(content)]


def test_export_gives_the_template_back_masked_and_scoped(client, staff, people):
    rows = _export(as_user(client, staff["district_admin"]))
    assert rows[0] == [
        "姓名",
        "公民身份号码",
        "手机号码",
        "所属工会编码",
        "工作单位名称",
        "统一社会信用代码",
        "入会日期",
        "就业形态",
    ]
    names = {r[0] for r in rows[1:]}
    assert names == {"织里甲", "八里店乙"}
    assert all("********" in r[1] for r in rows[1:])
    assert IdNumberAccess.objects.count() == 0


def test_export_by_the_permitted_role_carries_full_numbers_and_records_each(client, staff, people):
    rows = _export(as_user(client, staff["city_admin"]))
    assert all("*" not in r[1] and len(r[1]) == 18 for r in rows[1:])
    assert IdNumberAccess.objects.filter(channel="export").count() == 3


def test_export_defuses_cells_that_excel_would_run_as_formulas(client, staff, tree):
    MemberFactory(union=tree.zhili_factory, name='=HYPERLINK("http://x","点我")')
    rows = _export(as_user(client, staff["township_admin"]))
    assert rows[1][0].startswith("'=")


def test_admin_import_reports_bad_rows_by_number_and_writes_nothing(client, staff, tree):
    good, bad = make_id_number(), make_id_number()
    content = roster_csv(
        [
            row("张三", good, tree.zhili_factory.code),
            row("李四", bad[:-1] + ("0" if bad[-1] != "0" else "1"), tree.zhili_factory.code),
        ],
        encoding="gb18030",
    )
    client = as_user(client, staff["township_admin"])
    response = client.post(
        "/admin/members/member/import/",
        {"format": "1", "resource": "0", "import_file": SimpleUploadedFile("名册.csv", content)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "校验位错误" in page
    assert Member.objects.count() == 0


def test_admin_import_previews_then_writes_on_confirm(client, staff, tree):
    content = roster_csv(
        [row("张三", make_id_number(), tree.zhili_factory.code)], encoding="utf-8-sig"
    )
    client = as_user(client, staff["township_admin"])
    response = client.post(
        "/admin/members/member/import/",
        {"format": "1", "resource": "0", "import_file": SimpleUploadedFile("roster.csv", content)},
    )
    assert response.status_code == 200
    assert Member.objects.count() == 0  # the preview is a dry run
    confirm = response.context["confirm_form"].initial
    response = client.post("/admin/members/member/process_import/", confirm)
    assert response.status_code == 302
    assert response["Location"] == "/admin/members/member/"
    assert Member.objects.get().name == "张三"
