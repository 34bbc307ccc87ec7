"""Models for the workers' voice (职工心声 → 回声)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.models import Member, Union

# --- the workers' voice (职工心声 → 回声) ------------------------------------------------------


class Concern(TimeStampedModel):
    """A worker's concern, raised by the worker or recorded by staff (e.g. at a 三访日 visit),
    routed to the union that must answer it by `due_at`."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("会员自助")
        THREE_VISITS = "three_visits", _("三访日走访")
        HOTLINE = "hotline", _("服务热线")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        OPEN = "open", _("待回复")
        ANSWERED = "answered", _("已回复")

    member = models.ForeignKey(
        Member,
        verbose_name=_("会员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns",
    )
    raised_by_name = models.CharField(_("反映人"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=50, blank=True)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    union = models.ForeignKey(
        Union, verbose_name=_("承办工会"), on_delete=models.PROTECT, related_name="concerns"
    )
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("内容"))
    raised_at = models.DateTimeField(_("反映时间"))
    due_at = models.DateTimeField(_("答复期限"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    answer = models.TextField(_("回声（答复）"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("职工心声")
        verbose_name_plural = _("职工心声")
        ordering = ["due_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", answered_at__isnull=True)
                | Q(status="answered", answered_at__isnull=False),
                name="welfare_concern_answer_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=F("raised_at")), name="welfare_concern_due_after_raised"
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def answered_in_time(self) -> bool | None:
        """True/False once answered; None while still open."""
        if self.answered_at is None:
            return None
        return self.answered_at <= self.due_at
