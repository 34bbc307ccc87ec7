"""Models for craftsman academies (工匠学院), innovation studios and their alliances."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.models import Enterprise, Member, Union


class CraftsmanAcademy(TimeStampedModel):
    """工匠学院, at city or district level."""

    class Level(models.TextChoices):
        CITY = "city", _("市级")
        DISTRICT = "district", _("区县级")

    name = models.CharField(_("名称"), max_length=200)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="+"
    )
    host = models.CharField(_("依托单位"), max_length=200, blank=True)
    established_on = models.DateField(_("成立日期"))
    closed_on = models.DateField(_("撤销日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("工匠学院")
        verbose_name_plural = _("工匠学院")
        ordering = ["level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("established_on")),
                name="skills_academy_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.name


class StudioAlliance(TimeStampedModel):
    """A model-worker and craftsman innovation studio alliance led by a chain-leader enterprise
    (链主企业) of an industrial chain."""

    name = models.CharField(_("联盟名称"), max_length=200)
    industry_chain = models.CharField(_("产业链"), max_length=100)
    leader_enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("链主企业"), on_delete=models.PROTECT, related_name="+"
    )
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="+"
    )
    founded_on = models.DateField(_("成立日期"))

    class Meta:
        verbose_name = _("创新工作室联盟")
        verbose_name_plural = _("创新工作室联盟")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InnovationStudio(TimeStampedModel):
    """劳模（工匠、职工）创新工作室, recognised at a level in a year."""

    class Kind(models.TextChoices):
        MODEL_WORKER = "model_worker", _("劳模创新工作室")
        CRAFTSMAN = "craftsman", _("工匠创新工作室")
        WORKER = "worker", _("职工创新工作室")

    class Level(models.TextChoices):
        NATIONAL = "national", _("全国级")
        PROVINCIAL = "provincial", _("省级")
        CITY = "city", _("市级")
        DISTRICT = "district", _("区县级")

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    recognised_year = models.PositiveSmallIntegerField(_("命名年度"))
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("依托单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader = models.ForeignKey(
        Member,
        verbose_name=_("领衔人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    alliance = models.ForeignKey(
        StudioAlliance,
        verbose_name=_("所属联盟"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="studios",
    )

    class Meta:
        verbose_name = _("创新工作室")
        verbose_name_plural = _("创新工作室")
        ordering = ["-recognised_year", "name"]

    def __str__(self) -> str:
        return self.name
