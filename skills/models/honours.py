"""Models for titles and honours (荣誉称号)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.history import AuditedHistory
from members.models import Enterprise, Member, Union
from skills.models.competitions import Competition


class Honour(TimeStampedModel):
    """A title or honour (荣誉称号), to a person (a member) or to a collective (an enterprise, a
    team: named by `collective_name`)."""

    class Kind(models.TextChoices):
        TECHNICAL_EXPERT = "technical_expert", _("市技术能手")
        GOLDEN_BLUE_COLLAR = "golden_blue_collar", _("浙江金蓝领")
        ZHEJIANG_CRAFTSMAN = "zhejiang_craftsman", _("浙江工匠")
        HUZHOU_CRAFTSMAN = "huzhou_craftsman", _("湖州工匠")
        GREAT_CRAFTSMAN_CANDIDATE = "great_craftsman_candidate", _("大国工匠浙江培育对象")
        PROVINCIAL_MODEL_WORKER = "provincial_model_worker", _("省劳动模范")
        PROVINCIAL_MODEL_COLLECTIVE = "provincial_model_collective", _("省模范集体")
        MAY_DAY_MEDAL = "may_day_medal", _("全国五一劳动奖章")
        MAY_DAY_AWARD = "may_day_award", _("全国五一劳动奖状")
        PIONEER_TEAM = "pioneer_team", _("全国工人先锋号")

    COLLECTIVE_KINDS = (
        Kind.PROVINCIAL_MODEL_COLLECTIVE,
        Kind.MAY_DAY_AWARD,
        Kind.PIONEER_TEAM,
    )

    kind = models.CharField(_("称号"), max_length=32, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    awarding_body = models.CharField(_("授予单位"), max_length=200)
    member = models.ForeignKey(
        Member,
        verbose_name=_("获得者（个人）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )
    collective_name = models.CharField(
        _("获得集体"), max_length=200, blank=True, help_text=_("集体称号填企业或班组名称")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="+"
    )
    competition = models.ForeignKey(
        Competition,
        verbose_name=_("来源竞赛"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )

    history = AuditedHistory()

    class Meta:
        verbose_name = _("荣誉称号")
        verbose_name_plural = _("荣誉称号")
        ordering = ["-year", "kind", "id"]
        indexes = [models.Index(fields=["kind", "year"], name="skills_honour_kind_year_idx")]
        constraints = [
            # One title of a kind per person per year: the guard behind idempotent awarding.
            models.UniqueConstraint(
                fields=["kind", "member", "year"],
                condition=Q(member__isnull=False),
                name="skills_honour_one_per_person_kind_year",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind__in=[
                            "provincial_model_collective",
                            "may_day_award",
                            "pioneer_team",
                        ],
                        member__isnull=True,
                    )
                    & ~Q(collective_name="")
                )
                | (
                    ~Q(kind__in=["provincial_model_collective", "may_day_award", "pioneer_team"])
                    & Q(member__isnull=False, collective_name="")
                ),
                name="skills_honour_person_or_collective",
            ),
        ]

    def __str__(self) -> str:
        holder = self.member.name if self.member_id else self.collective_name
        return f"{self.year}年{self.get_kind_display()}：{holder}"

    @property
    def is_collective(self) -> bool:
        return self.kind in self.COLLECTIVE_KINDS

    def clean(self) -> None:
        errors = {}
        if self.is_collective:
            if self.member_id:
                errors["member"] = _("“%(k)s”是集体称号，不能授予个人。") % {
                    "k": self.get_kind_display()
                }
            if not self.collective_name.strip():
                errors["collective_name"] = _("请填写获得称号的企业或班组名称。")
        else:
            if not self.member_id:
                errors["member"] = _("“%(k)s”是个人称号，请选择获得者。") % {
                    "k": self.get_kind_display()
                }
            if self.collective_name.strip():
                errors["collective_name"] = _("个人称号不填获得集体。")
        if errors:
            raise ValidationError(errors)
