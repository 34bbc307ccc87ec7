"""Records of the industrial-workforce reform line (深化产改): competitions and their entries,
titles and honours, skilled-talent certifications, training sessions and job drills, craftsman
academies, innovation studios and their alliances, 劳模工匠助企行 visits, golden ideas, innovation
results and technical problems solved for enterprises.

Every record carries the `union` it is counted under, fixed when it is recorded (for a member's
record: the member's union at the time). A member who later transfers does not carry last
year's titles from one district's figures into another's, and every record scopes by one field.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.history import AuditedHistory
from members.models import Enterprise, Member, Union

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


class GoldenIdea(TimeStampedModel):
    """金点子: an improvement idea a member submits."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已提交")
        ADOPTED = "adopted", _("已采纳")
        IMPLEMENTED = "implemented", _("已实施")
        DECLINED = "declined", _("未采纳")

    member = models.ForeignKey(
        Member, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="golden_ideas"
    )
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("题目"), max_length=200)
    content = models.TextField(_("内容"))
    submitted_on = models.DateField(_("提交日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )

    class Meta:
        verbose_name = _("金点子")
        verbose_name_plural = _("金点子")
        ordering = ["-submitted_on", "id"]

    def __str__(self) -> str:
        return self.title


class InnovationResult(TimeStampedModel):
    """职工创新成果: a technical innovation, patent, process improvement and the like."""

    class Kind(models.TextChoices):
        INNOVATION = "innovation", _("技术革新")
        PATENT = "patent", _("专利")
        PROCESS = "process", _("工艺改进")
        METHOD = "method", _("先进操作法")
        OTHER = "other", _("其他")

    title = models.CharField(_("成果名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("第一完成人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    studio = models.ForeignKey(
        InnovationStudio,
        verbose_name=_("创新工作室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="results",
    )
    idea = models.ForeignKey(
        GoldenIdea,
        verbose_name=_("来源金点子"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="results",
    )
    achieved_on = models.DateField(_("形成日期"))

    class Meta:
        verbose_name = _("职工创新成果")
        verbose_name_plural = _("职工创新成果")
        ordering = ["-achieved_on", "id"]

    def __str__(self) -> str:
        return self.title


class TechnicalProblem(TimeStampedModel):
    """A technical problem (技术难题) solved for an enterprise."""

    title = models.CharField(_("难题"), max_length=200)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("受益企业"), on_delete=models.PROTECT, related_name="+"
    )
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="+"
    )
    solved_on = models.DateField(_("解决日期"))
    solver = models.CharField(_("攻关人员或团队"), max_length=200, blank=True)
    visit = models.ForeignKey(
        CraftsmanVisit,
        verbose_name=_("助企行活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    studio = models.ForeignKey(
        InnovationStudio,
        verbose_name=_("创新工作室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )

    class Meta:
        verbose_name = _("为企业解决技术难题")
        verbose_name_plural = _("为企业解决技术难题")
        ordering = ["-solved_on", "id"]

    def __str__(self) -> str:
        return self.title
