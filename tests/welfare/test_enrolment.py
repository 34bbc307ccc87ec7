"""Enrolment: one per member per benefit line (a database constraint), within the plan's window;
bulk enrolment from a roster on the roster import's rules."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from common.spreadsheets import iter_rows
from members.actors import system
from tests.factories import EnterpriseFactory, MemberFactory, make_id_number
from tests.welfare.factories import EnrolmentFactory, LineFactory
from welfare import services
from welfare.importing import enrolment_import
from welfare.models import BenefitLine, Enrolment

pytestmark = pytest.mark.django_db
SYS = system("test")


def test_enrolling_a_member_takes_the_lines_contribution_and_the_enterprise_pays(
    line, tree, staff, this_year
):
    enterprise = EnterpriseFactory(union=tree.zhili_factory)
    member = MemberFactory(union=tree.zhili_factory, enterprise=enterprise)
    enrolment = services.enrolment_create(
        member=member, line=line, enrolled_on=dt.date(this_year, 1, 5), by=staff["grassroots_admin"]
    )
    assert (enrolment.contribution, enrolment.payer, enrolment.union) == (
        line.contribution,
        enterprise,
        tree.zhili_factory,
    )


def test_a_second_enrolment_in_the_same_line_is_refused(enrolment, staff):
    with pytest.raises(ValidationError, match="已参加"):
        services.enrolment_create(
            member=enrolment.member, line=enrolment.line, by=staff["city_admin"]
        )
    assert Enrolment.objects.count() == 1


def test_the_database_itself_refuses_a_second_enrolment(enrolment):
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(member=enrolment.member, line=enrolment.line)
    assert Enrolment.objects.count() == 1


def test_a_member_may_enrol_in_each_line_of_a_plan(enrolment, plan):
    other = LineFactory(plan=plan, kind=BenefitLine.Kind.MAJOR_ILLNESS, name="重大疾病互助")
    services.enrolment_create(member=enrolment.member, line=other, by=SYS)
    assert enrolment.member.enrolments.count() == 2


def test_enrolling_outside_the_window_or_after_leaving_is_refused(line, tree, this_year):
    member = MemberFactory(union=tree.zhili_factory)
    with pytest.raises(ValidationError, match="参保期"):
        services.enrolment_create(
            member=member, line=line, enrolled_on=dt.date(this_year - 1, 1, 1), by=SYS
        )
    member.status, member.left_on = "left", dt.date(2021, 1, 1)
    member.save()
    with pytest.raises(ValidationError, match="离会"):
        services.enrolment_create(
            member=member, line=line, enrolled_on=dt.date(this_year, 1, 5), by=SYS
        )
    assert Enrolment.objects.count() == 0


def test_staff_cannot_enrol_members_outside_their_tree(line, tree, staff):
    member = MemberFactory(union=tree.shuanglin_factory)
    with pytest.raises(PermissionDenied):
        services.enrolment_create(member=member, line=line, by=staff["district_admin"])
    assert Enrolment.objects.count() == 0


# --- bulk enrolment from a roster ----------------------------------------------------------------


def table(*rows):
    return [(i, list(r)) for i, r in enumerate([["姓名", "公民身份号码", "互助项目"], *rows], 1)]


def roster_members(tree, n=3):
    members = []
    for _ in range(n):
        number = make_id_number()
        members.append((MemberFactory(union=tree.zhili_factory, id_number=number), number))
    return members


def test_a_roster_enrols_every_row_and_a_second_import_adds_nothing(line, tree, staff):
    # given
    rows = [(m.name, n, "住院医疗互助") for m, n in roster_members(tree)]
    # when
    first = enrolment_import(plan=line.plan, table=table(*rows), by=staff["township_admin"])
    second = enrolment_import(plan=line.plan, table=table(*rows), by=staff["township_admin"])
    # then
    assert (first.ok, first.created, first.unchanged) == (True, 3, 0)
    assert (second.ok, second.created, second.unchanged) == (True, 0, 3)
    assert Enrolment.objects.filter(line=line).count() == 3


def test_one_bad_row_rolls_back_the_whole_roster_and_names_each_bad_row(line, tree, staff):
    # given: row 3 names the wrong person, row 4 an unknown line, row 5 repeats row 2
    (m1, n1), (_m2, n2), (m3, n3) = roster_members(tree)
    rows = [
        (m1.name, n1, "住院医疗互助"),
        ("张冒名", n2, "住院医疗互助"),
        (m3.name, n3, "牙科互助"),
        (m1.name, n1, "住院医疗互助"),
    ]
    # when
    report = enrolment_import(plan=line.plan, table=table(*rows), by=staff["township_admin"])
    # then
    assert not report.ok
    assert [p.row for p in report.problems] == [3, 4, 5]
    messages = {p.row: "；".join(p.messages) for p in report.problems}
    assert "姓名与会员登记" in messages[3]
    assert "牙科互助" in messages[4]
    assert "第2行重复" in messages[5]
    assert Enrolment.objects.count() == 0


def test_a_roster_row_outside_the_clerks_tree_is_refused(line, tree, staff):
    number = make_id_number()
    member = MemberFactory(union=tree.shuanglin_factory, id_number=number)
    report = enrolment_import(
        plan=line.plan,
        table=table((member.name, number, "住院医疗互助")),
        by=staff["township_admin"],
    )
    assert [p.row for p in report.problems] == [2]
    assert Enrolment.objects.count() == 0


def test_a_csv_roster_in_gb18030_is_read(line, tree):
    ((m1, n1),) = roster_members(tree, 1)
    data = f"姓名,公民身份号码,互助项目\n{m1.name},{n1},住院医疗互助\n".encode("gb18030")
    report = enrolment_import(
        plan=line.plan, table=iter_rows(io.BytesIO(data), "名单.csv"), by=system("test")
    )
    assert (report.ok, report.created) == (True, 1)


def test_a_dry_run_writes_nothing(line, tree):
    rows = [(m.name, n, "住院医疗互助") for m, n in roster_members(tree, 2)]
    report = enrolment_import(plan=line.plan, table=table(*rows), dry_run=True, by=system("test"))
    assert (report.ok, report.created) == (True, 2)
    assert Enrolment.objects.count() == 0


def test_the_womens_line_is_for_women_only(plan, tree):
    women = LineFactory(plan=plan, kind=BenefitLine.Kind.WOMEN_SPECIAL, name="女职工特殊疾病互助")
    man = MemberFactory(union=tree.zhili_factory, id_number=make_id_number(male=True))
    woman = MemberFactory(union=tree.zhili_factory, id_number=make_id_number(male=False))
    with pytest.raises(ValidationError, match="仅限女职工"):
        services.enrolment_create(member=man, line=women, by=SYS)
    services.enrolment_create(member=woman, line=women, by=SYS)
    assert list(Enrolment.objects.values_list("member", flat=True)) == [woman.pk]
