"""Issue 15: 规上 and 建会 per enterprise and year (EnterpriseYear) and the 区域性 / 行业性 wage
contracts that cover many enterprises, as clerks keep them: services with their editable fields,
admin pages, API endpoints and the year's list imported in bulk, scoped like everything else;
the coverage figure moves with what is recorded."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from common.figures import load_all
from members.actors import system
from members.models import EnterpriseYear
from members.scoping import NOT_IN_SCOPE
from tests.factories import EnterpriseFactory
from welfare import services
from welfare.importing_records import enterprise_year_import
from welfare.models import WageContract

pytestmark = pytest.mark.django_db
BASE = "/api/v1/welfare"
YEAR = 2024
HEADER = ["统一社会信用代码", "企业名称", "年度", "规上企业", "已建会"]


def table(*rows):
    return list(enumerate([HEADER, *rows], start=1))


def coverage(union) -> float:
    return float(load_all()["wage_contract_coverage"].compute(year=YEAR, union=union))


def regional(union, enterprises, by, **extra):
    return services.wage_contract_sign(
        scope=WageContract.Scope.REGIONAL,
        union=union,
        covered_enterprises=enterprises,
        signed_on=dt.date(YEAR, 3, 1),
        expires_on=dt.date(YEAR + 2, 3, 1),
        employees_covered=800,
        by=by,
        **extra,
    )


@pytest.fixture
def firms(tree):
    return {
        "zhili": EnterpriseFactory(union=tree.zhili_factory, name="织里童装一厂"),
        "zhili2": EnterpriseFactory(union=tree.zhili_factory, name="织里童装二厂"),
        "balidian": EnterpriseFactory(union=tree.balidian_factory, name="八里店电机厂"),
        "nanxun": EnterpriseFactory(union=tree.shuanglin_factory, name="双林纺织厂"),
    }


# --- the import, and the figure moving with it --------------------------------------------------


def test_importing_the_years_list_moves_the_coverage_figure(tree, staff, firms):
    """Both enterprises of 织里 are covered by a regional contract; until the year's list says
    they were 规上 and 建会 in 2024, the figure has nothing to count."""
    clerk = staff["district_admin"]
    regional(tree.zhili, [firms["zhili"]], clerk)
    assert coverage(tree.wuxing) == 0

    report = enterprise_year_import(
        table=table(
            [firms["zhili"].credit_code, "织里童装一厂", "2024", "是", "是"],
            [firms["zhili2"].credit_code, "织里童装二厂", "2024年", "是", "是"],
            [firms["balidian"].credit_code, "", "2024", "否", "是"],
        ),
        by=clerk,
    )

    assert report.ok, report.problems
    assert (report.created, report.updated) == (3, 0)
    assert coverage(tree.wuxing) == 50.0  # one of the two 规上建会 enterprises is covered
    assert coverage(tree.nanxun) == 0


def test_a_second_import_corrects_a_year_and_shows_before_and_after(tree, staff, firms):
    clerk = staff["district_admin"]
    code = firms["zhili"].credit_code
    enterprise_year_import(table=table([code, "", "2024", "是", "否"]), by=clerk)

    dry = enterprise_year_import(
        table=table([code, "", "2024", "是", "是"]), by=clerk, dry_run=True
    )
    assert dry.updated == 1
    assert [str(c) for c in dry.changes[0].changes] == ["已建会：否 → 是"]
    assert EnterpriseYear.objects.get().has_union is False  # the dry run wrote nothing

    again = enterprise_year_import(table=table([code, "", "2024", "是", "是"]), by=clerk)
    assert (again.created, again.updated) == (0, 1)
    same = enterprise_year_import(table=table([code, "", "2024", "是", "是"]), by=clerk)
    assert (same.created, same.updated, same.unchanged) == (0, 0, 1)
    row = EnterpriseYear.objects.get()
    assert (row.above_designated_size, row.has_union) == (True, True)
    assert row.history.latest().history_user == clerk


def test_an_enterprise_of_another_district_or_a_bad_cell_refuses_the_whole_file(tree, staff, firms):
    report = enterprise_year_import(
        table=table(
            [firms["zhili"].credit_code, "", "2024", "是", "是"],
            [firms["nanxun"].credit_code, "", "2024", "是", "是"],
            ["91330500MA2B3C4D5X", "", "1899", "大概", "是"],
            [firms["zhili"].credit_code, "", "2024", "是", "否"],
        ),
        by=staff["district_admin"],
    )
    assert not report.ok
    messages = {p.row: " ".join(p.messages) for p in report.problems}
    assert str(NOT_IN_SCOPE) in messages[3]
    assert "双林" not in messages[3]  # the other district's enterprise is not named
    assert "年度应为" in messages[4] and "规上企业应填“是”或“否”" in messages[4]
    assert "与第2行重复" in messages[5]
    assert report.summary().endswith("未写入任何数据。")
    assert EnterpriseYear.objects.count() == 0


def test_the_import_command_runs_as_the_system_and_exits_1_on_a_bad_row(tree, firms, tmp_path):
    path = tmp_path / "years.csv"
    path.write_text(
        f"统一社会信用代码,年度,规上企业,已建会\n{firms['nanxun'].credit_code},2024,是,是\n",
        encoding="utf-8",
    )
    call_command("import_enterprise_years", str(path))
    assert EnterpriseYear.objects.get().enterprise == firms["nanxun"]

    path.write_text("统一社会信用代码,年度,规上企业,已建会\nX,2024,是,是\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_enterprise_years", str(path))
    assert EnterpriseYear.objects.count() == 1


# --- services ------------------------------------------------------------------------------------


def test_recording_a_year_twice_corrects_it_and_another_district_is_refused(tree, staff, firms):
    clerk = staff["district_admin"]
    row, created = services.enterprise_year_record(
        enterprise=firms["zhili"], year=YEAR, above_designated_size=True, has_union=False, by=clerk
    )
    again, created_again = services.enterprise_year_record(
        enterprise=firms["zhili"], year=YEAR, above_designated_size=True, has_union=True, by=clerk
    )
    assert (created, created_again, again.pk) == (True, False, row.pk)
    with pytest.raises(PermissionDenied):
        services.enterprise_year_record(
            enterprise=firms["zhili"],
            year=YEAR,
            above_designated_size=False,
            has_union=False,
            by=staff["nanxun_admin"],
        )
    with pytest.raises(ValidationError) as bad_year:
        services.enterprise_year_record(
            enterprise=firms["zhili"],
            year=1990,
            above_designated_size=True,
            has_union=True,
            by=clerk,
        )
    assert "年度应在" in str(bad_year.value)
    with pytest.raises(ValueError):  # the enterprise and year are the row: not editable
        services.enterprise_year_update(enterprise_year=row, data={"year": 2023}, by=clerk)
    assert list(EnterpriseYear.objects.values_list("year", "has_union")) == [(YEAR, True)]


def test_a_regional_contract_covers_only_enterprises_of_its_unions_tree(tree, staff, firms):
    clerk = staff["district_admin"]
    # 八里店's enterprise is in 吴兴 (the clerk may name it) but not under 织里, the signing union
    with pytest.raises(ValidationError) as outside:
        regional(tree.zhili, [firms["zhili"], firms["balidian"]], clerk)
    assert "八里店电机厂" in str(outside.value)
    # 南浔's enterprise is answered like one that does not exist
    with pytest.raises(PermissionDenied) as other:
        regional(tree.wuxing, [firms["nanxun"]], clerk)
    assert "双林" not in str(other.value)
    with pytest.raises(ValidationError):
        regional(tree.wuxing, [], clerk)
    assert WageContract.objects.count() == 0

    contract = regional(tree.wuxing, [firms["zhili"], firms["balidian"]], clerk)
    services.wage_contract_cover(contract=contract, enterprises=[firms["zhili2"]], by=clerk)
    assert set(contract.covered_enterprises.all()) == {firms["zhili2"]}
    with pytest.raises(PermissionDenied):
        services.wage_contract_cover(
            contract=contract, enterprises=[firms["zhili2"], firms["nanxun"]], by=clerk
        )
    assert set(contract.covered_enterprises.all()) == {firms["zhili2"]}


def test_an_enterprise_contract_lists_no_covered_enterprises(tree, staff, firms):
    clerk = staff["district_admin"]
    with pytest.raises(ValidationError):
        services.wage_contract_sign(
            enterprise=firms["zhili"],
            covered_enterprises=[firms["zhili2"]],
            signed_on=dt.date(YEAR, 3, 1),
            expires_on=dt.date(YEAR + 1, 3, 1),
            employees_covered=10,
            by=clerk,
        )
    own = services.wage_contract_sign(
        enterprise=firms["zhili"],
        signed_on=dt.date(YEAR, 3, 1),
        expires_on=dt.date(YEAR + 1, 3, 1),
        employees_covered=10,
        by=clerk,
    )
    with pytest.raises(ValidationError):
        services.wage_contract_cover(contract=own, enterprises=[firms["zhili2"]], by=clerk)


# --- history -------------------------------------------------------------------------------------


def test_the_covered_enterprises_are_kept_with_each_version_of_a_contract(tree, staff, firms):
    clerk = staff["district_admin"]
    contract = regional(tree.wuxing, [firms["zhili"], firms["balidian"]], clerk)
    services.wage_contract_cover(contract=contract, enterprises=[firms["zhili"]], by=clerk)
    latest = contract.history.latest()
    assert latest.history_user == clerk
    assert [row.enterprise for row in latest.covered_enterprises.all()] == [firms["zhili"]]
    first_with_both = [
        {row.enterprise_id for row in version.covered_enterprises.all()}
        for version in contract.history.order_by("history_id")
    ]
    assert {firms["zhili"].pk, firms["balidian"].pk} in first_with_both


# --- API -----------------------------------------------------------------------------------------


def test_the_api_records_a_year_and_lists_only_the_callers_tree(api, tree, staff, firms):
    clerk = api(staff["district_admin"])
    created = clerk.post(
        f"{BASE}/enterprise-years/",
        {
            "enterprise": firms["zhili"].credit_code,
            "year": YEAR,
            "above_designated_size": True,
            "has_union": True,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    api(staff["nanxun_admin"]).post(
        f"{BASE}/enterprise-years/",
        {
            "enterprise": firms["nanxun"].credit_code,
            "year": YEAR,
            "above_designated_size": True,
            "has_union": False,
        },
        format="json",
    )
    listed = clerk.get(f"{BASE}/enterprise-years/").json()["results"]
    assert [r["enterprise"] for r in listed] == [firms["zhili"].credit_code]
    other = EnterpriseYear.objects.get(enterprise=firms["nanxun"])
    assert clerk.get(f"{BASE}/enterprise-years/{other.pk}/").status_code == 404
    assert (
        clerk.patch(
            f"{BASE}/enterprise-years/{other.pk}/", {"has_union": True}, format="json"
        ).status_code
        == 404
    )
    patched = clerk.patch(
        f"{BASE}/enterprise-years/{created.json()['id']}/", {"has_union": False}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["has_union"] is False
    refused = clerk.post(
        f"{BASE}/enterprise-years/",
        {
            "enterprise": firms["nanxun"].credit_code,
            "year": YEAR,
            "above_designated_size": True,
            "has_union": True,
        },
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json() == {"enterprise": [str(NOT_IN_SCOPE)]}
    assert EnterpriseYear.objects.get(enterprise=firms["nanxun"]).has_union is False


def test_the_api_signs_a_regional_contract_and_refuses_an_enterprise_outside(
    api, tree, staff, firms
):
    clerk = api(staff["district_admin"])
    body = {
        "scope": "regional",
        "union": tree.zhili.code,
        "covered_enterprises": [firms["zhili"].credit_code, firms["zhili2"].credit_code],
        "signed_on": "2024-03-01",
        "expires_on": "2026-03-01",
        "employees_covered": 900,
    }
    outside = clerk.post(
        f"{BASE}/wage-contracts/",
        {**body, "covered_enterprises": [firms["nanxun"].credit_code]},
        format="json",
    )
    assert outside.status_code == 400
    assert WageContract.objects.count() == 0

    created = clerk.post(f"{BASE}/wage-contracts/", body, format="json")
    assert created.status_code == 201, created.content
    assert sorted(created.json()["covered_enterprises"]) == sorted(
        [firms["zhili"].credit_code, firms["zhili2"].credit_code]
    )
    pk = created.json()["id"]
    changed = clerk.post(
        f"{BASE}/wage-contracts/{pk}/covered-enterprises/",
        {"covered_enterprises": [firms["zhili"].credit_code]},
        format="json",
    )
    assert changed.status_code == 200
    assert changed.json()["covered_enterprises"] == [firms["zhili"].credit_code]
    assert api(staff["nanxun_admin"]).get(f"{BASE}/wage-contracts/{pk}/").status_code == 404


# --- admin ---------------------------------------------------------------------------------------


def test_the_admin_lists_years_of_the_clerks_tree_and_imports_a_file(client, tree, staff, firms):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for firm in (firms["zhili"], firms["nanxun"]):
        services.enterprise_year_record(
            enterprise=firm,
            year=YEAR,
            above_designated_size=True,
            has_union=True,
            by=system("test"),
        )
    client.force_login(staff["district_admin"])
    listed = client.get(reverse("admin:members_enterpriseyear_changelist"))
    assert listed.status_code == 200
    text = listed.content.decode()
    assert "织里童装一厂" in text and "双林纺织厂" not in text
    assert reverse("admin:members_enterpriseyear_import") in text

    upload = SimpleUploadedFile(
        "years.csv",
        f"统一社会信用代码,年度,规上企业,已建会\n{firms['zhili2'].credit_code},2024,是,否\n".encode(),
    )
    page = client.post(
        reverse("admin:members_enterpriseyear_import"), {"file": upload, "dry_run": ""}
    )
    assert page.status_code == 200
    assert "新增1条" in page.content.decode()
    assert EnterpriseYear.objects.filter(enterprise=firms["zhili2"], has_union=False).exists()


def test_the_admin_signs_a_regional_contract_with_its_enterprises(client, tree, staff, firms):
    client.force_login(staff["district_admin"])
    response = client.post(
        reverse("admin:welfare_wagecontract_add"),
        {
            "scope": "regional",
            "union": tree.zhili.pk,
            "enterprise": "",
            "covered_enterprises": [firms["zhili"].pk, firms["nanxun"].pk],
            "signed_on": "2024-03-01",
            "expires_on": "2026-03-01",
            "employees_covered": "300",
        },
    )
    assert response.status_code == 200  # 南浔's enterprise: the form refuses it
    assert str(NOT_IN_SCOPE) in response.content.decode()
    assert WageContract.objects.count() == 0
    response = client.post(
        reverse("admin:welfare_wagecontract_add"),
        {
            "scope": "regional",
            "union": tree.zhili.pk,
            "enterprise": "",
            "covered_enterprises": [firms["zhili"].pk, firms["zhili2"].pk],
            "signed_on": "2024-03-01",
            "expires_on": "2026-03-01",
            "employees_covered": "300",
        },
    )
    assert response.status_code == 302
    contract = WageContract.objects.get()
    assert (contract.union, contract.scope) == (tree.zhili, "regional")
    assert set(contract.covered_enterprises.all()) == {firms["zhili"], firms["zhili2"]}
