"""The backup drill of the README (Operations → Backup and restore), run for real: a seeded and
rolled-up portal is dumped with pg_dump -Fc and its receipts directory archived with tar, both are
restored into a fresh database and a fresh directory, and the restored portal, with the ID-number
keys given to it separately (never part of the backup), proves that nothing was lost."""

import json
import subprocess
import tarfile

import pytest

from members import crypto
from tests.ops.helpers import Server, app_env, fresh_database, manage, python

pytestmark = pytest.mark.slow

# Keys of this drill only, passed in the environment as production passes them (or *_FILE).
ID_KEYS = crypto.new_key("drill")
HASH_KEY = crypto.new_hash_key()

ADD_RECEIPTS = """
import django, hashlib, json
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from members.actors import system
from welfare.models import Claim, ClaimReceipt
from welfare.services import receipt_upload

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")
claims = Claim.objects.filter(state__in=Claim.OPEN_STATES).order_by("pk")[:3]
assert len(claims) == 3, "the seed made too few open claims"
for n, claim in enumerate(claims):
    data = PNG + b"drill receipt %d" % n
    upload = SimpleUploadedFile(f"receipt{n}.png", data, content_type="image/png")
    receipt_upload(claim=claim, upload=upload, by=system("backup drill"))
print(json.dumps({r.pk: r.sha256 for r in ClaimReceipt.objects.all()}))
"""

FINGERPRINT = """
import django, hashlib, json
django.setup()
from members import crypto
from members.models import Member

print(json.dumps({
    m.pk: hashlib.sha256(crypto.decrypt_id_number(m.id_number_encrypted).encode()).hexdigest()
    for m in Member.objects.all()
}))
"""

UNREADABLE = """
import django, json
django.setup()
from members import crypto
from members.models import Member

failed = 0
for token in Member.objects.values_list("id_number_encrypted", flat=True):
    try:
        crypto.decrypt_id_number(token)
    except Exception:
        failed += 1
print(json.dumps({"undecryptable": failed}))
"""

VERIFY = """
import django, hashlib, json
django.setup()
from common.figures import load_all
from dashboard.models import Snapshot
from members import crypto
from members.models import Member
from welfare.models import ClaimReceipt

numbers, found, undecryptable = {}, 0, 0
for m in Member.objects.all():
    try:
        number = crypto.decrypt_id_number(m.id_number_encrypted)
    except Exception:
        undecryptable += 1
        continue
    numbers[m.pk] = hashlib.sha256(number.encode()).hexdigest()
    if Member.objects.filter(id_number_hash=crypto.hash_id_number(number), pk=m.pk).exists():
        found += 1

registry = load_all()
snapshot = Snapshot.objects.get(year=2024, is_current=True)
figures, differ = 0, []
for v in snapshot.values.select_related("indicator", "union"):
    again = registry[v.indicator.key].compute(year=2024, union=v.union)
    figures += 1
    if again != v.value:
        differ.append([v.indicator.key, v.union.pk, str(v.value), str(again)])

receipts = {}
for r in ClaimReceipt.objects.all():
    with r.file.open("rb") as f:
        receipts[r.pk] = hashlib.sha256(f.read()).hexdigest()

print(json.dumps({
    "numbers": numbers, "found_by_hash": found, "undecryptable": undecryptable,
    "figures": figures, "differ": differ, "receipts": receipts,
}))
"""


def test_a_backup_restores_into_a_fresh_database_with_nothing_lost(tmp_path):
    server = Server.of_suite()
    bindir = server.bindir()
    keys = {"MEMBER_ID_KEYS": ID_KEYS, "MEMBER_ID_HASH_KEY": HASH_KEY}
    with fresh_database(server) as source, fresh_database(server) as restored:
        # given: a seeded portal, rolled up, with receipts on disk
        media = tmp_path / "media"
        env = app_env(server.url(source), MEDIA_ROOT=str(media), **keys)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "seed_demo", "--scale", "0.002", "--seed", "2024")
        manage(env, "rollup", "--year", "2024")
        receipts_before = {int(k): v for k, v in json.loads(python(env, ADD_RECEIPTS)).items()}
        numbers_before = json.loads(python(env, FINGERPRINT))

        # when: the README's backup ...
        dump = tmp_path / "huzhou_union.dump"
        archive = tmp_path / "receipts.tar.gz"
        subprocess.run(
            [str(bindir / "pg_dump"), "-Fc", "-d", server.url(source), "-f", str(dump)],
            check=True,
            env=server.env(),
        )
        subprocess.run(["tar", "-czf", str(archive), "-C", str(media), "."], check=True)
        # ... and restore, into a fresh database and an empty receipts directory
        subprocess.run(
            [
                str(bindir / "pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "-d",
                server.url(restored),
                str(dump),
            ],
            check=True,
            env=server.env(),
        )
        media_restored = tmp_path / "media-restored"
        media_restored.mkdir()
        with tarfile.open(archive) as tar:
            tar.extractall(media_restored, filter="data")
        restored_env = app_env(server.url(restored), MEDIA_ROOT=str(media_restored), **keys)
        result = json.loads(python(restored_env, VERIFY))
        # and without the keys, the restored ID numbers are unreadable
        other_keys = {"MEMBER_ID_KEYS": crypto.new_key("other"), "MEMBER_ID_HASH_KEY": HASH_KEY}
        keyless = json.loads(python(app_env(server.url(restored), **other_keys), UNREADABLE))

    # then: every ID number decrypts to what it was, and its hash finds its member
    assert len(numbers_before) > 500
    assert result["undecryptable"] == 0
    assert result["numbers"] == numbers_before
    assert result["found_by_hash"] == len(numbers_before)
    # every figure of the current snapshot recomputes to the same value
    assert result["figures"] > 100
    assert result["differ"] == []
    # every receipt opens, byte for byte
    assert {int(k): v for k, v in result["receipts"].items()} == receipts_before
    assert len(receipts_before) >= 3  # the drill's three, beside the demo worker's own claims
    assert keyless["undecryptable"] == len(numbers_before)
