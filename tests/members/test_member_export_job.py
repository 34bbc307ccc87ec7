"""The member register's admin export runs as an export job (issue 13: the city admin exporting
681,000 members must not hold a web worker): the list's filters and search carry over, full ID
numbers only for the permitted role, each recorded, and such a file only for the one who asked."""

import pytest

from common.models import ExportJob
from members.models import IdNumberAccess
from tests.common.export_helpers import finish_export, job_from_redirect, sheet_rows
from tests.factories import MemberFactory, make_id_number

pytestmark = pytest.mark.django_db

FIELDS = ["name", "id_number", "union_code", "employment_form"]


@pytest.fixture
def people(tree):
    return {
        "zhili": MemberFactory(union=tree.zhili_factory, name="织里甲"),
        "courier": MemberFactory(
            union=tree.zhili_joint, name="织里快递员", employment_form="courier"
        ),
        "balidian": MemberFactory(union=tree.balidian_factory, name="八里店乙"),
        "shuanglin": MemberFactory(union=tree.shuanglin_factory, name="双林丙"),
    }


def post_export(client, query: str = "", fields=FIELDS, fmt: str = "0"):
    return client.post(
        f"/admin/members/member/export/{query}",
        {"format": fmt, "resource": "0", **{f"memberresource_{f}": "on" for f in fields}},
    )


def test_the_export_form_answers_as_before_and_its_post_starts_a_job(client, staff, people):
    # given
    client.force_login(staff["district_admin"])

    # when
    form = client.get("/admin/members/member/export/")
    response = post_export(client)

    # then: no file inside the request, a queued job and its page
    assert form.status_code == 200
    job = job_from_redirect(response)
    assert (job.kind, job.status, job.union, job.file_format) == (
        "members",
        "queued",
        staff["district_admin"].staff_profile.union,
        "xlsx",
    )
    assert job.params["fields"] == FIELDS


def test_the_lists_filters_and_search_carry_over_to_the_file(client, staff, people):
    # given
    client.force_login(staff["district_admin"])

    # when: the list filtered to couriers, then searched by name
    _job, by_form = finish_export(client, post_export(client, "?employment_form__exact=courier"))
    _job, by_name = finish_export(client, post_export(client, "?q=八里店"))

    # then
    assert [r[0] for r in sheet_rows(by_form)[1:]] == ["织里快递员"]
    assert [r[0] for r in sheet_rows(by_name)[1:]] == ["八里店乙"]
    assert sheet_rows(by_form)[1][3] == "快递员"  # the label, as the template reads it


def test_a_full_id_number_in_the_search_exports_nothing(client, staff, people):
    # given: the admin list refuses such a search (it would sit in a URL); so does its export
    client.force_login(staff["city_admin"])

    # when
    job, content = finish_export(client, post_export(client, f"?q={make_id_number()}"))

    # then
    assert sheet_rows(content)[1:] == []
    assert job.rows_done == 0
    assert IdNumberAccess.objects.count() == 0


def test_full_numbers_go_only_to_the_permitted_role_each_recorded_and_only_to_them(
    client, staff, people
):
    # given
    client.force_login(staff["city_admin"])

    # when
    job, content = finish_export(client, post_export(client))

    # then: full numbers, each member's access recorded against the city admin
    rows = sheet_rows(content)[1:]
    assert len(rows) == 4
    assert all("*" not in r[1] and len(r[1]) == 18 for r in rows)
    assert job.holds_full_ids
    assert set(IdNumberAccess.objects.filter(channel="export").values_list("user", "member")) == {
        (staff["city_admin"].pk, m.pk) for m in people.values()
    }

    # and: read-only leadership over the same tree may not fetch a file with full numbers
    client.force_login(staff["leadership"])
    assert client.get(f"/exports/{job.pk}/").status_code == 404
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404


def test_a_district_admins_file_is_masked_within_their_tree_and_records_nothing(
    client, staff, people
):
    # given
    client.force_login(staff["district_admin"])

    # when
    job, content = finish_export(client, post_export(client))

    # then
    rows = sheet_rows(content)[1:]
    assert {r[0] for r in rows} == {"织里甲", "织里快递员", "八里店乙"}
    assert all("********" in r[1] for r in rows)
    assert not job.holds_full_ids
    assert IdNumberAccess.objects.count() == 0

    # and: 南浔's admin gets a 404 for it
    client.force_login(staff["nanxun_admin"])
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404


def test_csv_export_runs_as_a_job_too(client, staff, people):
    # given
    client.force_login(staff["township_admin"])

    # when
    job, content = finish_export(client, post_export(client, fields=["name"], fmt="1"))

    # then
    assert job.file_format == "csv"
    assert content.decode("utf-8-sig").splitlines() == ["姓名", "织里甲", "织里快递员"]
    assert ExportJob.objects.count() == 1
