"""Models for competitions (职业技能竞赛, 立功竞赛) and their entries."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.models import Member, Union

BAIYE_QIANJIANG = "百业千匠"


class Competition(TimeStampedModel):
    """A vocational skills competition (职业技能竞赛) or a merit competition (立功竞赛) on a key
    project. `union` is the union of ours that runs it; for a provincial or national competition,
    the one that hosts it on the province's behalf (承办)."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省级")
        CITY = "city", _("市级")
        DISTRICT = "district", _("区县级")

    name = models.CharField(_("竞赛名称"), max_length=200)
    series = models.CharField(_("赛事系列"), max_length=50, blank=True, help_text=_("如“百业千匠”"))
    level = models.CharField(_("竞赛级别"), max_length=16, choices=Level.choices)
    occupation = models.CharField(_("竞赛工种"), max_length=100, blank=True)
    union = models.ForeignKey(
        Union,
        verbose_name=_("组织工会"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("省级及以上竞赛填承办的本市工会"),
    )
    sponsor = models.CharField(_("主办单位"), max_length=200, blank=True)
    host = models.CharField(_("承办单位"), max_length=200, blank=True)
    # What 承办省级以上竞赛 counts: the union of ours that hosted it (for an enterprise or school
    # of ours, the union it is registered under). A name in `host` is only what was written down;
    # a team sent to another city's competition has no host union.
    host_union = models.ForeignKey(
        Union,
        verbose_name=_("承办工会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "由组织工会或其下级工会（含其所属企业、院校）承办时填写；仅组队参赛、协办的不填"
        ),
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    is_merit = models.BooleanField(
        _("立功竞赛"), default=False, help_text=_("围绕重点项目开展的劳动和技能立功竞赛")
    )
    key_project = models.CharField(
        _("重点项目"), max_length=200, blank=True, help_text=_("如“沪苏湖高铁”")
    )
    provincial_demo_year = models.PositiveSmallIntegerField(
        _("列为省级示范年份"),
        null=True,
        blank=True,
        help_text=_("立功竞赛项目被列为省级示范的年份；未列入则留空"),
    )

    class Meta:
        verbose_name = _("竞赛")
        verbose_name_plural = _("竞赛")
        ordering = ["-start_date", "id"]
        indexes = [models.Index(fields=["start_date"], name="skills_comp_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="skills_comp_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(is_merit=True) | Q(provincial_demo_year__isnull=True),
                name="skills_comp_demo_only_for_merit",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_provincial_demo(self) -> bool:
        return self.provincial_demo_year is not None

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("结束日期不能早于开始日期。")
        if self.provincial_demo_year and not self.is_merit:
            errors["provincial_demo_year"] = _("只有立功竞赛项目才能列为省级示范。")
        if self.is_merit and not self.key_project.strip():
            errors["key_project"] = _("立功竞赛请填写所围绕的重点项目。")
        if errors:
            raise ValidationError(errors)


class CompetitionEntry(TimeStampedModel):
    """One member entered in one competition; score, rank and award once the results are in.
    The rank is never typed: `services.competition_rank` derives it from the scores."""

    class Award(models.TextChoices):
        FIRST = "first", _("一等奖")
        SECOND = "second", _("二等奖")
        THIRD = "third", _("三等奖")
        EXCELLENCE = "excellence", _("优秀奖")

    competition = models.ForeignKey(
        Competition, verbose_name=_("竞赛"), on_delete=models.PROTECT, related_name="entries"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("选手"), on_delete=models.PROTECT, related_name="skill_entries"
    )
    union = models.ForeignKey(
        Union, verbose_name=_("选手所属工会"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("成绩"), max_digits=7, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True, editable=False)
    award = models.CharField(_("奖项"), max_length=16, choices=Award.choices, blank=True)

    class Meta:
        verbose_name = _("参赛选手")
        verbose_name_plural = _("参赛选手")
        ordering = ["competition", F("rank").asc(nulls_last=True), "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "member"], name="skills_entry_once_per_competition"
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(score__isnull=False),
                name="skills_entry_rank_needs_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.name}（{self.competition}）"
