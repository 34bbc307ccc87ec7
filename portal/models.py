"""What the member portal owns: the person's portal account and their signed-in devices, SMS codes
and the SMS outbox, online join applications (网上入会), consents (PIPL) and e-card verifications.
Everything else a member does is written by the owning app's services."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.models import Member, Union


class PortalAccount(TimeStampedModel):
    """A person's portal account. Keyed by the keyed hash of the ID number (`Member.id_number_hash`),
    never by a membership row: someone who leaves and rejoins keeps the one account."""

    person_hash = models.CharField(
        _("公民身份号码摘要"), max_length=64, unique=True, editable=False
    )
    last_sign_in_at = models.DateTimeField(_("最近登录"), null=True, blank=True)

    class Meta:
        verbose_name = _("会员服务账号")
        verbose_name_plural = _("会员服务账号")

    def __str__(self) -> str:
        return f"{_('会员服务账号')} #{self.pk}"

    def active_member(self) -> Member | None:
        """The person's active membership, if they have one now."""
        return (
            Member.objects.select_related("union")
            .filter(id_number_hash=self.person_hash, status=Member.Status.ACTIVE)
            .first()
        )


class PortalDevice(models.Model):
    """A phone (browser) bound to an account after name + last 6 of the ID number were checked on
    it once. The device cookie holds a random key; only its SHA-256 is kept. The device is signed
    in while `signed_in_until` lies ahead (30 days from the last sign-in)."""

    account = models.ForeignKey(
        PortalAccount, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="devices"
    )
    device_digest = models.CharField(_("设备标识摘要"), max_length=64, editable=False)
    user_agent = models.CharField(_("浏览器"), max_length=200, blank=True)
    bound_at = models.DateTimeField(_("绑定时间"), auto_now_add=True)
    signed_in_until = models.DateTimeField(_("登录有效期至"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录设备")
        verbose_name_plural = _("登录设备")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "device_digest"], name="portal_device_once_per_account"
            )
        ]
        indexes = [models.Index(fields=["device_digest"], name="portal_device_digest_idx")]

    def __str__(self) -> str:
        return f"{self.account} · {self.user_agent[:40]}"


class SmsCode(models.Model):
    """A 6-digit code sent to a mobile number. Only an HMAC of the code is kept."""

    class Purpose(models.TextChoices):
        SIGN_IN = "sign_in", _("登录")
        JOIN = "join", _("入会申请")
        STEP_UP = "step_up", _("敏感操作确认")
        PHONE_CHANGE = "phone_change", _("更换手机号")
        # A staff user's forgotten password (members.password_reset): one table and one set of
        # per-number limits for every code this system sends, whoever asks for it.
        STAFF_PASSWORD_RESET = "staff_reset", _("工作人员重置密码")

    phone = models.CharField(_("手机号码"), max_length=11, db_index=True)
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices)
    code_hash = models.CharField(_("验证码摘要"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("发送时间"), db_index=True)
    expires_at = models.DateTimeField(_("失效时间"))
    failed_attempts = models.PositiveSmallIntegerField(_("输错次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.phone} {self.created_at:%Y-%m-%d %H:%M}"


class SmsMessage(models.Model):
    """短信发送记录: every message the embedded (outbox) backend 'sent'. Superusers only."""

    phone = models.CharField(_("手机号码"), max_length=11, db_index=True)
    body = models.CharField(_("内容"), max_length=500)
    backend = models.CharField(_("发送通道"), max_length=100)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("短信发送记录")
        verbose_name_plural = _("短信发送记录")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.phone} {self.sent_at:%Y-%m-%d %H:%M}"


class RateHit(models.Model):
    """A fixed-window counter (kept in PostgreSQL, so every gunicorn host shares it)."""

    key = models.CharField(max_length=120)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("访问频率计数")
        verbose_name_plural = _("访问频率计数")
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="portal_rate_hit_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class Consent(models.Model):
    """A person's consent to one notice (PIPL art. 14, 29: separate consent for sensitive
    personal information), with the version they read and when."""

    class Notice(models.TextChoices):
        JOIN_ID_NUMBER = "join_id_number", _("入会申请：收集公民身份号码")
        MEDICAL_RECEIPTS = "medical_receipts", _("互助申请：收集医疗票据等健康信息")

    notice = models.CharField(_("告知事项"), max_length=32, choices=Notice.choices)
    version = models.CharField(_("告知书版本"), max_length=20)
    # Whose consent it is: the person (the ID number's keyed hash, as PortalAccount and
    # MemberNotice), so a new phone number neither loses it nor hands it to the number's next
    # holder. Blank only while a join applicant has not given their ID number yet (the join
    # consent is asked before it); join_apply fills it in.
    person_hash = models.CharField(
        _("公民身份号码摘要"), max_length=64, blank=True, db_index=True, editable=False
    )
    # The number the consent was given from: evidence of the act, not the key.
    phone = models.CharField(_("手机号码"), max_length=11)
    consented_at = models.DateTimeField(_("同意时间"))
    # Withdrawal (PIPL art. 15) ends the consent for what is collected next; the record stays as
    # evidence of what was consented to and when, and of when it ended.
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("个人信息处理同意记录")
        verbose_name_plural = _("个人信息处理同意记录")
        ordering = ["-consented_at"]

    def __str__(self) -> str:
        return f"{self.get_notice_display()} v{self.version} {self.phone}"


class JoinApplication(TimeStampedModel):
    """网上入会: a worker not in the registry applies; the union's admins approve or refuse."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未批准")

    name = models.CharField(_("姓名"), max_length=50)
    id_number_encrypted = models.TextField(_("公民身份号码（密文）"), editable=False)
    id_number_hash = models.CharField(_("公民身份号码摘要"), max_length=64, editable=False)
    id_number_masked = models.CharField(_("公民身份号码"), max_length=18, editable=False)
    phone = models.CharField(_("手机号码"), max_length=11, db_index=True)
    employer = models.CharField(_("工作单位"), max_length=200, blank=True)
    employment_form = models.CharField(
        _("就业形态"), max_length=16, choices=Member.EmploymentForm.choices
    )
    township = models.ForeignKey(
        Union,
        verbose_name=_("工作所在乡镇(街道)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    union = models.ForeignKey(
        Union,
        verbose_name=_("申请加入的工会"),
        on_delete=models.PROTECT,
        related_name="join_applications",
    )
    consent = models.ForeignKey(
        Consent, verbose_name=_("同意记录"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    submitted_at = models.DateTimeField(_("提交时间"))
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refusal_reason = models.CharField(_("未批准理由"), max_length=500, blank=True)
    member = models.ForeignKey(
        Member,
        verbose_name=_("会员记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("入会申请")
        verbose_name_plural = _("入会申请")
        ordering = ["-submitted_at"]
        constraints = [
            # One open application per person: a second tap or a resubmission is not a new case.
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=Q(state="pending"),
                name="join_one_pending_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(refusal_reason=""),
                name="join_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）→ {self.union}"


class CardVerification(models.Model):
    """Staff scanned a member's e-card: who verified whom, when, and what they saw."""

    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核验人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="+"
    )
    was_active = models.BooleanField(_("核验时在会"))
    verified_at = models.DateTimeField(_("核验时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("会员证核验记录")
        verbose_name_plural = _("会员证核验记录")
        ordering = ["-verified_at"]

    def __str__(self) -> str:
        return f"{self.verified_by} → {self.member_id}"


# The member's account pages (PIPL requests, notices): kept in their own module.
from portal.models_account import (  # noqa: E402, F401
    CorrectionRequest,
    MemberNotice,
    PersonalDataExport,
)
