"""Chinese 403, 404, 500 and CSRF pages, each leading back into the area the person was in: the
admin to 工作台, the dashboard to 指标看板, the portal to 会员服务首页."""

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

from common import errors

BACK = {
    "admin": ("返回工作台", 'href="/admin/"'),
    "dashboard": ("返回指标看板", 'href="/dashboard/"'),
    "portal": ("返回会员服务首页", 'href="/portal/"'),
}


def assert_chinese_page(response, status: int, area: str, title: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    label, href = BACK[area]
    assert title in html
    assert label in html and href in html
    assert "Forbidden" not in html and "Not Found" not in html and "Server Error" not in html


@pytest.mark.django_db
def test_an_unknown_admin_page_is_a_chinese_404_back_to_the_workbench(client, staff):
    client.force_login(staff["township_admin"])
    assert_chinese_page(client.get("/admin/no-such-page/"), 404, "admin", "页面不存在")


@pytest.mark.django_db
def test_an_unknown_dashboard_page_is_a_chinese_404_back_to_the_board(client, staff):
    client.force_login(staff["leadership"])
    assert_chinese_page(client.get("/dashboard/no-such-page/"), 404, "dashboard", "页面不存在")


@pytest.mark.django_db
def test_an_unknown_portal_page_is_a_chinese_404_back_to_the_portal_home(client):
    assert_chinese_page(client.get("/portal/no-such-page/"), 404, "portal", "页面不存在")
    assert_chinese_page(client.get("/no-such-page/"), 404, "portal", "页面不存在")


@pytest.mark.django_db
def test_an_admin_page_the_role_may_not_open_is_a_chinese_403_back_to_the_workbench(client, staff):
    # the leadership role reads only: adding a member is refused
    client.force_login(staff["leadership"])
    assert_chinese_page(client.get("/admin/members/member/add/"), 403, "admin", "无权访问")


@pytest.mark.django_db
def test_a_dashboard_refusal_is_a_chinese_403_with_its_reason(client, tree):
    # given: a staff account no union was assigned to
    user = User.objects.create_user("orphan", password="pw-12345678", is_staff=True)
    client.force_login(user)

    response = client.get("/dashboard/")

    assert_chinese_page(response, 403, "dashboard", "无权访问")
    assert "未分配所属工会" in response.content.decode()


def test_a_portal_refusal_is_a_chinese_403_back_to_the_portal_home():
    request = RequestFactory().get("/portal/me/claims/1/")
    response = errors.permission_denied(request, PermissionError("forbidden"))
    assert_chinese_page(response, 403, "portal", "无权访问")
    # an English exception text is not shown to a worker
    assert "forbidden" not in response.content.decode()


@pytest.mark.parametrize(
    ("path", "area"),
    [
        ("/admin/members/member/", "admin"),
        ("/dashboard/", "dashboard"),
        ("/portal/card/", "portal"),
    ],
)
def test_the_500_page_is_chinese_and_renders_without_the_database(path, area):
    # No django_db mark: any query here would fail the test. No request context processors run.
    response = errors.server_error(RequestFactory().get(path))
    assert_chinese_page(response, 500, area, "系统出错了")


def test_an_api_error_answers_json_in_chinese():
    response = errors.page_not_found(RequestFactory().get("/api/v1/nothing/"))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "不存在" in json.loads(response.content)["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "area"),
    [
        ("/admin/login/", "admin"),
        ("/dashboard/rollup/", "dashboard"),
        ("/portal/sign-in/", "portal"),
    ],
)
def test_a_form_failing_the_csrf_check_gets_a_chinese_page_with_a_way_back(path, area):
    client = Client(enforce_csrf_checks=True)
    response = client.post(path, {"username": "x", "password": "y"})
    assert_chinese_page(response, 403, area, "页面已过期")
    assert "重新填写" in response.content.decode()
