"""No plain ID number leaves PostgreSQL through the admin import (issue 10, point 4): the upload
between preview and confirmation is sealed in a table, deleted when the preview refuses the file,
when the import is confirmed, or by the sweep once abandoned; nothing lands in the temp dir."""

import datetime as dt
import io
import os
import tempfile
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from common.models import ImportUpload
from common.tasks import sweep_import_uploads_task
from common.uploads import EncryptedUploadStorage
from members.models import Member
from tests.factories import make_id_number
from tests.members.helpers import roster_csv, row

pytestmark = pytest.mark.django_db


_started = {"at": 0.0}


@pytest.fixture(autouse=True)
def _test_start():
    # Only files written while this test runs count: the machine's temp directory may hold other
    # programs' leftovers, and the ID numbers of the test factories repeat between sessions.
    _started["at"] = time.time() - 1


def temp_files_holding(text: str) -> list[str]:
    """Files in the system temp directory (top level, as django-import-export writes), written
    since the test began, holding `text`."""
    found = []
    folder = tempfile.gettempdir()
    for entry in os.scandir(folder):
        try:
            stat = entry.stat(follow_symlinks=False)
            if stat.st_mtime < _started["at"]:
                continue
            if entry.is_file(follow_symlinks=False) and stat.st_size < 50_000_000:
                with open(entry.path, "rb") as handle:
                    if text.encode() in handle.read():
                        found.append(entry.path)
        except OSError:
            continue
    return found


@pytest.fixture
def clerk(client, staff):
    client.force_login(staff["township_admin"])
    return client


def preview(client, content: bytes):
    return client.post(
        reverse("admin:members_member_import"),
        {"format": "1", "import_file": SimpleUploadedFile("名册.csv", content)},
    )


def test_a_refused_preview_leaves_no_upload_anywhere(clerk, tree):
    # given: a roster with a bad row (a union that does not exist)
    number = make_id_number()
    content = roster_csv([row("张三", number, "NOSUCHUNION")])
    # when
    page = preview(clerk, content)
    # then
    assert page.status_code == 200 and "不存在" in page.content.decode()
    assert not ImportUpload.objects.exists()
    assert temp_files_holding(number) == []


def test_an_unconfirmed_preview_keeps_only_a_sealed_row_until_the_sweep(clerk, tree):
    # given
    number = make_id_number()
    page = preview(clerk, roster_csv([row("张三", number, tree.zhili_factory.code)]))
    assert "confirm_form" in page.context
    # then: no file in the temp dir, and the stored blob does not hold the number
    assert temp_files_holding(number) == []
    upload = ImportUpload.objects.get()
    assert number.encode() not in bytes(upload.sealed)
    assert number[6:14].encode() not in bytes(upload.sealed)
    # when: an hour later, the sweep runs (the command here; beat runs the task)
    ImportUpload.objects.update(created_at=timezone.now() - dt.timedelta(minutes=61))
    out = io.StringIO()
    call_command("sweep_import_uploads", stdout=out)
    assert "已删除1个" in out.getvalue()
    assert not ImportUpload.objects.exists()
    assert Member.objects.count() == 0


def test_a_confirmed_import_writes_and_deletes_its_upload(clerk, tree):
    number = make_id_number()
    page = preview(clerk, roster_csv([row("张三", number, tree.zhili_factory.code)]))
    confirm = page.context["confirm_form"].initial
    done = clerk.post(reverse("admin:members_member_process_import"), confirm)
    assert done.status_code == 302
    assert Member.objects.get().name == "张三"
    assert not ImportUpload.objects.exists()
    assert temp_files_holding(number) == []


def test_the_storage_round_trips_a_large_file_and_the_sweep_spares_fresh_uploads():
    data = os.urandom(3 * (1 << 20) + 5)
    storage = EncryptedUploadStorage(read_mode="rb")
    storage.save(data)
    assert EncryptedUploadStorage(name=storage.name, read_mode="rb").read() == data
    assert sweep_import_uploads_task() == 0
    assert ImportUpload.objects.count() == 1
    storage.remove()
    assert not ImportUpload.objects.exists()


def test_beat_runs_the_sweep():
    task = PeriodicTask.objects.get(task="common.tasks.sweep_import_uploads_task")
    assert task.enabled and task.interval.every == 15
