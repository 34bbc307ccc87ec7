"""Models for 劳模工匠助企行 visits."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.models import Enterprise, Union


class CraftsmanVisit(TimeStampedModel):
    """劳模工匠助企行: model workers and craftsmen visiting an enterprise to help it."""

    title = models.CharField(_("活动名称"), max_length=200)
    union = models.ForeignKey(
        Union, verbose_name=_("组织工会"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("服务企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_on = models.DateField(_("活动日期"))
    experts = models.CharField(_("参加的劳模工匠"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("劳模工匠助企行")
        verbose_name_plural = _("劳模工匠助企行")
        ordering = ["-held_on", "id"]

    def __str__(self) -> str:
        return self.title
