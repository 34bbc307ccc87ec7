"""Reads for labour relations sites, wage collective contracts and grassroots investment."""

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Value,
    When,
)

from common.figures import figure
from members.models import Enterprise, Union
from welfare.models import (
    GrassrootsInvestment,
    LabourRelationsSite,
    WageContract,
)
from welfare.selectors._common import _within, _year_end


@figure(
    "labour_relations_model_sites",
    columns=[("名称", "name"), ("所属工会", "union__name"), ("命名日期", "recognised_on")],
    date_field="recognised_on",
    union_path="union",
    aggregate="sum",
)
def labour_relations_model_sites(*, year: int, union: Union) -> QuerySet[LabourRelationsSite]:
    """省级基层劳动关系公共服务样板: provincial model sites recognised during `year`."""
    return LabourRelationsSite.objects.filter(
        _within(union), level=LabourRelationsSite.Level.PROVINCIAL, recognised_on__year=year
    )


@figure(
    "wage_contracts",
    columns=[
        ("企业", "enterprise__name"),
        ("签订日期", "signed_on"),
        ("到期日期", "expires_on"),
        ("覆盖职工", "employees_covered"),
    ],
    date_field="signed_on",
    union_path="union",
    aggregate="sum",
)
def wage_contracts(*, year: int, union: Union) -> QuerySet[WageContract]:
    """能级工资集体合同签订份数: contracts signed during `year`."""
    return WageContract.objects.filter(_within(union), signed_on__year=year)


@figure(
    "wage_contract_coverage",
    share_of="covered",
    columns=[("企业", "name"), ("所属工会", "union__name"), ("已签订", "covered")],
    union_path="union",
    aggregate="share",
)
def wage_contract_coverage(*, year: int, union: Union) -> QuerySet[Enterprise]:
    """规上建会企业能级工资集体协商覆盖率 (%): of the above-designated-size enterprises registered
    under the union's tree (each is unionised: it is on the union register), the share with a wage
    contract in force on 31 December of `year` (`covered` is 1 or 0)."""
    end = _year_end(year)
    in_force = WageContract.objects.filter(
        enterprise=OuterRef("pk"), signed_on__lte=end, expires_on__gte=end
    )
    return Enterprise.objects.filter(_within(union), above_designated_size=True).annotate(
        covered=Case(
            When(Exists(in_force), then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    )


@figure(
    "grassroots_investment",
    total="amount",
    divisor=10000,
    places=2,
    columns=[("项目", "project"), ("所属工会", "union__name"), ("金额（元）", "amount")],
    date_field="spent_on",
    union_path="union",
    aggregate="sum",
)
def grassroots_investment(*, year: int, union: Union) -> QuerySet[GrassrootsInvestment]:
    """大抓基层三年行动投入 (万元): grassroots investment spent during `year`."""
    return GrassrootsInvestment.objects.filter(_within(union), spent_on__year=year)
