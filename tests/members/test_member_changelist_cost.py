"""Issue 13: the member list a clerk searches (by full name, by a phone's beginning) costs the same
few statements whether it shows five members or fifty, and nothing on it is built for nothing:
no count ordered over the whole subtree, no model list for a sidebar the site does not show, no
second query for the viewer's union, row checkboxes without the form-widget templates."""

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite, ModelAdmin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from common.admin_site import HuzhouAdminSite
from common.paging import CappedCountPaginator
from members.models import Member
from members.scoping import viewer_union
from tests.factories import EnterpriseFactory, MemberFactory, UnionFactory

pytestmark = pytest.mark.django_db

URL = "/admin/members/member/"
# Session, user, the user's and the group's permissions, the staff profile with its union, the
# capped count, the page of members with their unions and enterprises, and the request's
# transaction (a savepoint and its release inside a test).
STATEMENTS = 9


def _members(n: int, under, *, name: str, phone_prefix: str) -> None:
    """n members, each in a union and an enterprise of its own, so a column that read its union
    or enterprise row by row would add a statement per member."""
    for i in range(n):
        union = UnionFactory(parent=under)
        MemberFactory(
            name=name,
            phone=f"{phone_prefix}{i:04d}",
            union=union,
            enterprise=EnterpriseFactory(union=union),
        )


def _statements(client, params: dict) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries), response.content


@pytest.mark.parametrize("who", ["city_admin", "district_admin"])
@pytest.mark.parametrize("search", [{"q": "欧阳明"}, {"q": "1391234"}, {}])
def test_the_member_list_costs_the_same_few_statements_for_5_and_for_50_members(
    client, staff, tree, who, search
):
    # given: 5 matching members in 吴兴, and a viewer whose session was just saved
    _members(5, tree.zhili, name="欧阳明", phone_prefix="1391234")
    client.force_login(staff[who])
    # when
    few, page = _statements(client, search)
    _members(45, tree.balidian, name="欧阳明", phone_prefix="1391234")
    many, full_page = _statements(client, search)
    # then: the fifty are shown, for no more statements than the five
    assert page.count(b'class="action-select"') == 5
    assert full_page.count(b'class="action-select"') == 50
    assert few == many <= STATEMENTS, (few, many)


def test_the_list_still_shows_every_column_of_a_member(client, staff, tree):
    union = UnionFactory(parent=tree.zhili, name="织里测试厂工会")
    MemberFactory(
        name="欧阳明",
        union=union,
        enterprise=EnterpriseFactory(union=union, name="织里测试厂"),
    )
    client.force_login(staff["district_admin"])

    page = client.get(URL, {"q": "欧阳明"}).content.decode()

    for shown in ("欧阳明", "织里测试厂工会", "织里测试厂", "2020年1月1日"):
        assert shown in page
    headings = ("姓名", "公民身份号码", "性别", "所属工会", "工作单位", "就业形态", "入会日期")
    for heading in (*headings, "会籍状态"):
        assert heading in page


def test_the_capped_count_reads_no_ordered_subtree():
    for _ in range(3):
        MemberFactory()
    paginator = CappedCountPaginator(Member.objects.order_by("-joined_on", "pk"), 2)

    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 3

    assert "ORDER BY" not in queries[0]["sql"]
    # the page itself keeps the list's order
    assert list(paginator.page(1).object_list) == list(
        Member.objects.order_by("-joined_on", "pk")[:2]
    )


def test_a_row_checkbox_is_the_html_django_would_render(tree):
    member = MemberFactory(name="欧<b>阳", union=tree.zhili)
    model_admin = admin.site._registry[Member]

    assert model_admin.action_checkbox(member) == ModelAdmin.action_checkbox(model_admin, member)


def test_the_model_list_is_built_for_the_workbench_only(client, staff, monkeypatch):
    built = []
    original = HuzhouAdminSite.get_app_list

    def get_app_list(self, request, app_label=None):
        built.append(request.path)
        return original(self, request, app_label)

    monkeypatch.setattr(HuzhouAdminSite, "get_app_list", get_app_list)
    client.force_login(staff["district_admin"])

    assert client.get(URL).status_code == 200
    assert built == []
    assert "会员" in client.get("/admin/").content.decode()
    assert built == ["/admin/"]


def test_every_admin_page_gets_the_context_django_gives_it(staff):
    request = RequestFactory().get(URL)
    request.user = staff["district_admin"]

    ours = admin.site.each_context(request)
    djangos = AdminSite.each_context(admin.site, request)

    assert set(ours) == set(djangos)
    assert list(ours["available_apps"]) == djangos["available_apps"]


def test_the_viewers_union_is_read_with_the_profile_in_one_query(staff, tree):
    user = type(staff["district_admin"]).objects.get(pk=staff["district_admin"].pk)

    with CaptureQueriesContext(connection) as queries:
        assert viewer_union(user) == tree.wuxing
        assert user.staff_profile.union == tree.wuxing
        assert viewer_union(user) == tree.wuxing

    assert len(queries) == 1


def test_a_user_without_a_profile_has_no_union(db):
    from django.contrib.auth.models import User

    user = User.objects.create_user("noprofile", is_staff=True)

    assert viewer_union(user) is None
    with pytest.raises(User.staff_profile.RelatedObjectDoesNotExist):
        user.staff_profile  # noqa: B018  (the accessor answers as Django's would)
