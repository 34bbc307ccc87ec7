"""Models for labour relations sites, wage collective contracts and grassroots investment."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.models import Enterprise, Union
from welfare.models._common import money


class LabourRelationsSite(TimeStampedModel):
    """基层劳动关系公共服务样板 recognised at a level."""

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("省级")
        MUNICIPAL = "municipal", _("市级")

    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="model_sites"
    )
    name = models.CharField(_("名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    recognised_on = models.DateField(_("命名日期"))

    class Meta:
        verbose_name = _("劳动关系公共服务样板")
        verbose_name_plural = _("劳动关系公共服务样板")
        ordering = ["-recognised_on"]

    def __str__(self) -> str:
        return self.name


class WageContract(TimeStampedModel):
    """能级工资集体合同 signed by an enterprise, or a regional (区域性) or industry-wide (行业性)
    contract that covers many enterprises (`covered_enterprises`). `union` is the enterprise's
    union when signed (for a regional or industry contract, the union that negotiated it)."""

    class Scope(models.TextChoices):
        ENTERPRISE = "enterprise", _("单个企业")
        REGIONAL = "regional", _("区域性")
        INDUSTRY = "industry", _("行业性")

    scope = models.CharField(
        _("合同范围"), max_length=16, choices=Scope.choices, default=Scope.ENTERPRISE
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="wage_contracts",
        null=True,
        blank=True,
        help_text=_("单个企业合同填签订企业；区域性、行业性合同在“覆盖企业”中列出各企业"),
    )
    covered_enterprises = models.ManyToManyField(
        Enterprise,
        verbose_name=_("覆盖企业"),
        related_name="area_wage_contracts",
        blank=True,
        help_text=_("区域性、行业性合同覆盖的企业"),
    )
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="wage_contracts"
    )
    signed_on = models.DateField(_("签订日期"))
    expires_on = models.DateField(_("到期日期"))
    employees_covered = models.PositiveIntegerField(_("覆盖职工人数"))

    class Meta:
        verbose_name = _("能级工资集体合同")
        verbose_name_plural = _("能级工资集体合同")
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gte=F("signed_on")), name="welfare_contract_dates"
            ),
            models.CheckConstraint(
                condition=~Q(scope="enterprise") | Q(enterprise__isnull=False),
                name="welfare_contract_enterprise_named",
            ),
        ]

    def __str__(self) -> str:
        party = self.enterprise or self.get_scope_display()
        return f"{party} {self.signed_on}"


class GrassrootsInvestment(TimeStampedModel):
    """大抓基层三年行动: money spent on a grassroots project."""

    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="investments"
    )
    project = models.CharField(_("项目"), max_length=200)
    spent_on = models.DateField(_("支出日期"))
    amount = money(_("金额（元）"))

    class Meta:
        verbose_name = _("大抓基层投入")
        verbose_name_plural = _("大抓基层投入")
        ordering = ["-spent_on"]

    def __str__(self) -> str:
        return self.project
