"""What the member's own account pages keep: requests to correct the record (PIPL art. 46) and the
notices the member was sent (the SMS texts, kept so the member can read every one of them again).
Imported by portal.models, so Django finds them in the portal app."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.models import Member, Union


class CorrectionRequest(TimeStampedModel):
    """A member asks their union to correct what it holds about them. The union's admins see it
    in their queue (scoped to their part of the tree) and resolve it with a note the member reads."""

    class State(models.TextChoices):
        OPEN = "open", _("待处理")
        RESOLVED = "resolved", _("已处理")

    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="+"
    )
    # The union that keeps the record when the request was made: its admins answer it.
    union = models.ForeignKey(
        Union, verbose_name=_("受理工会"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.CharField(_("需更正的信息"), max_length=100)
    body = models.TextField(_("更正内容"), max_length=1000)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    submitted_at = models.DateTimeField(_("提交时间"))
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution = models.CharField(_("处理说明（会员可见）"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("个人信息更正申请")
        verbose_name_plural = _("个人信息更正申请")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open") | ~Q(resolution=""),
                name="portal_correction_resolved_has_note",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item}（{self.get_state_display()}）"


class MemberNotice(models.Model):
    """A message sent to a person (by SMS, through portal.sms): what it said, the page it pointed
    to, when. Keyed by the person (the ID number's hash), so it survives a transfer or a rejoin;
    an applicant who is not a member yet is found by the hash of the number they applied with."""

    person_hash = models.CharField(_("公民身份号码摘要"), max_length=64, db_index=True)
    phone = models.CharField(_("手机号码"), max_length=11)
    body = models.CharField(_("内容"), max_length=500)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True, db_index=True)
    delivered = models.BooleanField(_("短信已发出"), default=False)

    class Meta:
        verbose_name = _("会员消息")
        verbose_name_plural = _("会员消息")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.phone} {self.sent_at:%Y-%m-%d %H:%M}"


class PersonalDataExport(models.Model):
    """The person downloaded a copy of what the union holds about them (PIPL art. 45): when, in
    which format, by which channel. Kept so the person (and an audit) can see every copy that
    left; keyed by the person, like the copy itself."""

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel表格")
        JSON = "json", _("JSON")

    class Channel(models.TextChoices):
        WEB = "web", _("会员服务网页")
        API = "api", _("会员接口（公众号、浙里办）")

    person_hash = models.CharField(
        _("公民身份号码摘要"), max_length=64, db_index=True, editable=False
    )
    file_format = models.CharField(_("格式"), max_length=8, choices=Format.choices)
    channel = models.CharField(_("途径"), max_length=8, choices=Channel.choices)
    exported_at = models.DateTimeField(_("下载时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("个人信息下载记录")
        verbose_name_plural = _("个人信息下载记录")
        ordering = ["-exported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_file_format_display()} {self.exported_at:%Y-%m-%d %H:%M}"
