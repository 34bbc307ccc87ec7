"""A member de-identified by retention (issue 16) cannot be re-identified: the staff admin shows
the name, phone and ID number read-only, and the service refuses a name or phone written back."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from common.retention import DEIDENTIFIED_NAME, deidentify_expired
from members import services
from members.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gone(tree):
    member = MemberFactory(
        union=tree.zhili_factory,
        name="张三",
        phone="13800000000",
        joined_on=dt.date(2015, 1, 1),
        status=Member.Status.LEFT,
        left_on=dt.date(2019, 1, 1),
    )
    deidentify_expired(today=dt.date(2026, 6, 1))
    member.refresh_from_db()
    assert (member.name, member.phone, member.deidentified_on) == (
        DEIDENTIFIED_NAME,
        "",
        dt.date(2026, 6, 1),
    )
    return member


@pytest.mark.parametrize("data", [{"name": "张三"}, {"phone": "13800000000"}])
def test_the_service_refuses_to_write_a_name_or_phone_back(gone, staff, data):
    before = Member.objects.filter(pk=gone.pk).values().get()
    with pytest.raises(ValidationError) as refused:
        services.member_update(member=gone, data=dict(data), by=staff["district_admin"])
    assert refused.value.message_dict == {
        next(iter(data)): ["该会员信息已按保存期限去标识化，不能再填写姓名或手机号码。"]
    }
    assert Member.objects.filter(pk=gone.pk).values().get() == before
    assert not Member.history.filter(id=gone.pk, name="张三").exists()


def test_a_member_not_de_identified_is_still_edited(tree, staff):
    member = MemberFactory(union=tree.zhili_factory, name="李四")
    services.member_update(member=member, data={"name": "李思"}, by=staff["district_admin"])
    assert Member.objects.get(pk=member.pk).name == "李思"


def test_the_admin_shows_a_de_identified_members_name_and_phone_read_only(client, gone, staff):
    client.force_login(staff["district_admin"])
    page = client.get(reverse("admin:members_member_change", args=[gone.pk]))

    assert page.status_code == 200
    form = page.context["adminform"].form
    assert {"name", "phone"}.isdisjoint(form.fields)
    body = page.content.decode()
    assert DEIDENTIFIED_NAME in body and "去标识化日期" in body
    assert 'name="name"' not in body and 'name="phone"' not in body


def test_posting_a_new_name_to_a_de_identified_member_changes_nothing(client, tree, gone, staff):
    client.force_login(staff["district_admin"])
    url = reverse("admin:members_member_change", args=[gone.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        {
            "name": "张三",
            "phone": "13800000000",
            "enterprise": "",
            "employment_form": gone.employment_form,
            "joined_on": gone.joined_on.isoformat(),
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302
    row = Member.objects.get(pk=gone.pk)
    assert (row.name, row.phone, row.id_number_masked) == (DEIDENTIFIED_NAME, "", "")
    assert not Member.history.filter(id=gone.pk, name="张三").exists()
