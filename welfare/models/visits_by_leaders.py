"""Models for 三访日 leadership visits (下访 / 接访 / 走访) and the matters raised at them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.history import AuditedHistory
from members.models import Union
from welfare.models.voice import Concern


class LeadershipVisit(TimeStampedModel):
    """One 三访日 visit by a union leader: who went (name and post), how (下访, 接访, 走访),
    where and when, who was met, what was raised and what was solved on the spot. Each matter
    raised is followed as a 职工心声 concern (`LeadershipVisitMatter`), with its deadline."""

    class Kind(models.TextChoices):
        DOWN = "down", _("下访")
        RECEPTION = "reception", _("接访")
        WALKABOUT = "walkabout", _("走访")

    union = models.ForeignKey(
        Union, verbose_name=_("组织工会"), on_delete=models.PROTECT, related_name="leader_visits"
    )
    leader_name = models.CharField(_("领导姓名"), max_length=50)
    leader_post = models.CharField(_("领导职务"), max_length=100)
    kind = models.CharField(_("方式"), max_length=16, choices=Kind.choices)
    visited_on = models.DateField(_("日期"), db_index=True)
    place = models.CharField(_("地点"), max_length=200)
    met = models.TextField(_("接待/走访对象"), help_text=_("企业、班组或职工，自由填写"))
    people_met = models.PositiveIntegerField(_("接待/走访人数"), default=0)
    raised = models.TextField(_("反映问题"), blank=True)
    solved = models.TextField(_("当场解决情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = AuditedHistory()

    class Meta:
        verbose_name = _("三访日领导接访走访")
        verbose_name_plural = _("三访日领导接访走访")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.leader_name}{self.get_kind_display()}"


class LeadershipVisitMatter(models.Model):
    """A matter raised at a visit, followed as a 职工心声 concern (its deadline and answer are the
    concern's)."""

    visit = models.ForeignKey(
        LeadershipVisit,
        verbose_name=_("接访走访"),
        on_delete=models.PROTECT,
        related_name="matters",
    )
    concern = models.OneToOneField(
        Concern, verbose_name=_("职工心声"), on_delete=models.PROTECT, related_name="leader_visit"
    )

    history = AuditedHistory()

    class Meta:
        verbose_name = _("接访走访反映事项")
        verbose_name_plural = _("接访走访反映事项")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.concern)
