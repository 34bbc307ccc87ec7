"""Claims keyed in from paper forms: row-numbered problems, all or nothing, idempotent, and the
same checks and arithmetic as a claim filed one by one."""

from decimal import Decimal

import pytest

from members.actors import system
from tests.factories import MemberFactory, make_id_number
from tests.welfare.factories import EnrolmentFactory
from welfare.importing import CLAIM_HEADERS, claim_import
from welfare.models import Claim, ClaimEvent

pytestmark = pytest.mark.django_db


def table(*rows):
    return [(i, list(r)) for i, r in enumerate([CLAIM_HEADERS, *rows], 1)]


@pytest.fixture
def enrolled(tree, line):
    number = make_id_number()
    member = MemberFactory(union=tree.zhili_factory, id_number=number)
    EnrolmentFactory(member=member, line=line)
    return member, number


def row(member, number, year, eligible="7000.00", hospital="湖州市中心医院", admitted="03-01"):
    return [
        member.name,
        number,
        "住院医疗互助",
        f"{year}-{admitted}",
        f"{year}-03-09",
        hospital,
        "住院",
        "9,000.00",
        eligible,
        "肺炎",
    ]


def test_claims_are_filed_with_the_rules_amount_and_a_second_import_adds_nothing(
    enrolled, line, staff
):
    member, number = enrolled
    rows = [
        row(member, number, line.plan.year),
        row(member, number, line.plan.year, "2500", "南浔医院"),
    ]
    first = claim_import(plan=line.plan, table=table(*rows), by=staff["township_admin"])
    second = claim_import(plan=line.plan, table=table(*rows), by=staff["township_admin"])
    assert (first.ok, first.created, second.created, second.unchanged) == (True, 2, 0, 2)
    assert sorted(Claim.objects.values_list("allowed_amount", flat=True)) == [
        Decimal("750.00"),
        Decimal("3000.00"),
    ]
    assert ClaimEvent.objects.filter(to_state="submitted").count() == 2


def test_bad_rows_are_named_and_nothing_is_written(enrolled, line, tree):
    member, number = enrolled
    year = line.plan.year
    stranger = MemberFactory(union=tree.zhili_factory, id_number=(n2 := make_id_number()))
    bad_money = row(member, number, year, eligible="七千")
    too_much = row(member, number, year, eligible="9500.00")
    rows = [row(member, number, year), bad_money, row(stranger, n2, year), too_much]
    report = claim_import(plan=line.plan, table=table(*rows), by=system("test"))
    assert [p.row for p in report.problems] == [3, 4, 5]
    text = {p.row: "；".join(p.messages) for p in report.problems}
    assert "不是金额" in text[3]
    assert "未参加" in text[4]
    assert "不能超过医疗总费用" in text[5]
    assert Claim.objects.count() == 0
