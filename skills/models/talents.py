"""Models for skilled-talent certifications (技能人才登记), training sessions and job drills."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.models import Enterprise, Member, Union


class SkillCertification(TimeStampedModel):
    """技能人才登记: a member certified at a skill level (职业技能等级) in an occupation."""

    class Level(models.TextChoices):
        LEVEL5 = "5", _("初级工（五级）")
        LEVEL4 = "4", _("中级工（四级）")
        LEVEL3 = "3", _("高级工（三级）")
        LEVEL2 = "2", _("技师（二级）")
        LEVEL1 = "1", _("高级技师（一级）")
        SPECIAL = "special", _("特级技师")
        CHIEF = "chief", _("首席技师")

    member = models.ForeignKey(
        Member,
        verbose_name=_("会员"),
        on_delete=models.PROTECT,
        related_name="skill_certifications",
    )
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("技能等级"), max_length=8, choices=Level.choices)
    occupation = models.CharField(_("职业（工种）"), max_length=100)
    certified_on = models.DateField(_("取证日期"))
    certificate_no = models.CharField(_("证书编号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("技能人才登记")
        verbose_name_plural = _("技能人才登记")
        ordering = ["-certified_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "occupation", "level"], name="skills_cert_once_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member.name}：{self.occupation}{self.get_level_display()}"


class SkillSession(TimeStampedModel):
    """A technical training session (技术培训) or a job drill (岗位练兵). `headcount` is the
    person-times counted; when participants are recorded it is their number."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("技术培训")
        DRILL = "drill", _("岗位练兵")

    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    union = models.ForeignKey(
        Union, verbose_name=_("组织工会"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    occupation = models.CharField(_("工种"), max_length=100, blank=True)
    held_on = models.DateField(_("举办日期"))
    headcount = models.PositiveIntegerField(_("参加人次"))
    participants = models.ManyToManyField(
        Member, verbose_name=_("参加会员"), blank=True, related_name="skill_sessions"
    )

    class Meta:
        verbose_name = _("技术培训与岗位练兵")
        verbose_name_plural = _("技术培训与岗位练兵")
        ordering = ["-held_on", "id"]
        indexes = [models.Index(fields=["kind", "held_on"], name="skills_session_kind_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"
