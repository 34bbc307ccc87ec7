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


class ExportJob(models.Model):
    """A spreadsheet built by a Celery worker rather than inside a request (issue 13: the city's
    681,000 members took 68.6 s in one request). Who asked, what for (a figure's records, or the
    member register or another admin list, with the list's filters), how far it has got, and the
    file, sealed.

    The file is always kept sealed with the ID key ring (`ExportChunk`), not only when it holds
    full ID numbers: every export here is a list of named people (names, masked numbers,
    employers, sometimes full numbers) and one rule is easier to keep than two; sealing costs a
    few hundred milliseconds on the city's file. It is deleted when it expires
    (`sweep_export_jobs`), and the job row stays as the record of who exported what."""

    class Kind(models.TextChoices):
        FIGURE = "figure", _("指标明细")
        MEMBERS = "members", _("会员名册")
        # The admin lists' exports (common.admin_exports), one kind per list.
        ACTIVITIES = "activities", _("活动")
        ATTENDANCE = "attendance", _("参加记录")
        ENROLMENTS = "enrolments", _("互助参保")
        CLAIMS = "claims", _("互助申请")
        PAYOUTS = "payouts", _("互助金发放")
        CONCERNS = "concerns", _("职工心声")
        ENTRIES = "entries", _("参赛选手")
        HONOURS = "honours", _("荣誉称号")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        EXPIRED = "expired", _("已过期")

    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    params = models.JSONField(_("导出条件"), default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导出人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The union whose records the file lists: who else may fetch it (staff over that union).
    union = models.ForeignKey(
        "members.Union", verbose_name=_("范围"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("名称"), max_length=200)
    file_format = models.CharField(_("格式"), max_length=8, default="xlsx")
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    rows_done = models.PositiveIntegerField(_("已写入行数"), default=0)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    holds_full_ids = models.BooleanField(_("含完整公民身份号码"), default=False)
    size = models.PositiveBigIntegerField(_("文件大小（字节）"), default=0)
    message = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近进度时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("下载截止时间"), null=True, blank=True, db_index=True)
    downloads = models.PositiveIntegerField(_("下载次数"), default=0)
    last_downloaded_at = models.DateTimeField(_("最近下载时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)


class ExportChunk(models.Model):
    """One mebibyte of an export's file, sealed (`common.uploads.seal`): the file is written and
    read a chunk at a time, so neither the worker nor the download holds it whole, and it never
    touches a disk unencrypted."""

    job = models.ForeignKey(ExportJob, on_delete=models.CASCADE, related_name="chunks")
    seq = models.PositiveIntegerField()
    sealed = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "seq"], name="common_exportchunk_job_seq")
        ]

    def __str__(self) -> str:
        return f"{self.job_id}/{self.seq}"
