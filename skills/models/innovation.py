"""Models for golden ideas (金点子), innovation results and technical problems solved."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel
from members.models import Enterprise, Member, Union
from skills.models.studios import InnovationStudio
from skills.models.visits import CraftsmanVisit


def idea_photo_path(instance: "GoldenIdea", filename: str) -> str:
    # As claim receipts: never the uploaded name in the path (it may carry a person's name).
    ext = {"image/jpeg": "jpg", "image/png": "png"}.get(instance.photo_content_type, "bin")
    return f"skills/ideas/{instance.pk or 'new'}/{instance.photo_sha256[:16]}.{ext}"


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
    # One optional photo (the machine, the workplace), checked by its bytes like a claim receipt.
    photo = models.FileField(_("照片"), upload_to=idea_photo_path, blank=True, editable=False)
    photo_content_type = models.CharField(_("照片类型"), max_length=32, blank=True, editable=False)
    photo_sha256 = models.CharField(_("照片SHA-256"), max_length=64, blank=True, editable=False)

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
