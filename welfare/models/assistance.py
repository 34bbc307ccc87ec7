"""Models for hardship assistance (帮扶) and visits (慰问)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.history import AuditedHistory
from members.models import Member, Union
from welfare.models._common import ZERO, money

# --- hardship assistance (帮扶) and visits (慰问) ----------------------------------------------


class AssistanceFund(TimeStampedModel):
    """Money raised for hardship assistance (帮扶经费)."""

    class Source(models.TextChoices):
        UNION_FUNDS = "union_funds", _("工会经费")
        GOVERNMENT = "government", _("财政资金")
        DONATION = "donation", _("社会捐赠")
        ENTERPRISE = "enterprise", _("企业出资")

    union = models.ForeignKey(
        Union, verbose_name=_("筹集工会"), on_delete=models.PROTECT, related_name="assistance_funds"
    )
    name = models.CharField(_("资金名称"), max_length=100)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    amount = money(_("金额（元）"))
    raised_on = models.DateField(_("到位日期"))

    history = AuditedHistory()

    class Meta:
        verbose_name = _("帮扶经费")
        verbose_name_plural = _("帮扶经费")
        ordering = ["-raised_on"]

    def __str__(self) -> str:
        return f"{self.name}（{self.amount}元）"


class HardshipCase(TimeStampedModel):
    """A worker in hardship (困难职工帮扶): the assessment and the aid paid, from which fund."""

    class Category(models.TextChoices):
        ILLNESS = "illness", _("因病")
        DISABILITY = "disability", _("因残")
        DISASTER = "disaster", _("因灾")
        EDUCATION = "education", _("子女教育")
        SINGLE_PARENT = "single_parent", _("单亲")
        UNEMPLOYMENT = "unemployment", _("失业")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        # A member's own application from the portal waits for their union's assessment; a case
        # staff open themselves is assessed when it is opened.
        APPLIED = "applied", _("待工会审核")
        ASSESSED = "assessed", _("已认定")
        REFUSED = "refused", _("未予认定")

    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="hardship_cases"
    )
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="hardship_cases"
    )
    category = models.CharField(_("困难类别"), max_length=16, choices=Category.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.ASSESSED
    )
    applied_on = models.DateField(_("申请日期"), null=True, blank=True)
    application = models.TextField(_("本人申请说明"), blank=True)
    bank_card = models.ForeignKey(
        "welfare.BankCard",
        verbose_name=_("收款银行卡"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hardship_cases",
    )
    refusal_reason = models.CharField(_("不予认定的理由"), max_length=200, blank=True)
    assessed_on = models.DateField(_("认定日期"), null=True, blank=True)
    assessment = models.TextField(_("困难情况认定"), blank=True)
    aid_amount = money(_("帮扶金额（元）"), default=ZERO)
    aid_paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    fund = models.ForeignKey(
        AssistanceFund,
        verbose_name=_("资金来源"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    closed_on = models.DateField(_("脱困日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("困难职工帮扶")
        verbose_name_plural = _("困难职工帮扶")
        ordering = ["-assessed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(aid_amount=0) | Q(aid_paid_on__isnull=False),
                name="welfare_hardship_paid_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="assessed") | Q(assessed_on__isnull=False),
                name="welfare_hardship_assessed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(aid_amount=0) | Q(status="assessed"),
                name="welfare_hardship_paid_only_assessed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.name}（{self.get_category_display()}）"


class Visit(TimeStampedModel):
    """慰问: a worker visited (who, when, by whom, what was given). `union` is the worker's union."""

    class Occasion(models.TextChoices):
        WINTER = "winter", _("送温暖")
        SUMMER = "summer", _("送清凉")
        FESTIVAL = "festival", _("节日慰问")
        ILLNESS = "illness", _("患病慰问")
        OTHER = "other", _("其他")

    member = models.ForeignKey(
        Member, verbose_name=_("慰问对象"), on_delete=models.PROTECT, related_name="visits"
    )
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="welfare_visits"
    )
    visited_on = models.DateField(_("慰问日期"))
    occasion = models.CharField(_("慰问类别"), max_length=16, choices=Occasion.choices)
    visitor = models.CharField(_("慰问人"), max_length=100)
    frontline = models.BooleanField(_("一线职工"), default=True)
    in_hardship = models.BooleanField(_("困难职工"), default=False)
    given = models.CharField(_("慰问品/慰问金"), max_length=200, blank=True)
    value = money(_("折合金额（元）"), default=ZERO)

    class Meta:
        verbose_name = _("慰问记录")
        verbose_name_plural = _("慰问记录")
        ordering = ["-visited_on"]

    def __str__(self) -> str:
        return f"{self.member.name} {self.visited_on}"
