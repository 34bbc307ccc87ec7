"""The admin lists' exports (attendance, activities, mutual-aid enrolments, claims, payouts,
concerns, competition entries, honours) leave the request when big (issue 13): over the inline limit the POST queues an export
job and the clerk goes to its page; the file holds the clerk's tree only, in the inline export's
columns, and another district's clerk gets a 404 for it. Under the limit the file comes back in
the request, as before."""

import csv
import datetime as dt
import io
import uuid
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from common.admin_exports import JobExportMixin
from common.export_jobs import SOURCES
from common.models import ExportJob
from members.actors import SYSTEM
from tests.activities.factories import ActivityFactory, AttendanceFactory
from tests.common.export_helpers import finish_export, job_from_redirect, sheet_rows
from tests.factories import MemberFactory
from tests.welfare.factories import ClaimFactory, EnrolmentFactory, LineFactory, PlanFactory
from welfare.models import Claim, Payout

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(tree):
    return LineFactory(plan=PlanFactory(union=tree.city, year=2024))


def _member(union, name):
    return MemberFactory(union=union, name=name)


def make_attendance(tree, union, marker, line):
    activity = ActivityFactory(union=union, title=marker)
    AttendanceFactory(activity=activity, member=_member(union, f"{marker}人"))


def make_activity(tree, union, marker, line):
    ActivityFactory(union=union, title=marker)


def make_enrolment(tree, union, marker, line):
    EnrolmentFactory(member=_member(union, marker), line=line)


def make_claim(tree, union, marker, line):
    ClaimFactory(
        enrolment=EnrolmentFactory(member=_member(union, f"{marker}人"), line=line), hospital=marker
    )


def make_payout(tree, union, marker, line):
    enrolment = EnrolmentFactory(member=_member(union, f"{marker}人"), line=line)
    claim = ClaimFactory(enrolment=enrolment, state=Claim.State.PAID)
    Payout.objects.create(
        claim=claim,
        union=claim.union,
        amount=Decimal("2500.00"),
        idempotency_key=uuid.uuid4().hex,
        paid_on=dt.date(2024, 4, 1),
        paid_at=timezone.now(),
        bank_reference=marker,
    )


def make_concern(tree, union, marker, line):
    from welfare import services

    services.concern_record(
        union=union, raised_by_name="职工", subject=marker, body="……", by=SYSTEM
    )


def make_entry(tree, union, marker, line):
    from tests.skills.factories import CompetitionFactory, EntryFactory

    EntryFactory(
        competition=CompetitionFactory(union=union, name=marker),
        member=_member(union, f"{marker}人"),
    )


def make_honour(tree, union, marker, line):
    from tests.skills.factories import HonourFactory

    HonourFactory(member=_member(union, marker))


# (admin url prefix, resource form prefix, columns chosen, the column the marker is in, maker)
EXPORTS = {
    "attendance": (
        "activities_attendance",
        "attendanceresource",
        ["activity", "name", "id_number", "method"],
        0,
        make_attendance,
    ),
    "activities": (
        "activities_activity",
        "activityresource",
        ["title", "union", "starts_at"],
        0,
        make_activity,
    ),
    "enrolments": (
        "welfare_enrolment",
        "enrolmentresource",
        ["member", "id_number", "year", "contribution"],
        0,
        make_enrolment,
    ),
    "claims": (
        "welfare_claim",
        "claimresource",
        ["number", "member", "id_number", "hospital", "allowed"],
        3,
        make_claim,
    ),
    "payouts": (
        "welfare_payout",
        "payoutresource",
        ["claim", "member", "amount", "bank_reference"],
        3,
        make_payout,
    ),
    "concerns": (
        "welfare_concern",
        "concernresource",
        ["subject", "union", "status"],
        0,
        make_concern,
    ),
    "entries": (
        "skills_competitionentry",
        "entryresource",
        ["competition", "name", "id_number", "award"],
        0,
        make_entry,
    ),
    "honours": (
        "skills_honour",
        "honourresource",
        ["year", "holder", "union"],
        1,
        make_honour,
    ),
}


@pytest.fixture(params=list(EXPORTS))
def export(request, tree, line):
    """Two rows in 吴兴 (织里, 八里店) and one in 南浔 (双林), told apart by their markers."""
    kind = request.param
    url, prefix, fields, at, make = EXPORTS[kind]
    make(tree, tree.zhili_factory, "织里记录", line)
    make(tree, tree.balidian_factory, "八里店记录", line)
    make(tree, tree.shuanglin_factory, "双林记录", line)
    return kind, url, prefix, fields, at


@pytest.fixture
def tiny_inline_limit(settings):
    settings.EXPORT_INLINE_MAX_ROWS = 1


def post_export(client, export, fmt="0", query=""):
    _kind, url, prefix, fields, _at = export
    return client.post(
        reverse(f"admin:{url}_export") + query,
        {"format": fmt, "resource": "0", **{f"{prefix}_{f}": "on" for f in fields}},
    )


def test_a_big_export_queues_a_job_and_the_clerk_goes_to_its_page(
    client, staff, export, tiny_inline_limit
):
    # given
    kind = export[0]
    client.force_login(staff["district_admin"])

    # when
    response = post_export(client, export)

    # then: no file in the request, a queued job of the list's kind for the clerk's district
    job = job_from_redirect(response)
    assert (job.kind, job.status, job.union, job.requested_by, job.holds_full_ids) == (
        kind,
        ExportJob.Status.QUEUED,
        staff["district_admin"].staff_profile.union,
        staff["district_admin"],
        False,
    )
    assert job.params["fields"] == export[3]


def test_the_jobs_file_holds_the_clerks_tree_only_and_another_district_gets_404(
    client, staff, export, tiny_inline_limit
):
    # given
    at = export[4]
    client.force_login(staff["district_admin"])

    # when
    job, content = finish_export(client, post_export(client, export))

    # then: 吴兴's two rows; 双林 (南浔) absent
    rows = sheet_rows(content)
    assert len(rows[0]) == len(export[3])
    assert sorted(str(r[at]) for r in rows[1:]) == ["八里店记录", "织里记录"]
    assert job.rows_done == 2

    # and: 南浔's admin gets a 404 for the job's page and its file
    client.force_login(staff["nanxun_admin"])
    assert client.get(f"/exports/{job.pk}/").status_code == 404
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404


def test_a_small_export_still_comes_back_in_the_request(client, staff, export):
    # given: the default limit (thousands of rows) over three
    client.force_login(staff["district_admin"])

    # when
    response = post_export(client, export)

    # then
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert ExportJob.objects.count() == 0


@pytest.mark.parametrize("fmt", ["0", "1"])
def test_the_jobs_file_has_the_inline_files_columns_and_cells(
    client, staff, tree, line, settings, fmt
):
    # given: claims, exported inline and then as a job
    export = ("claims", *EXPORTS["claims"][:4])
    for union, marker in ((tree.zhili_factory, "织里记录"), (tree.balidian_factory, "=1+1")):
        make_claim(tree, union, marker, line)
    client.force_login(staff["district_admin"])
    inline = post_export(client, export, fmt=fmt)
    assert inline.status_code == 200

    # when
    settings.EXPORT_INLINE_MAX_ROWS = 1
    job, content = finish_export(client, post_export(client, export, fmt=fmt))

    # then: the same table (formula defused in both)
    if fmt == "0":
        assert sheet_rows(content) == sheet_rows(inline.content)
    else:
        job_rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        inline_rows = list(csv.reader(io.StringIO(inline.content.decode("utf-8-sig"))))
        assert job_rows == inline_rows
        assert "'=1+1" in {r[3] for r in job_rows}
    assert job.file_format == ("xlsx" if fmt == "0" else "csv")


def test_the_lists_filter_and_search_carry_over_to_the_job(
    client, staff, tree, line, tiny_inline_limit
):
    # given: four claims in 吴兴, two of them approved
    export = ("claims", *EXPORTS["claims"][:4])
    for union, marker in (
        (tree.zhili_factory, "织里医院"),
        (tree.zhili_factory, "织里二院"),
        (tree.balidian_factory, "八里店医院"),
        (tree.balidian_factory, "八里店二院"),
    ):
        make_claim(tree, union, marker, line)
    Claim.objects.filter(hospital__in=["织里二院", "八里店医院"]).update(state=Claim.State.APPROVED)
    client.force_login(staff["district_admin"])

    # when: the list searched for 织里, then filtered to approved claims
    _job, searched = finish_export(client, post_export(client, export, query="?q=织里"))
    _job, filtered = finish_export(
        client, post_export(client, export, query="?state__exact=approved")
    )

    # then
    assert sorted(r[3] for r in sheet_rows(searched)[1:]) == ["织里二院", "织里医院"]
    assert sorted(r[3] for r in sheet_rows(filtered)[1:]) == ["八里店医院", "织里二院"]


def test_a_clerk_who_lost_the_right_to_export_gets_a_failed_job_not_a_file(
    client, staff, tree, line, tiny_inline_limit
):
    # given: a queued claims export, then the clerk's export (view) permission is gone
    export = ("claims", *EXPORTS["claims"][:4])
    for union in (tree.zhili_factory, tree.balidian_factory):
        make_claim(tree, union, "织里记录", line)
    clerk = staff["district_admin"]
    client.force_login(clerk)
    job = job_from_redirect(post_export(client, export))
    clerk.groups.clear()
    clerk.user_permissions.clear()

    # when
    from common.export_jobs import export_run

    with pytest.raises(Exception, match="权限"):
        export_run(job.pk)

    # then
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert not job.chunks.exists()


def test_every_job_exporting_admin_names_a_kind_with_a_source():
    # given / when
    admins = [a for a in admin.site._registry.values() if isinstance(a, JobExportMixin)]

    # then: each list's big export has somewhere to go
    assert len(admins) >= 8
    assert all(a.export_kind in SOURCES for a in admins), [
        type(a).__name__ for a in admins if a.export_kind not in SOURCES
    ]
