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
