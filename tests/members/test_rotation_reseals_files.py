"""`rotate_id_keys` re-seals what is sealed under the ID key ring besides the ID numbers: export
files awaiting download (ExportChunk) and admin uploads awaiting their import confirmation
(ImportUpload). Once the old key leaves MEMBER_ID_KEYS, both still open, byte for byte."""

import os
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from common.export_jobs import SealedSink, export_chunks
from common.models import ExportChunk, ExportJob, ImportUpload
from common.uploads import CHUNK, EncryptedUploadStorage, unseal
from members import crypto
from members.management.commands.rotate_id_keys import Command as RotateCommand

pytestmark = pytest.mark.django_db


def rotate() -> str:
    out = StringIO()
    RotateCommand(stdout=out).handle(batch_size=10, old_hash_key=None)
    return out.getvalue()


def key_ids(sealed: bytes) -> set[str]:
    return {crypto.token_key_id(t) for t in bytes(sealed).decode("ascii").split("\n")}


@pytest.fixture
def sealed_files(tree, staff, settings):
    """A done export of two chunks and an upload of two tokens (over a mebibyte), under key 1."""
    job = ExportJob.objects.create(
        kind=ExportJob.Kind.MEMBERS,
        union=tree.wuxing,
        title="会员名册",
        requested_by=staff["district_admin"],
        status=ExportJob.Status.DONE,
    )
    export_bytes = os.urandom(CHUNK + 4096) + "织里甲,330502".encode()
    sink = SealedSink(job.pk)
    sink.write(export_bytes)
    sink.finish()
    upload_text = "姓名,公民身份号码\n织里甲,330502199001011234\n" * 30_000
    storage = EncryptedUploadStorage(encoding="utf-8", read_mode="r")
    storage.save(upload_text)
    old_key = crypto.token_key_id(crypto.encrypt_id_number("x"))
    return job, export_bytes, storage, upload_text, old_key


def test_export_files_and_uploads_open_after_rotation_and_the_old_keys_retirement(
    sealed_files, settings
):
    # given
    job, export_bytes, storage, upload_text, old_key = sealed_files
    new_key = crypto.new_key("k2")
    assert all(key_ids(c.sealed) == {old_key} for c in ExportChunk.objects.all())

    # when: key 2 goes first, the rotation runs, then key 1 is retired
    with override_settings(MEMBER_ID_KEYS=[new_key, *settings.MEMBER_ID_KEYS]):
        out = rotate()

    # then: every token is under key 2, and both files open with key 2 alone, unchanged
    assert "重新封存导出文件块 2 个、待导入文件 1 个" in out
    for sealed in [
        *ExportChunk.objects.values_list("sealed", flat=True),
        *ImportUpload.objects.values_list("sealed", flat=True),
    ]:
        assert key_ids(sealed) == {"k2"}
    with override_settings(MEMBER_ID_KEYS=[new_key]):
        assert b"".join(export_chunks(job)) == export_bytes
        assert storage.read() == upload_text


def test_without_the_rotation_the_retired_key_would_lock_the_files_out(sealed_files, settings):
    # given: what this command prevents (key 1 dropped with files still sealed under it)
    job, _bytes, _storage, _text, _old = sealed_files
    new_key = crypto.new_key("k2")

    # when / then
    with override_settings(MEMBER_ID_KEYS=[new_key]), pytest.raises(ImproperlyConfigured):
        unseal(ExportChunk.objects.filter(job=job).first().sealed)


def test_a_second_rotation_rewrites_no_file(sealed_files, settings):
    # given: files already moved to key 2
    new_key = crypto.new_key("k2")
    with override_settings(MEMBER_ID_KEYS=[new_key, *settings.MEMBER_ID_KEYS]):
        rotate()
        before = {c.pk: bytes(c.sealed) for c in ExportChunk.objects.all()}

        # when
        out = rotate()

    # then: nothing re-sealed, the stored bytes as they were
    assert "重新封存导出文件块 0 个、待导入文件 0 个" in out
    assert {c.pk: bytes(c.sealed) for c in ExportChunk.objects.all()} == before
