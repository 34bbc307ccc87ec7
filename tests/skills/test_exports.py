"""Exports carry only the clerk's tree, ID numbers masked, formulas defused."""

import pytest
from django.test import Client
from django.urls import reverse

from members.actors import SYSTEM
from skills import selectors
from skills.models import Honour
from skills.resources import EntryResource, HonourResource
from tests.factories import MemberFactory
from tests.skills.factories import CompetitionFactory, EntryFactory, HonourFactory

pytestmark = pytest.mark.django_db


def test_an_honour_export_holds_only_the_clerks_tree(tree, staff):
    # given
    HonourFactory(member=MemberFactory(union=tree.zhili_factory, name="张伟"))
    HonourFactory(member=MemberFactory(union=tree.shuanglin_factory, name="赵强"))
    # when
    data = HonourResource().export(queryset=selectors.honour_list(viewer=staff["district_admin"]))
    # then
    assert data.headers[:3] == ["称号", "年度", "获得者"]
    assert [row[:3] for row in data] == [("湖州工匠", "2024", "张伟")]


def test_an_entry_export_masks_ids_and_defuses_formulas(tree, staff):
    # given
    competition = CompetitionFactory(union=tree.wuxing, name="=HYPERLINK(1)")
    member = MemberFactory(union=tree.zhili_factory)
    EntryFactory(competition=competition, member=member)
    # when
    data = EntryResource().export(queryset=selectors.entry_list(viewer=staff["district_admin"]))
    # then
    row = data[0]
    assert row[0] == "'=HYPERLINK(1)"
    assert row[2] == member.id_number_masked and "*" in row[2]


def test_the_export_pages_open_for_a_clerk(tree, staff):
    # given
    client = Client()
    client.force_login(staff["district_admin"])
    # when / then
    for model in ("honour", "competitionentry"):
        assert client.get(reverse(f"admin:skills_{model}_export")).status_code == 200


def test_a_persons_title_counts_under_their_union_whatever_the_caller_names(tree):
    # given
    from skills import services

    member = MemberFactory(union=tree.zhili_factory)
    # when
    honour = services.honour_award(
        kind=Honour.Kind.HUZHOU_CRAFTSMAN,
        year=2024,
        awarding_body="湖州市人民政府",
        member=member,
        union=tree.nanxun,
        by=SYSTEM,
    )
    # then
    assert honour.union == tree.zhili_factory
