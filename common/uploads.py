"""Uploaded spreadsheets between the admin's import preview and its confirmation, with no plain ID
number outside PostgreSQL (PIPL; issue 10).

django-import-export keeps the upload in a temp storage between the two steps; its default is a
file in the system temp directory, left there whenever an import is refused or never confirmed.
`EncryptedUploadStorage` (settings.IMPORT_EXPORT_TMP_STORAGE_CLASS) keeps it in a row of
`common.ImportUpload` instead, sealed under the ID number key ring (members.crypto's public
encrypt/decrypt, so a key rotation covers it and no second key exists); `CleanImportMixin` deletes
it when the preview refuses the file; `sweep_import_uploads` (a Celery beat task and a command)
deletes what was never confirmed.

`CleanImportMixin` also answers the form's second button, 检查并下载错误文件 (common.error_file):
the same dry run on the file read in memory, never written to the temp storage, answered with the
error file itself.
"""

import base64
import datetime as dt
from uuid import uuid4

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.tmp_storages import BaseStorage

from common.models import ImportUpload
from members import crypto

CHUNK = 1 << 20  # sealed a mebibyte at a time, so no one token grows with the file
ABANDONED_AFTER = dt.timedelta(hours=1)


def seal(data: bytes) -> bytes:
    """`data` sealed under the ID key ring: one token per mebibyte, a line each. The ring's API
    takes text, so each chunk travels as base64 text inside the authenticated ciphertext."""
    tokens = [
        crypto.encrypt_id_number(base64.b64encode(data[i : i + CHUNK]).decode("ascii"))
        for i in range(0, max(len(data), 1), CHUNK)
    ]
    return "\n".join(tokens).encode("ascii")


def unseal(sealed: bytes) -> bytes:
    return b"".join(
        base64.b64decode(crypto.decrypt_id_number(token))
        for token in bytes(sealed).decode("ascii").split("\n")
    )


def reseal(sealed: bytes) -> bytes | None:
    """The same file sealed under the key ring's current first key, token by token (each
    token's text is re-encrypted as it stands, no byte of the file is decoded); None when every
    token already is (nothing to write)."""
    tokens = bytes(sealed).decode("ascii").split("\n")
    resealed = [crypto.reencrypt_id_number(token) for token in tokens]
    if resealed == tokens:
        return None
    return "\n".join(resealed).encode("ascii")


class EncryptedUploadStorage(BaseStorage):
    """django-import-export's temp storage API (save / read / remove), in PostgreSQL, sealed."""

    def save(self, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode(self.encoding or "utf-8")
        if not self.name:
            self.name = uuid4().hex
        ImportUpload.objects.update_or_create(name=self.name, defaults={"sealed": seal(data)})

    def read(self) -> bytes | str:
        upload = ImportUpload.objects.filter(name=self.name).first()
        data = unseal(upload.sealed) if upload is not None else b""
        if "b" in self.read_mode:
            return data
        return data.decode(self.encoding or "utf-8")

    def remove(self) -> None:
        ImportUpload.objects.filter(name=self.name).delete()


def sweep_import_uploads(*, older_than: dt.timedelta = ABANDONED_AFTER) -> int:
    """Delete uploads whose import was never confirmed; returns how many."""
    deleted, _by_model = ImportUpload.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return deleted


class CleanImportMixin(ImportExportMixin):
    """django-import-export's admin import, which leaves nothing behind when the preview refuses
    the file (it keeps the upload for a confirmation that cannot come)."""

    def import_action(self, request, **kwargs):
        if answer := self.check_errors_answer(request, **kwargs):
            return answer
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        form = context.get("form")
        if "confirm_form" in context or form is None or not hasattr(form, "cleaned_data"):
            return response
        upload = form.cleaned_data.get("import_file")
        name = getattr(upload, "tmp_storage_name", None)
        if name:
            self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs()).remove()
        return response

    def check_errors_answer(self, request, **kwargs) -> HttpResponse | None:
        """检查并下载错误文件: the error file of the chosen file as an attachment, nothing written
        and nothing kept. None (the ordinary preview follows) when the form was sent otherwise,
        when the file cannot be read (the preview says why), or when it has no error (the
        preview follows, headed 文件没有错误，可以导入, ready to confirm)."""
        from common.error_file import error_file_response, wants_error_file

        if not wants_error_file(request):
            return None
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_import_form(request)
        if not form.is_valid():
            return None
        input_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
        if not input_format.is_binary():
            input_format.encoding = self.from_encoding
        import_file = form.cleaned_data["import_file"]
        try:
            dataset = input_format.create_dataset(b"".join(import_file.chunks()))
        except Exception:  # the ordinary preview reports an unreadable file
            return None
        resource_kwargs = self.get_import_resource_kwargs(request, form=form, **kwargs)
        resource = self.choose_import_resource_class(form, request)(**resource_kwargs)
        result = resource.import_data(
            dataset,
            dry_run=True,
            raise_errors=False,
            file_name=import_file.name,
            user=request.user,
            **self.get_import_data_kwargs(request=request, form=form, **kwargs),
        )
        error_file = getattr(result, "error_file", None)
        if error_file is not None:
            return error_file_response(error_file)
        if not result.has_errors() and not result.has_validation_errors():
            messages.success(request, _("文件没有错误，可以导入"))
        import_file.seek(0)
        return None
