"""Models for the selection that comes before a model-worker honour (劳模评选): nomination
(推荐提名) → review (审核) → public notice (公示) with objections → conferral (授予)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.history import AuditedHistory
from members.models import Enterprise, Member, Union
from skills.models.honours import Honour


class HonourSelection(TimeStampedModel):
    """One candidate's way to a title: who was nominated (a person, or a collective by name),
    by whom, with what deeds; the review; the 公示 with its dates; and, once conferred, the
    Honour it ended in. An upheld objection stops it (`stage` STOPPED, with the reason)."""

    class Stage(models.TextChoices):
        NOMINATED = "nominated", _("推荐提名")
        REVIEWED = "reviewed", _("审核通过")
        NOTICE = "notice", _("公示")
        CONFERRED = "conferred", _("已授予")
        STOPPED = "stopped", _("终止")

    kind = models.CharField(_("称号"), max_length=32, choices=Honour.Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    awarding_body = models.CharField(_("授予单位"), max_length=200)
    member = models.ForeignKey(
        Member,
        verbose_name=_("候选人（个人）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honour_selections",
    )
    collective_name = models.CharField(_("候选集体"), max_length=200, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    union = models.ForeignKey(
        Union, verbose_name=_("推荐工会"), on_delete=models.PROTECT, related_name="+"
    )
    nominated_on = models.DateField(_("推荐日期"))
    nominator = models.CharField(_("推荐单位"), max_length=200)
    deeds = models.TextField(_("主要事迹"))
    stage = models.CharField(
        _("阶段"), max_length=16, choices=Stage.choices, default=Stage.NOMINATED, db_index=True
    )
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    notice_starts_on = models.DateField(_("公示开始"), null=True, blank=True)
    notice_ends_on = models.DateField(_("公示结束"), null=True, blank=True)
    conferred_on = models.DateField(_("授予日期"), null=True, blank=True)
    honour = models.OneToOneField(
        Honour,
        verbose_name=_("荣誉称号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="selection",
    )
    stopped_reason = models.TextField(_("终止原因"), blank=True)

    history = AuditedHistory()

    class Meta:
        verbose_name = _("劳模评选")
        verbose_name_plural = _("劳模评选")
        ordering = ["-year", "-nominated_on", "id"]

    def __str__(self) -> str:
        holder = self.member.name if self.member_id else self.collective_name
        return f"{self.year}年{self.get_kind_display()}候选：{holder}"


class SelectionObjection(models.Model):
    """An objection received during the 公示, and how it was handled (upheld or not)."""

    selection = models.ForeignKey(
        HonourSelection,
        verbose_name=_("评选"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    received_on = models.DateField(_("收到日期"))
    content = models.TextField(_("异议内容"))
    handled_on = models.DateField(_("处理日期"), null=True, blank=True)
    upheld = models.BooleanField(_("异议成立"), null=True, blank=True)
    handling = models.TextField(_("核查处理情况"), blank=True)

    history = AuditedHistory()

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.received_on} {self.content[:20]}"
