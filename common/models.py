from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class ImportUpload(models.Model):
    """A spreadsheet uploaded to the admin's import, held between the preview and the confirmation
    (django-import-export's temp storage, `common.uploads.EncryptedUploadStorage`). A roster
    carries full ID numbers, so the file never touches the disk or the cache: it is kept here,
    sealed with the ID key ring, and deleted when the import ends or is refused, or by
    `sweep_import_uploads` once abandoned."""

    name = models.CharField(_("名称"), max_length=64, unique=True)
    sealed = models.BinaryField(_("密文"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("待导入文件")
        verbose_name_plural = _("待导入文件")

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    """One bulk import, kept as one audit record (issue 10.7): who, when, which file (its
    SHA-256), and what it did. An import writes by COPY / bulk_update, which bypass `save()`, so it
    leaves no per-row history; its updated rows are kept here instead, each field before → after
    (`ImportBatchChange`, written in bulk), ID numbers masked. A refused or dry run writes none."""

    kind = models.CharField(_("导入类别"), max_length=32)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.CharField(_("操作者"), max_length=150)
    # The importer's union: who may see the batch (its subtree); empty for the system (city).
    union = models.ForeignKey(
        "members.Union",
        verbose_name=_("导入人所属工会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(_("文件名"), max_length=255, blank=True)
    sha256 = models.CharField(_("文件摘要（SHA-256）"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("导入时间"), auto_now_add=True, db_index=True)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("无变化"), default=0)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} {self.started_at:%Y-%m-%d %H:%M}"


class ImportBatchChange(models.Model):
    """One row an import changed: each field before → after (texts as a clerk reads them)."""

    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("导入批次"), on_delete=models.CASCADE, related_name="changes"
    )
    row = models.PositiveIntegerField(_("行号"))
    record = models.CharField(_("记录"), max_length=100)  # 姓名（masked ID number）
    changes = models.JSONField(_("变更"))  # [{"field": 标签, "before": 原值, "after": 新值}]

    class Meta:
        verbose_name = _("导入变更")
        verbose_name_plural = _("导入变更")
        ordering = ["batch", "row"]

    def __str__(self) -> str:
        return f"{self.row}: {self.record}"
