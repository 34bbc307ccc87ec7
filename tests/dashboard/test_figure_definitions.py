"""Issue 15: each doubtful figure counts what the report card means, and every figure carries its
definition (统计口径). Each test below is a case the old definition counted wrongly."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from activities.kinds import ActivityKind
from common.figures import figure, load_all
from dashboard.admin import IndicatorForm
from dashboard.models import Indicator
from members.models import EnterpriseYear, Member, StaffProfile, Union
from skills.models import Competition
from tests.activities.factories import ActivityFactory, CulturePositionFactory, local
from tests.factories import EnterpriseFactory, MemberFactory, UnionFactory, make_staff
from tests.skills.factories import CompetitionFactory
from welfare.models import WageContract

pytestmark = pytest.mark.django_db

YEAR = 2024


def value(key: str, union: Union, **kwargs) -> Decimal:
    return load_all()[key].compute(year=YEAR, union=union, **kwargs)


@pytest.fixture
def tree():
    city = UnionFactory(code="C", level=Union.Level.CITY)
    a = UnionFactory(code="A", parent=city, level=Union.Level.DISTRICT)
    b = UnionFactory(code="B", parent=city, level=Union.Level.DISTRICT)
    town = UnionFactory(code="T", parent=a, level=Union.Level.TOWNSHIP)
    shop = UnionFactory(code="G", parent=town, level=Union.Level.GRASSROOTS)
    return city, a, b, town, shop


# --- definitions --------------------------------------------------------------------------------


def test_a_figure_without_a_definition_is_refused():
    with pytest.raises(ValueError):
        figure("test_no_definition", union_path="union", aggregate="sum")
    with pytest.raises(ValueError):
        figure("test_no_definition", union_path="union", aggregate="sum", definition="  ")


def test_every_figure_carries_a_chinese_definition_with_its_period():
    for key, fig in load_all().items():
        assert fig.definition.startswith("统计"), key
        assert "统计期间" in fig.definition or "统计时点" in fig.definition, key


def test_the_drilldown_page_shows_the_definition_and_the_city_note(client, tree):
    city, *_ = tree
    Indicator.objects.filter(key="member_day_events").update(note="含线上直播会员日。")
    client.force_login(make_staff(city, StaffProfile.Role.CITY_ADMIN, "city-def"))

    page = client.get(
        reverse("dashboard:drilldown", args=["member_day_events"]),
        {"year": YEAR, "union": city.code},
    )

    assert page.status_code == 200
    text = page.content.decode()
    assert load_all()["member_day_events"].definition in text
    assert "含线上直播会员日。" in text


# --- member_day_events: distinct months on the 20th ---------------------------------------------


def member_day(union, month, day=20, hour=19):
    return ActivityFactory(
        code=ActivityKind.MEMBER_DAY, union=union, starts_at=local(YEAR, month, day, hour)
    )


def test_twelve_member_days_in_one_month_are_one_month_not_twelve(tree):
    city, a, b, town, shop = tree
    for union in (city, a, b, town, shop, city, a, b, town, shop, city, a):
        member_day(union, 5)

    assert value("member_day_events", city) == 1  # the old definition: 12, the target met


def test_member_days_count_the_months_of_the_20th_across_the_tree(tree):
    city, a, b, town, _shop = tree
    for month in range(1, 7):
        member_day(town, month)
    for month in range(4, 10):
        member_day(b, month)
    member_day(a, 11, day=21)  # not the 20th: not a member day of the card
    member_day(a, 12, day=20, hour=0)  # 00:30 on the 20th in Huzhou (the 19th in UTC) counts

    assert value("member_day_events", a) == 7  # months 1-6 and 12
    assert value("member_day_events", b) == 6
    assert value("member_day_events", city) == 10  # 1-9 and 12: not 6 + 6 + 1


# --- township_culture_positions: township unions, not positions ---------------------------------


def test_a_township_with_two_positions_counts_once_and_grassroots_positions_not_at_all(tree):
    city, a, _b, town, shop = tree
    CulturePositionFactory(union=town, opened_on=dt.date(YEAR, 3, 1))
    CulturePositionFactory(union=town, opened_on=dt.date(YEAR, 9, 1))
    CulturePositionFactory(union=shop, opened_on=dt.date(YEAR, 9, 1))

    assert value("township_culture_positions", city) == 1  # the old definition: 2
    fig = load_all()["township_culture_positions"]
    assert fig.compute_until(year=YEAR, union=a, until=dt.date(YEAR, 2, 28)) == 0
    assert fig.compute_until(year=YEAR, union=a, until=dt.date(YEAR, 3, 1)) == 1
    row = fig.records(year=YEAR, union=city).get()
    assert row.positions_in_year == 2


# --- provincial_competitions_hosted: the host is checked ----------------------------------------


def test_only_provincial_competitions_hosted_in_the_tree_count(tree):
    city, a, b, _town, shop = tree
    provincial = {"level": Competition.Level.PROVINCIAL, "start_date": dt.date(YEAR, 5, 1)}
    CompetitionFactory(union=city, host=city.name, host_union=city, **provincial)
    CompetitionFactory(union=a, host="湖州交通职业技术学校", host_union=shop, **provincial)
    CompetitionFactory(union=a, host="杭州市总工会", **provincial)  # a team sent, not hosted
    CompetitionFactory(union=a, host="", **provincial)
    # A host union outside the record's tree is not a competition this tree hosted.
    CompetitionFactory(union=a, host=b.name, host_union=b, **provincial)

    assert value("provincial_competitions_hosted", city) == 2  # the old definition: 5
    assert value("provincial_competitions_hosted", a) == 1


def test_a_host_written_by_name_alone_is_not_counted(tree):
    """The figure reads the host union (a reference), never a name: the name of the union typed
    into 承办单位 without the reference does not count."""
    city, *_ = tree
    CompetitionFactory(
        union=city,
        level=Competition.Level.PROVINCIAL,
        start_date=dt.date(YEAR, 5, 1),
        host=city.name,
    )
    assert value("provincial_competitions_hosted", city) == 0


def test_the_migration_resolves_host_names_to_host_unions(tree):
    """skills 0004 gives existing competitions the host union their 承办单位 text named, by the
    rule the figure used before: the record's own union, a union under it, or an enterprise under
    it (its union); a name outside the tree stays unresolved."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("skills.migrations.0004_competition_host_union")
    city, a, b, town, shop = tree
    EnterpriseFactory(union=shop, name="湖州交通职业技术学校")
    provincial = {"level": Competition.Level.PROVINCIAL, "start_date": dt.date(YEAR, 5, 1)}
    own = CompetitionFactory(union=city, host=city.name, **provincial)
    below = CompetitionFactory(union=a, host=town.name, **provincial)
    school = CompetitionFactory(union=a, host="湖州交通职业技术学校", **provincial)
    elsewhere = CompetitionFactory(union=a, host=b.name, **provincial)
    unknown = CompetitionFactory(union=a, host="杭州市总工会", **provincial)

    migration.resolve_host_names(apps, None)

    hosts = dict(Competition.objects.values_list("pk", "host_union"))
    assert hosts[own.pk] == city.pk
    assert hosts[below.pk] == town.pk
    assert hosts[school.pk] == shop.pk
    assert hosts[elsewhere.pk] is None
    assert hosts[unknown.pk] is None
    assert value("provincial_competitions_hosted", city) == 3


# --- new_gig_worker_members: persons, by the form at joining ------------------------------------


def test_gig_members_are_persons_counted_by_the_form_they_joined_in(tree):
    city, a, b, *_ = tree
    courier = Member.EmploymentForm.COURIER
    rejoined = MemberFactory(
        union=a,
        employment_form=courier,
        joined_on=dt.date(YEAR, 2, 1),
        left_on=dt.date(YEAR, 5, 1),
        status=Member.Status.LEFT,
    )
    MemberFactory(
        union=b,
        employment_form=courier,
        joined_on=dt.date(YEAR, 8, 1),
        id_number_hash=rejoined.id_number_hash,
    )
    became_standard = MemberFactory(union=a, employment_form=courier, joined_on=dt.date(YEAR, 3, 1))
    became_standard.employment_form = Member.EmploymentForm.STANDARD
    became_standard.save()
    became_courier = MemberFactory(union=a, joined_on=dt.date(YEAR, 3, 1))
    became_courier.employment_form = courier
    became_courier.save()

    # the old definition: 3 (two rows of one person, and the one who became a courier later)
    assert value("new_gig_worker_members", city) == 2
    assert became_standard.employment_form_at_joining == courier
    assert value("new_gig_worker_members", a) == 2
    assert value("new_gig_worker_members", b) == 1


# --- wage_contract_coverage: 规上建会 of the year, area contracts -------------------------------


def contract(**kwargs) -> WageContract:
    return WageContract.objects.create(
        signed_on=dt.date(YEAR - 1, 6, 1),
        expires_on=dt.date(YEAR + 1, 6, 1),
        employees_covered=100,
        **kwargs,
    )


def test_coverage_is_over_the_years_above_size_unionised_enterprises_with_area_contracts(tree):
    city, a, *_ = tree
    own, listed, uncovered, not_above_then, no_union = (
        EnterpriseFactory(union=a, above_designated_size=True) for _ in range(5)
    )
    for e in (own, listed, uncovered):
        EnterpriseYear.objects.create(
            enterprise=e, year=YEAR, above_designated_size=True, has_union=True
        )
    EnterpriseYear.objects.create(
        enterprise=not_above_then, year=YEAR, above_designated_size=False, has_union=True
    )
    EnterpriseYear.objects.create(
        enterprise=no_union, year=YEAR, above_designated_size=True, has_union=False
    )
    contract(enterprise=own, union=a)
    area = contract(scope=WageContract.Scope.REGIONAL, union=a)
    area.covered_enterprises.set([listed])

    # the old definition: 1 of 5 above-size enterprises today = 20%
    assert value("wage_contract_coverage", city) == Decimal(67)  # 2 of 3


# --- 累计: a start date stored with the indicator ------------------------------------------------


def test_a_cumulative_figure_counts_from_the_start_date_city_staff_set(tree):
    city, a, *_ = tree
    for year in (2022, 2023, YEAR):
        ActivityFactory(code=ActivityKind.DOUBLE_HUNDRED, union=a, starts_at=local(year, 6, 1))
    indicator = Indicator.objects.get(key="double_hundred_activities")

    assert value("double_hundred_activities", city) == 1  # no start date: the year alone

    form = IndicatorForm(
        instance=indicator,
        data={**model_data(indicator), "cumulative_since": "2023-01-01", "note": "三年行动"},
    )
    assert form.is_valid(), form.errors
    form.save()

    assert value("double_hundred_activities", city) == 2  # 2023 and 2024
    assert indicator.history.count() >= 1
    assert indicator.history.first().cumulative_since == dt.date(2023, 1, 1)


def test_a_start_date_on_a_figure_counted_by_year_is_refused(tree):
    indicator = Indicator.objects.get(key="registered_members")
    form = IndicatorForm(
        instance=indicator, data={**model_data(indicator), "cumulative_since": "2023-01-01"}
    )

    assert not form.is_valid()
    assert "cumulative_since" in form.errors
    indicator.refresh_from_db()
    assert indicator.cumulative_since is None


def model_data(indicator: Indicator) -> dict:
    return {
        name: getattr(indicator, name)
        for name in IndicatorForm.Meta.fields
        if name not in ("cumulative_since", "note")
    } | {"note": indicator.note}
