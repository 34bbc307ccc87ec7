"""Models for labour relations sites, wage collective contracts and grassroots investment."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.history import AuditedHistory
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

    # The enterprises a regional or industry contract covers are kept with each version.
    history = AuditedHistory(m2m_fields=["covered_enterprises"])

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


# --- 能级工资集体协商 as a process -------------------------------------------------------------------


class WageNegotiation(TimeStampedModel):
    """A collective wage negotiation, from the offer to the filing: 要约 → 协商 (rounds) → 职代会审议
    → 签订 → 备案. An enterprise-level one covers one enterprise; a 区域性 or 行业性 one covers
    many (`coverage`). Signing writes one WageContract per covered enterprise through
    `wage_contract_sign`, so the contract figures count what was signed here."""

    class Stage(models.TextChoices):
        OFFER = "offer", _("要约")
        ROUNDS = "rounds", _("协商")
        CONGRESS = "congress", _("职代会审议")
        SIGNED = "signed", _("签订")
        FILED = "filed", _("备案")

    class ContractType(models.TextChoices):
        COMPREHENSIVE = "comprehensive", _("综合集体合同")
        WAGE = "wage", _("专项工资集体合同")
        SKILL_LEVEL = "skill_level", _("能级工资集体合同")

    class Level(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业")
        REGIONAL = "regional", _("区域性")
        INDUSTRY = "industry", _("行业性")

    class Topic(models.TextChoices):
        # 6+X: the six subjects every negotiation covers, and the X a workplace adds.
        WAGE_ADJUSTMENT = "wage_adjustment", _("工资调整")
        WAGE_PAYMENT = "wage_payment", _("工资支付")
        LABOUR_QUOTA = "labour_quota", _("劳动定额与计件单价")
        HOURS_AND_REST = "hours_and_rest", _("工作时间与休息休假")
        SAFETY = "safety", _("劳动安全卫生")
        INSURANCE_WELFARE = "insurance_welfare", _("保险福利")
        SKILL_PAY = "skill_pay", _("技能等级与能级工资")
        WOMEN = "women", _("女职工特殊保护")
        TRAINING = "training", _("职业技能培训")
        OTHER = "other", _("其他")

    union = models.ForeignKey(
        Union, verbose_name=_("协商工会"), on_delete=models.PROTECT, related_name="negotiations"
    )
    title = models.CharField(_("名称"), max_length=200)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    contract_type = models.CharField(_("合同类型"), max_length=16, choices=ContractType.choices)
    topics = models.JSONField(_("协商议题（6+X）"), default=list, blank=True)
    other_topics = models.CharField(_("其他议题（X）"), max_length=200, blank=True)
    stage = models.CharField(
        _("阶段"), max_length=16, choices=Stage.choices, default=Stage.OFFER, db_index=True
    )
    offered_on = models.DateField(_("要约日期"))
    congress_on = models.DateField(_("职代会审议日期"), null=True, blank=True)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    expires_on = models.DateField(_("到期日期"), null=True, blank=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    filed_with = models.CharField(_("备案机关"), max_length=100, blank=True)
    enterprises = models.ManyToManyField(
        Enterprise,
        through="WageNegotiationCoverage",
        verbose_name=_("覆盖企业"),
        related_name="wage_negotiations",
    )

    history = AuditedHistory()

    class Meta:
        verbose_name = _("工资集体协商")
        verbose_name_plural = _("工资集体协商")
        ordering = ["-offered_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        unknown = set(self.topics or []) - set(self.Topic.values)
        if unknown or not isinstance(self.topics, list):
            raise ValidationError({"topics": _("协商议题无效。")})


class WageNegotiationCoverage(models.Model):
    """An enterprise a negotiation covers, with its employees; `contract` is the enterprise's
    WageContract once the negotiation is signed."""

    negotiation = models.ForeignKey(
        WageNegotiation, verbose_name=_("协商"), on_delete=models.PROTECT, related_name="coverage"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    employees = models.PositiveIntegerField(_("覆盖职工人数"))
    contract = models.OneToOneField(
        WageContract,
        verbose_name=_("集体合同"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="negotiation_coverage",
    )

    history = AuditedHistory()

    class Meta:
        verbose_name = _("协商覆盖企业")
        verbose_name_plural = _("协商覆盖企业")
        constraints = [
            models.UniqueConstraint(
                fields=["negotiation", "enterprise"], name="welfare_negotiation_enterprise_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.enterprise)


class WageNegotiationRound(models.Model):
    """One round of talks (协商) of a negotiation."""

    negotiation = models.ForeignKey(
        WageNegotiation, verbose_name=_("协商"), on_delete=models.PROTECT, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("轮次"))
    held_on = models.DateField(_("协商日期"))
    summary = models.TextField(_("协商情况"))
    agreed = models.BooleanField(_("达成一致"), default=False)

    history = AuditedHistory()

    class Meta:
        verbose_name = _("协商轮次")
        verbose_name_plural = _("协商轮次")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["negotiation", "number"], name="welfare_negotiation_round_once"
            )
        ]

    def __str__(self) -> str:
        return f"第{self.number}轮"
