"""Welfare and rights (维权服务): mutual aid with its claims and payouts, hardship assistance and
visits, service stations, recuperation, job fairs and training, legal aid, wage collective
contracts, and the workers' voice. Every record reaches a Union (its own `union`, or through its
member or enterprise) so the tree rule of members/scoping.py applies to it."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.models import Enterprise, Member, Union

ZERO = Decimal("0.00")


def money(verbose_name, **kwargs) -> models.DecimalField:
    """Yuan, two places, never negative."""
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
        **kwargs,
    )


# --- mutual aid (职工医疗互助) -----------------------------------------------------------------


class MutualAidPlan(TimeStampedModel):
    """One year's mutual-aid plan: the period it covers and the window in which members enrol."""

    union = models.ForeignKey(
        Union,
        verbose_name=_("主办工会"),
        on_delete=models.PROTECT,
        related_name="mutual_aid_plans",
        help_text=_("通常为市总工会；方案适用于该工会及其下级"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("方案名称"), max_length=100)
    period_start = models.DateField(_("保障期开始"))
    period_end = models.DateField(_("保障期结束"))
    enrolment_opens = models.DateField(_("参保开始日期"))
    enrolment_closes = models.DateField(_("参保截止日期"))

    class Meta:
        verbose_name = _("医疗互助年度方案")
        verbose_name_plural = _("医疗互助年度方案")
        ordering = ["-year", "union__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "year"], name="welfare_plan_one_per_union_year"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="welfare_plan_period_order"
            ),
            models.CheckConstraint(
                condition=Q(enrolment_closes__gte=F("enrolment_opens")),
                name="welfare_plan_window_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BenefitLine(TimeStampedModel):
    """One benefit of a plan (hospital stay, major illness, women's special illnesses) with its
    own contribution and rules: allowed = (eligible expenses − deductible) × rate, up to the annual
    cap per member, for stays in the plan's period claimed by the deadline."""

    class Kind(models.TextChoices):
        HOSPITAL_STAY = "hospital_stay", _("住院医疗互助")
        MAJOR_ILLNESS = "major_illness", _("重大疾病互助")
        WOMEN_SPECIAL = "women_special", _("女职工特殊疾病互助")
        OTHER = "other", _("其他")

    plan = models.ForeignKey(
        MutualAidPlan, verbose_name=_("年度方案"), on_delete=models.PROTECT, related_name="lines"
    )
    kind = models.CharField(_("互助项目"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("项目名称"), max_length=100)
    contribution = money(_("每人缴费（元）"))
    deductible = money(_("起付线（元）"))
    reimbursement_rate = models.DecimalField(
        _("补助比例"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal(1))],
        help_text=_("0.5 即 50%"),
    )
    annual_cap = money(_("年度封顶（元/人）"))
    claim_deadline = models.DateField(_("申请截止日期"))

    class Meta:
        verbose_name = _("互助项目")
        verbose_name_plural = _("互助项目")
        ordering = ["plan", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="welfare_line_one_kind_per_plan"),
            models.CheckConstraint(
                condition=Q(reimbursement_rate__gt=0, reimbursement_rate__lte=1),
                name="welfare_line_rate_in_range",
            ),
            models.CheckConstraint(condition=Q(annual_cap__gt=0), name="welfare_line_cap_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.year}·{self.name}"


class Enrolment(TimeStampedModel):
    """A member enrolled in one benefit line (usually paid by the enterprise for its staff).
    `union` is the member's union when enrolled: figures and scoping keep to it."""

    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="enrolments"
    )
    line = models.ForeignKey(
        BenefitLine, verbose_name=_("互助项目"), on_delete=models.PROTECT, related_name="enrolments"
    )
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="enrolments"
    )
    payer = models.ForeignKey(
        Enterprise,
        verbose_name=_("缴费单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    enrolled_on = models.DateField(_("参保日期"))
    contribution = money(_("缴费金额（元）"))
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("互助参保")
        verbose_name_plural = _("互助参保")
        ordering = ["-enrolled_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "line"], name="welfare_one_enrolment_per_line"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member.name}·{self.line}"


class Claim(TimeStampedModel):
    """A mutual-aid claim for one stay. `allowed_amount` is what the rules allow: estimated when
    submitted, fixed when approved (against the cap as it stands then)."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("已提交")
        UNDER_REVIEW = "under_review", _("审核中")
        APPROVED = "approved", _("已核准")
        PAID = "paid", _("已发放")
        REJECTED = "rejected", _("不予补助")
        WITHDRAWN = "withdrawn", _("已撤回")

    OPEN_STATES = (State.SUBMITTED, State.UNDER_REVIEW)
    # Claims whose amount counts against the member's annual cap.
    CAP_STATES = (State.APPROVED, State.PAID)

    class Category(models.TextChoices):
        INPATIENT = "inpatient", _("住院")
        DAY_SURGERY = "day_surgery", _("日间手术")
        SPECIAL_OUTPATIENT = "special_outpatient", _("门诊特殊病种")
        MAJOR_ILLNESS = "major_illness", _("重大疾病")

    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="claims"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("参保记录"), on_delete=models.PROTECT, related_name="claims"
    )
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="claims"
    )
    admitted_on = models.DateField(_("入院日期"))
    discharged_on = models.DateField(_("出院日期"))
    hospital = models.CharField(_("医院"), max_length=100)
    category = models.CharField(_("就诊类别"), max_length=20, choices=Category.choices)
    diagnosis = models.CharField(_("诊断"), max_length=200, blank=True)
    total_expenses = money(_("医疗总费用（元）"))
    eligible_expenses = money(
        _("政策范围内费用（元）"), help_text=_("医保结算单上的政策范围内自付费用")
    )
    allowed_amount = money(_("核定互助金（元）"), default=ZERO)
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    rejection_reason = models.CharField(_("不予补助理由"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("互助申请")
        verbose_name_plural = _("互助申请")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["state", "submitted_at"], name="welfare_claim_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(discharged_on__gte=F("admitted_on")), name="welfare_claim_stay_order"
            ),
            models.CheckConstraint(
                condition=Q(eligible_expenses__lte=F("total_expenses")),
                name="welfare_claim_eligible_within_total",
            ),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(rejection_reason=""),
                name="welfare_claim_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return _("%(name)s %(hospital)s %(date)s") % {
            "name": self.member.name,
            "hospital": self.hospital,
            "date": self.admitted_on,
        }


class ClaimEvent(models.Model):
    """The history of a claim: every change of state or amount, who made it and when."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("互助申请"), on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField(_("时间"), db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    by_member = models.BooleanField(_("会员本人操作"), default=False)
    from_state = models.CharField(
        _("原状态"), max_length=16, choices=Claim.State.choices, blank=True
    )
    to_state = models.CharField(_("新状态"), max_length=16, choices=Claim.State.choices)
    amount = money(_("核定互助金（元）"))
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("申请处理记录")
        verbose_name_plural = _("申请处理记录")
        ordering = ["claim", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.from_state or '-'} → {self.to_state}"


def receipt_path(instance: "ClaimReceipt", filename: str) -> str:
    # Never the uploaded name in the path: it may carry a person's name or odd characters.
    return f"welfare/receipts/{instance.claim_id}/{instance.sha256[:16]}.{instance.extension}"


class ClaimReceipt(models.Model):
    """A receipt or discharge summary uploaded for a claim (PDF, JPEG or PNG, checked by content)."""

    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    claim = models.ForeignKey(
        Claim, verbose_name=_("互助申请"), on_delete=models.PROTECT, related_name="receipts"
    )
    file = models.FileField(_("文件"), upload_to=receipt_path)
    content_type = models.CharField(_("文件类型"), max_length=32, choices=Kind.choices)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_name = models.CharField(_("原文件名"), max_length=255)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["claim", "uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "sha256"], name="welfare_receipt_once_per_claim"
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[
            self.content_type
        ]


class Payout(models.Model):
    """The one payment of an approved claim. The unique constraint on `claim` is what makes a
    second payment impossible; `idempotency_key` lets a retried request find the first."""

    claim = models.OneToOneField(
        Claim, verbose_name=_("互助申请"), on_delete=models.PROTECT, related_name="payout"
    )
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="payouts"
    )
    amount = money(_("发放金额（元）"))
    idempotency_key = models.CharField(_("请求幂等键"), max_length=64, unique=True)
    paid_on = models.DateField(_("发放日期"), db_index=True)
    paid_at = models.DateTimeField(_("发放时间"))
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    bank_reference = models.CharField(_("银行流水号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("互助金发放")
        verbose_name_plural = _("互助金发放")
        ordering = ["-paid_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="welfare_payout_positive")
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.amount}"


# --- hardship assistance (帮扶) and visits (慰问) ----------------------------------------------


class AssistanceFund(TimeStampedModel):
    """Money raised for hardship assistance (帮扶经费)."""

    class Source(models.TextChoices):
        UNION_FUNDS = "union_funds", _("工会经费")
        GOVERNMENT = "government", _("财政资金")
        DONATION = "donation", _("社会捐赠")
        ENTERPRISE = "enterprise", _("企业出资")

    union = models.ForeignKey(
        Union, verbose_name=_("筹集工会"), on_delete=models.PROTECT, related_name="assistance_funds"
    )
    name = models.CharField(_("资金名称"), max_length=100)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    amount = money(_("金额（元）"))
    raised_on = models.DateField(_("到位日期"))

    class Meta:
        verbose_name = _("帮扶经费")
        verbose_name_plural = _("帮扶经费")
        ordering = ["-raised_on"]

    def __str__(self) -> str:
        return f"{self.name}（{self.amount}元）"


class HardshipCase(TimeStampedModel):
    """A worker in hardship (困难职工帮扶): the assessment and the aid paid, from which fund."""

    class Category(models.TextChoices):
        ILLNESS = "illness", _("因病")
        DISABILITY = "disability", _("因残")
        DISASTER = "disaster", _("因灾")
        EDUCATION = "education", _("子女教育")
        SINGLE_PARENT = "single_parent", _("单亲")
        UNEMPLOYMENT = "unemployment", _("失业")
        OTHER = "other", _("其他")

    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="hardship_cases"
    )
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="hardship_cases"
    )
    category = models.CharField(_("困难类别"), max_length=16, choices=Category.choices)
    assessed_on = models.DateField(_("认定日期"))
    assessment = models.TextField(_("困难情况认定"), blank=True)
    aid_amount = money(_("帮扶金额（元）"), default=ZERO)
    aid_paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    fund = models.ForeignKey(
        AssistanceFund,
        verbose_name=_("资金来源"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    closed_on = models.DateField(_("脱困日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("困难职工帮扶")
        verbose_name_plural = _("困难职工帮扶")
        ordering = ["-assessed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(aid_amount=0) | Q(aid_paid_on__isnull=False),
                name="welfare_hardship_paid_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member.name}（{self.get_category_display()}）"


class Visit(TimeStampedModel):
    """慰问: a worker visited (who, when, by whom, what was given). `union` is the worker's union."""

    class Occasion(models.TextChoices):
        WINTER = "winter", _("送温暖")
        SUMMER = "summer", _("送清凉")
        FESTIVAL = "festival", _("节日慰问")
        ILLNESS = "illness", _("患病慰问")
        OTHER = "other", _("其他")

    member = models.ForeignKey(
        Member, verbose_name=_("慰问对象"), on_delete=models.PROTECT, related_name="visits"
    )
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="welfare_visits"
    )
    visited_on = models.DateField(_("慰问日期"))
    occasion = models.CharField(_("慰问类别"), max_length=16, choices=Occasion.choices)
    visitor = models.CharField(_("慰问人"), max_length=100)
    frontline = models.BooleanField(_("一线职工"), default=True)
    in_hardship = models.BooleanField(_("困难职工"), default=False)
    given = models.CharField(_("慰问品/慰问金"), max_length=200, blank=True)
    value = money(_("折合金额（元）"), default=ZERO)

    class Meta:
        verbose_name = _("慰问记录")
        verbose_name_plural = _("慰问记录")
        ordering = ["-visited_on"]

    def __str__(self) -> str:
        return f"{self.member.name} {self.visited_on}"


# --- service stations (户外劳动者服务站点, 妈咪暖心小屋) -----------------------------------------


class ServiceStation(TimeStampedModel):
    class Kind(models.TextChoices):
        OUTDOOR_WORKER = "outdoor_worker", _("户外劳动者服务站点")
        MOMMY_ROOM = "mommy_room", _("妈咪暖心小屋")
        OTHER = "other", _("其他服务阵地")

    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="stations"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200)
    built_on = models.DateField(_("建成日期"))
    closed_on = models.DateField(_("撤销日期"), null=True, blank=True)

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


# --- legal aid and labour relations -------------------------------------------------------------


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
    advice = models.TextField(_("解答意见"), blank=True)
    lawyer = models.CharField(_("解答律师"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("法律咨询")
        verbose_name_plural = _("法律咨询")
        ordering = ["-asked_on"]

    def __str__(self) -> str:
        return self.topic


class LabourRelationsSite(TimeStampedModel):
    """基层劳动关系公共服务样板 recognised at a level."""

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("省级")
        MUNICIPAL = "municipal", _("市级")

    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="model_sites"
    )
    name = models.CharField(_("名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    recognised_on = models.DateField(_("命名日期"))

    class Meta:
        verbose_name = _("劳动关系公共服务样板")
        verbose_name_plural = _("劳动关系公共服务样板")
        ordering = ["-recognised_on"]

    def __str__(self) -> str:
        return self.name


class WageContract(TimeStampedModel):
    """能级工资集体合同 signed by an enterprise. `union` is the enterprise's union when signed."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="wage_contracts"
    )
    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="wage_contracts"
    )
    signed_on = models.DateField(_("签订日期"))
    expires_on = models.DateField(_("到期日期"))
    employees_covered = models.PositiveIntegerField(_("覆盖职工人数"))

    class Meta:
        verbose_name = _("能级工资集体合同")
        verbose_name_plural = _("能级工资集体合同")
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gte=F("signed_on")), name="welfare_contract_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.signed_on}"


class GrassrootsInvestment(TimeStampedModel):
    """大抓基层三年行动: money spent on a grassroots project."""

    union = models.ForeignKey(
        Union, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="investments"
    )
    project = models.CharField(_("项目"), max_length=200)
    spent_on = models.DateField(_("支出日期"))
    amount = money(_("金额（元）"))

    class Meta:
        verbose_name = _("大抓基层投入")
        verbose_name_plural = _("大抓基层投入")
        ordering = ["-spent_on"]

    def __str__(self) -> str:
        return self.project


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


class ClaimReviewQueue(Claim):
    """The reviewer's queue in the admin: open claims, oldest first (a view of Claim)."""

    class Meta:
        proxy = True
        verbose_name = _("待审核互助申请")
        verbose_name_plural = _("待审核互助申请")
