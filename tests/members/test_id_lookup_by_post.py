"""A full ID number never travels in a URL (issue 10, point 4): the admin search (?q=) and the API
(?search=) refuse it with a message naming the lookup; the admin lookup form and
POST /api/v1/members/lookup/ take it in the body and answer within the viewer's tree."""

import logging

import pytest
from django.urls import reverse

from tests.factories import MemberFactory, make_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def zhang(tree):
    number = make_id_number()
    member = MemberFactory(union=tree.zhili_factory, id_number=number, name="张三")
    return member, number


def test_the_admin_search_refuses_a_full_id_number(client, staff, zhang):
    member, number = zhang
    client.force_login(staff["township_admin"])
    page = client.get(reverse("admin:members_member_changelist"), {"q": number})
    body = page.content.decode()
    assert page.status_code == 200
    assert "完整公民身份号码不能在搜索框" in body
    assert reverse("admin:members_member_lookup") in body
    assert reverse("admin:members_member_change", args=[member.pk]) not in body


def test_the_api_search_refuses_a_full_id_number(api, staff, zhang):
    _member, number = zhang
    response = api(staff["township_admin"]).get("/api/v1/members/", {"search": number})
    assert response.status_code == 400
    assert "/api/v1/members/lookup/" in str(response.json())


def test_a_name_search_still_works(api, staff, zhang):
    response = api(staff["township_admin"]).get("/api/v1/members/", {"search": "张三"})
    assert [m["name"] for m in response.json()["results"]] == ["张三"]


def test_the_admin_lookup_form_finds_within_the_tree(client, staff, zhang):
    member, number = zhang
    url = reverse("admin:members_member_lookup")
    client.force_login(staff["township_admin"])
    assert client.get(url).status_code == 200
    found = client.post(url, {"id_number": number.lower()}).content.decode()
    assert member.id_number_masked in found and "张三" in found
    assert number not in found  # masked, and the form is not echoed back
    client.force_login(staff["nanxun_admin"])
    elsewhere = client.post(url, {"id_number": number}).content.decode()
    assert "张三" not in elsewhere and "没有持此公民身份号码的会员" in elsewhere


def test_the_api_lookup_finds_within_the_tree(api, staff, zhang):
    member, number = zhang
    url = "/api/v1/members/lookup/"
    mine = api(staff["township_admin"]).post(url, {"id_number": number}, format="json")
    theirs = api(staff["nanxun_admin"]).post(url, {"id_number": number}, format="json")
    leader = api(staff["leadership"]).post(url, {"id_number": number}, format="json")
    bad = api(staff["township_admin"]).post(url, {"id_number": "123"}, format="json")
    assert mine.status_code == 200 and [m["id"] for m in mine.json()] == [member.pk]
    assert theirs.status_code == 200 and theirs.json() == []
    assert leader.status_code == 200 and [m["id"] for m in leader.json()] == [member.pk]
    assert bad.status_code == 400


def test_a_whole_lookup_session_puts_the_number_in_no_url_and_no_log_line(
    client, api, staff, zhang, caplog
):
    # given: everything a clerk and a client system do to find a person by number
    member, number = zhang
    caplog.set_level(logging.DEBUG)
    client.force_login(staff["township_admin"])
    responses = [
        client.get(reverse("admin:members_member_changelist")),
        client.get(reverse("admin:members_member_lookup")),
        client.post(reverse("admin:members_member_lookup"), {"id_number": number}),
        client.get(reverse("admin:members_member_change", args=[member.pk])),
        api(staff["township_admin"]).post(
            "/api/v1/members/lookup/", {"id_number": number}, format="json"
        ),
    ]
    # then: no request line (what an access log keeps), redirect or log record holds it
    for response in responses:
        request_line = (
            response.request["PATH_INFO"] + "?" + response.request.get("QUERY_STRING", "")
        )
        assert number not in request_line and number.lower() not in request_line
        assert number not in response.headers.get("Location", "")
    assert all(number not in record.getMessage() for record in caplog.records)
    assert number not in caplog.text
