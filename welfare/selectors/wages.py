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
from members.models import Enterprise, EnterpriseYear, Union
from members.scoping import within_q
from welfare.models import (
    GrassrootsInvestment,
    LabourRelationsSite,
    WageContract,
)
from welfare.selectors._common import _year_end


@figure(
    "labour_relations_model_sites",
    columns=[("名称", "name"), ("所属工会", "union__name"), ("命名日期", "recognised_on")],
    date_field="recognised_on",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计省级基层劳动关系公共服务样板数：当年被认定为省级样板的基层劳动关系公"
        "共服务站点，每个计1个，按所属工会归属。统计期间：当年（按认定日期）。"
    ),
)
def labour_relations_model_sites(*, year: int, union: Union) -> QuerySet[LabourRelationsSite]:
    """省级基层劳动关系公共服务样板: provincial model sites recognised during `year`."""
    return LabourRelationsSite.objects.filter(
        within_q(union), level=LabourRelationsSite.Level.PROVINCIAL, recognised_on__year=year
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
    definition=(
        "统计能级工资集体合同签订份数：当年签订的能级工资集体合同（含单个企业、区"
        "域性、行业性合同），每份计1份，按签订工会归属。统计期间：当年（按签订日"
        "期）。"
    ),
)
def wage_contracts(*, year: int, union: Union) -> QuerySet[WageContract]:
    """能级工资集体合同签订份数: contracts signed during `year`."""
    return WageContract.objects.filter(within_q(union), signed_on__year=year)


@figure(
    "wage_contract_coverage",
    share_of="covered",
    columns=[("企业", "name"), ("所属工会", "union__name"), ("已签订", "covered")],
    union_path="union",
    aggregate="share",
    definition=(
        "统计规上建会企业能级工资集体协商覆盖率（%）：分母为当年企业年度信息中登"
        "记为规模以上且已建会的企业；分子为其中在当年12月31日有有效能级工资集"
        "体合同覆盖的企业（本企业签订的合同，或将其列入覆盖企业的区域性、行业性合"
        "同）。每家企业计1家，按企业所属工会归属。统计时点：当年12月31日。"
    ),
)
def wage_contract_coverage(*, year: int, union: Union) -> QuerySet[Enterprise]:
    """规上建会企业能级工资集体协商覆盖率 (%): over the enterprises of the union's tree that the
    year's records (EnterpriseYear) give as above designated size (规上) AND unionised (建会) in
    `year`, the share covered on 31 December of `year` by a wage contract in force: their own,
    or a regional or industry contract that lists them (`covered` is 1 or 0)."""
    end = _year_end(year)
    in_force = WageContract.objects.filter(signed_on__lte=end, expires_on__gte=end)
    counted = EnterpriseYear.objects.filter(
        year=year, above_designated_size=True, has_union=True
    ).values("enterprise_id")
    own = in_force.filter(enterprise=OuterRef("pk"))
    listed = in_force.filter(covered_enterprises=OuterRef("pk"))
    return Enterprise.objects.filter(within_q(union), pk__in=counted).annotate(
        covered=Case(
            When(Exists(own) | Exists(listed), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
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
    definition=(
        "统计大抓基层三年行动投入（万元）：当年支出的大抓基层项目资金合计，以元记"
        "录、折算为万元保留两位小数，按投入工会归属。统计期间：当年（按支出日期）"
        "。"
    ),
)
def grassroots_investment(*, year: int, union: Union) -> QuerySet[GrassrootsInvestment]:
    """大抓基层三年行动投入 (万元): grassroots investment spent during `year`."""
    return GrassrootsInvestment.objects.filter(within_q(union), spent_on__year=year)
