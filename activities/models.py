"""Ideology and culture work (思政引领): activities of every kind, who attended them, and the
places where workers' culture lives (township culture positions, shared staff culture centres)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.models import Enterprise, Member, Union


class ActivityKind(models.Model):
    """A kind of activity. The built-in kinds (seeded by a data migration) carry the stable codes
    the report-card figures count by; staff may add others (code left to them, never renamed)."""

    # Built-in codes: the figures in selectors.py count by these, so they never change.
    PRE_SHIFT = "pre_shift"  # 班前十分钟
    LECTURE = "lecture"  # 宣讲（劳模工匠“开学第一课”等）
    CULTURE_SHOW = "culture_show"  # 送文化下基层
    INTEREST_GROUP = "interest_group"  # 兴趣小组活动
    DOUBLE_HUNDRED = "double_hundred"  # “双百引领”实施活动
    MEMBER_DAY = "member_day"  # 工会会员日（每月20日）

    code = models.SlugField(_("类型编码"), max_length=32, unique=True)
    name = models.CharField(_("类型名称"), max_length=50, unique=True)
    has_speaker = models.BooleanField(
        _("有主讲人"), default=False, help_text=_("班前十分钟、宣讲等需登记主讲人及其类别")
    )
    is_builtin = models.BooleanField(_("内置类型"), default=False, editable=False)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("活动类型")
        verbose_name_plural = _("活动类型")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Activity(TimeStampedModel):
    class SpeakerKind(models.TextChoices):
        MODEL_WORKER = "model_worker", _("劳模工匠")
        PARTY_SCHOOL = "party_school", _("党校(行政学院)")
        SCHOOL = "school", _("大中小学")
        GRASSROOTS_CADRE = "grassroots_cadre", _("优秀基层干部")
        OTHER = "other", _("其他")

    kind = models.ForeignKey(
        ActivityKind, verbose_name=_("活动类型"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("活动主题"), max_length=200)
    union = models.ForeignKey(
        Union, verbose_name=_("主办工会"), on_delete=models.PROTECT, related_name="activities"
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("活动地点"), max_length=200, blank=True)
    is_online = models.BooleanField(_("线上活动"), default=False)
    speaker = models.CharField(_("主讲人"), max_length=100, blank=True)
    speaker_kind = models.CharField(
        _("主讲人类别"), max_length=20, choices=SpeakerKind.choices, blank=True
    )
    # 未具名人数: the audience of a show nobody lists. Named attendance is counted apart (the
    # Attendance rows), so nobody is counted twice: this is only the people not named.
    headcount = models.PositiveIntegerField(
        _("未具名参加人数"),
        default=0,
        help_text=_("无法逐一登记姓名的观众人数（不含已签到或已登记姓名的人）"),
    )
    enterprises = models.ManyToManyField(
        Enterprise,
        verbose_name=_("覆盖企业"),
        through="ActivityReach",
        related_name="activities",
        blank=True,
    )
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "starts_at"], name="activity_kind_start_idx"),
            models.Index(fields=["union", "starts_at"], name="activity_union_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ActivityReach(models.Model):
    """An organisation an activity reached: an enterprise, or a team (班组/车间) within one."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="reaches"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.CharField(_("班组/车间"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("覆盖组织")
        verbose_name_plural = _("覆盖组织")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "enterprise", "team"], name="reach_once_per_activity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise}{' · ' + self.team if self.team else ''}"


class Attendance(models.Model):
    """A named attendance: this member was at this activity. Once: the unique constraint is the
    guard that holds under a burst of scans at shift start."""

    class Method(models.TextChoices):
        QR = "qr", _("扫码签到")
        STAFF = "staff", _("工作人员登记")
        IMPORT = "import", _("名单导入")

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="attendances"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="attendances"
    )
    method = models.CharField(_("登记方式"), max_length=8, choices=Method.choices)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("参加记录")
        verbose_name_plural = _("参加记录")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "member"], name="attendance_once_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member.name} @ {self.activity}"


class CulturePosition(TimeStampedModel):
    """职工文化活动阵地: a culture position a township (street) union built."""

    name = models.CharField(_("阵地名称"), max_length=200)
    union = models.ForeignKey(
        Union, verbose_name=_("建设工会"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    opened_on = models.DateField(_("建成日期"))
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("职工文化活动阵地")
        verbose_name_plural = _("职工文化活动阵地")
        ordering = ["-opened_on", "name"]

    def __str__(self) -> str:
        return self.name


class SharedCultureCentre(TimeStampedModel):
    """共享型企业职工文体中心: a staff culture centre one union leads, others help build, and
    the enterprises around it share (the 永艺 centre serves about a hundred enterprises)."""

    name = models.CharField(_("中心名称"), max_length=200)
    union = models.ForeignKey(
        Union,
        verbose_name=_("牵头建设工会"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    co_builders = models.ManyToManyField(
        Union, verbose_name=_("共建工会"), blank=True, related_name="+"
    )
    enterprises = models.ManyToManyField(
        Enterprise, verbose_name=_("服务企业"), blank=True, related_name="+"
    )
    workers_served = models.PositiveIntegerField(_("服务职工人数"), default=0)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    opened_on = models.DateField(_("启用日期"))

    class Meta:
        verbose_name = _("共享型企业职工文体中心")
        verbose_name_plural = _("共享型企业职工文体中心")
        ordering = ["-opened_on", "name"]

    def __str__(self) -> str:
        return self.name
