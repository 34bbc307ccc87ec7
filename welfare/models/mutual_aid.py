"""Models for mutual aid (职工医疗互助): plans, benefit lines, enrolments, claims and payouts."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.history import AuditedHistory
from members.models import Enterprise, Member, Union
from welfare.models._common import ZERO, money

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


class BankCard(models.Model):
    """The bank card a person's aid is paid to (代发). Keyed by the person (the ID number's keyed
    hash), like the portal account, so it survives leaving and rejoining. The number is encrypted
    like the ID number (members.crypto) and shown masked; only the bank 代发 file carries it in
    full. The account holder is always the member themself: aid is never paid to someone else.
    A new card replaces the old one (`replaced_at`), which stays for the payouts made to it."""

    person_hash = models.CharField(
        _("持卡人身份摘要"), max_length=64, db_index=True, editable=False
    )
    holder_name = models.CharField(_("户名"), max_length=50)
    bank_name = models.CharField(_("开户行"), max_length=100)
    card_number_encrypted = models.TextField(_("银行卡号（密文）"), editable=False)
    card_number_masked = models.CharField(_("银行卡号"), max_length=24, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    replaced_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("收款银行卡")
        verbose_name_plural = _("收款银行卡")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person_hash"],
                condition=Q(replaced_at__isnull=True),
                name="welfare_one_current_bank_card_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.card_number_masked}"


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
    bank_card = models.ForeignKey(
        BankCard,
        verbose_name=_("收款银行卡"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )

    history = AuditedHistory()

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


class PayoutBatch(models.Model):
    """One bank 代发 batch: the approved claims of one plan paid together through one file.
    Numbered per plan (`number`), issued by a union's staff (`union`: who may see and export it)."""

    plan = models.ForeignKey(
        MutualAidPlan, verbose_name=_("年度方案"), on_delete=models.PROTECT, related_name="batches"
    )
    union = models.ForeignKey(
        Union, verbose_name=_("经办工会"), on_delete=models.PROTECT, related_name="payout_batches"
    )
    number = models.PositiveIntegerField(_("批次号"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    total = money(_("合计金额（元）"), default=ZERO)
    count = models.PositiveIntegerField(_("笔数"), default=0)

    class Meta:
        verbose_name = _("代发批次")
        verbose_name_plural = _("代发批次")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="welfare_batch_number_per_plan")
        ]

    def __str__(self) -> str:
        return _("%(plan)s 第%(n)d批") % {"plan": self.plan, "n": self.number}


class PayoutBatchExport(models.Model):
    """Each download of a batch's 代发 file (it carries full card numbers): who and when."""

    batch = models.ForeignKey(
        PayoutBatch, verbose_name=_("代发批次"), on_delete=models.PROTECT, related_name="exports"
    )
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导出人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exported_at = models.DateTimeField(_("导出时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("代发文件导出记录")
        verbose_name_plural = _("代发文件导出记录")
        ordering = ["-exported_at"]

    def __str__(self) -> str:
        return f"{self.batch} {self.exported_at:%Y-%m-%d %H:%M}"


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
    batch = models.ForeignKey(
        PayoutBatch,
        verbose_name=_("代发批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payouts",
    )

    history = AuditedHistory()

    class Meta:
        verbose_name = _("互助金发放")
        verbose_name_plural = _("互助金发放")
        ordering = ["-paid_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="welfare_payout_positive")
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.amount}"


class ClaimReviewQueue(Claim):
    """The reviewer's queue in the admin: open claims, oldest first (a view of Claim)."""

    class Meta:
        proxy = True
        verbose_name = _("待审核互助申请")
        verbose_name_plural = _("待审核互助申请")
