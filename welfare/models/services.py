"""Models for service stations, recuperation (疗休养), 湖工助业 job fairs and training, legal aid."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.models import Enterprise, Member, Union
from welfare.models._common import ZERO, money

# --- service stations (户外劳动者服务站点, 妈咪暖心小屋) -----------------------------------------


class ServiceStation(TimeStampedModel):
    class Kind(models.TextChoices):
        OUTDOOR_WORKER = "outdoor_worker", _("户外劳动者服务站点")
        MOMMY_ROOM = "mommy_room", _("妈咪暖心小屋")
        # The kinds the report card names besides the two it counts.
        UNION_POST = "union_post", _("工会驿站")
        SERVICE_CENTRE = "service_centre", _("职工服务中心")
        PUBLIC_SERVICE = "public_service", _("公共服务站")
        MEDIATION_CENTRE = "mediation_centre", _("矛调中心")
        OTHER = "other", _("其他服务阵地")

    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="stations"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200)
    built_on = models.DateField(_("建成日期"))
    closed_on = models.DateField(_("撤销日期"), null=True, blank=True)
    opening_hours = models.CharField(
        _("开放时间"),
        max_length=100,
        blank=True,
        help_text=_(
            "如 08:00-20:00；全天开放填 00:00-24:00；多段用逗号分隔，如 07:00-11:00,14:00-20:00"
        ),
    )
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        verbose_name = _("服务站点")
        verbose_name_plural = _("服务站点")
        ordering = ["union__path", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("built_on")),
                name="welfare_station_closed_after_built",
            )
        ]

    def __str__(self) -> str:
        return self.name


class StationUpgrade(TimeStampedModel):
    """改造提升: one upgrade of a station (a station may be upgraded more than once)."""

    station = models.ForeignKey(
        ServiceStation, verbose_name=_("站点"), on_delete=models.PROTECT, related_name="upgrades"
    )
    upgraded_on = models.DateField(_("改造完成日期"))
    description = models.CharField(_("改造内容"), max_length=200, blank=True)
    cost = money(_("投入（元）"), default=ZERO)
    # 省市政府民生实事: the upgrade was one of the year's government livelihood projects.
    is_livelihood_project = models.BooleanField(_("省市政府民生实事项目"), default=False)

    class Meta:
        verbose_name = _("站点改造提升")
        verbose_name_plural = _("站点改造提升")
        ordering = ["-upgraded_on"]

    def __str__(self) -> str:
        return f"{self.station} {self.upgraded_on}"


class StationVisit(models.Model):
    """Use of a station: a named member (one person-time) or a counted group of visitors."""

    station = models.ForeignKey(
        ServiceStation, verbose_name=_("站点"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("日期"), db_index=True)
    member = models.ForeignKey(
        Member,
        verbose_name=_("会员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="station_visits",
    )
    person_times = models.PositiveIntegerField(_("服务人次"), default=1)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("站点服务记录")
        verbose_name_plural = _("站点服务记录")
        ordering = ["-visited_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=True, person_times__gte=1)
                | Q(member__isnull=False, person_times=1),
                name="welfare_station_visit_named_is_one",
            )
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.visited_on} ×{self.person_times}"


# --- recuperation (疗休养) ---------------------------------------------------------------------


class RecuperationProgramme(TimeStampedModel):
    class Kind(models.TextChoices):
        INCLUSIVE = "inclusive", _("普惠性疗休养")
        MODEL_WORKER = "model_worker", _("劳模疗休养")

    union = models.ForeignKey(
        Union, verbose_name=_("组织工会"), on_delete=models.PROTECT, related_name="recuperations"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    destination = models.CharField(_("疗休养地"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    capacity = models.PositiveIntegerField(_("名额"), default=0)

    class Meta:
        verbose_name = _("疗休养项目")
        verbose_name_plural = _("疗休养项目")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="welfare_recuperation_dates"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RecuperationParticipant(models.Model):
    """Who went. `union` is the participant's union (figures count workers where they belong)."""

    programme = models.ForeignKey(
        RecuperationProgramme,
        verbose_name=_("疗休养项目"),
        on_delete=models.PROTECT,
        related_name="participants",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="recuperations"
    )
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("疗休养人员")
        verbose_name_plural = _("疗休养人员")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "member"], name="welfare_recuperation_once_per_programme"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member.name}·{self.programme}"


# --- 湖工助业: job fairs and re-employment training ----------------------------------------------


class JobFair(TimeStampedModel):
    union = models.ForeignKey(
        Union, verbose_name=_("主办工会"), on_delete=models.PROTECT, related_name="job_fairs"
    )
    title = models.CharField(_("活动名称"), max_length=200)
    held_on = models.DateField(_("举办日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    online = models.BooleanField(_("线上"), default=False)
    attendance = models.PositiveIntegerField(_("入场求职人次"), default=0)
    # Members sign up from the portal (网上报名) unless the organiser closes it (a walk-in fair).
    sign_up_open = models.BooleanField(_("开放网上报名"), default=True)
    capacity = models.PositiveIntegerField(
        _("报名名额"), null=True, blank=True, help_text=_("不填为不限人数")
    )

    class Meta:
        verbose_name = _("“湖工助业”招聘活动")
        verbose_name_plural = _("“湖工助业”招聘活动")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title


class JobFairEmployer(models.Model):
    fair = models.ForeignKey(
        JobFair, verbose_name=_("招聘活动"), on_delete=models.CASCADE, related_name="employers"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), null=True, blank=True, on_delete=models.PROTECT
    )
    name = models.CharField(_("单位名称"), max_length=200)
    positions = models.PositiveIntegerField(_("提供岗位数"), default=0)

    class Meta:
        verbose_name = _("参会企业")
        verbose_name_plural = _("参会企业")

    def __str__(self) -> str:
        return self.name


class JobFairSignUp(models.Model):
    """A member's own sign-up for a fair (网上报名) from the portal or the member API. `union` is
    the member's union when they signed up, as for recuperation places. Not the fair's
    `attendance` (入场求职人次, counted at the door): many sign up and do not come, many come
    without signing up."""

    fair = models.ForeignKey(
        JobFair, verbose_name=_("招聘活动"), on_delete=models.PROTECT, related_name="sign_ups"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="job_fair_sign_ups"
    )
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="+"
    )
    signed_up_at = models.DateTimeField(_("报名时间"), default=timezone.now)

    class Meta:
        verbose_name = _("招聘会报名")
        verbose_name_plural = _("招聘会报名")
        ordering = ["signed_up_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fair", "member"],
                name="welfare_job_fair_sign_up_once",
                violation_error_message=_("您已报名该招聘会，无需重复报名。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member.name}·{self.fair}"


class TrainingCourse(TimeStampedModel):
    """转岗再就业 / 免费就业培训."""

    union = models.ForeignKey(
        Union, verbose_name=_("主办工会"), on_delete=models.PROTECT, related_name="training_courses"
    )
    title = models.CharField(_("培训名称"), max_length=200)
    trade = models.CharField(_("培训工种"), max_length=100, blank=True)
    starts_on = models.DateField(_("开班日期"))
    ends_on = models.DateField(_("结业日期"))

    class Meta:
        verbose_name = _("再就业培训班")
        verbose_name_plural = _("再就业培训班")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="welfare_course_dates"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Trainee(models.Model):
    """One trainee on one course (a person-time): a member, or a job seeker named only."""

    course = models.ForeignKey(
        TrainingCourse, verbose_name=_("培训班"), on_delete=models.PROTECT, related_name="trainees"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("会员"), null=True, blank=True, on_delete=models.PROTECT
    )
    name = models.CharField(_("姓名"), max_length=50)
    completed = models.BooleanField(_("结业"), default=False)

    class Meta:
        verbose_name = _("培训学员")
        verbose_name_plural = _("培训学员")

    def __str__(self) -> str:
        return self.name


# --- legal aid -----------------------------------------------------------------------------------


class LegalAidEvent(TimeStampedModel):
    """公益法律活动: a lecture, a consultation day, a 法律进企业 visit; person-times served."""

    class Kind(models.TextChoices):
        LECTURE = "lecture", _("普法讲座")
        CONSULTATION_DAY = "consultation_day", _("法律咨询日")
        ENTERPRISE_VISIT = "enterprise_visit", _("法律进企业")
        ONLINE = "online", _("线上普法")

    union = models.ForeignKey(
        Union, verbose_name=_("主办工会"), on_delete=models.PROTECT, related_name="legal_events"
    )
    kind = models.CharField(_("形式"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("活动名称"), max_length=200)
    held_on = models.DateField(_("日期"))
    person_times = models.PositiveIntegerField(_("服务职工人次"), default=0)

    class Meta:
        verbose_name = _("公益法律活动")
        verbose_name_plural = _("公益法律活动")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title


class LegalConsultation(TimeStampedModel):
    """One worker's legal question and the advice given."""

    union = models.ForeignKey(
        Union, verbose_name=_("受理工会"), on_delete=models.PROTECT, related_name="consultations"
    )
    event = models.ForeignKey(
        LegalAidEvent,
        verbose_name=_("所属活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("会员"), null=True, blank=True, on_delete=models.PROTECT
    )
    asked_on = models.DateField(_("咨询日期"))
    topic = models.CharField(_("事由"), max_length=200)
    # The member's question in their own words, when they ask from the portal.
    question = models.TextField(_("咨询内容"), blank=True)
    advice = models.TextField(_("解答意见"), blank=True)
    lawyer = models.CharField(_("解答律师"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("法律咨询")
        verbose_name_plural = _("法律咨询")
        ordering = ["-asked_on"]

    def __str__(self) -> str:
        return self.topic
