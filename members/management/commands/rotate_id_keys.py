"""Move every stored ID number to the first key of MEMBER_ID_KEYS and, when the hash key changed,
every lookup hash to the current MEMBER_ID_HASH_KEY (also between suites: AES-256-GCM/HMAC-SHA256
↔ SM4-GCM/HMAC-SM3, README).

Ciphertexts: the key ring still holds the old keys, so an old ciphertext reads at every moment of
a rotation; re-encryption goes in batches, each its own short transaction, while the site runs.
Every ciphertext under the ring moves (members.rekey): members' and join applicants' ID numbers
and bank card numbers (the history tables hold none), so the old key can then be retired.

Hashes: the hash is what the one-active-membership constraint and every lookup compare. A table
with some rows under the old key and some under the new would let a second active membership in
and miss people in lookups, so with --old-hash-key the whole run is ONE transaction that first
locks the member table and every table keyed by the hash against writes (SHARE ROW EXCLUSIVE:
reads go on, writers wait), checks every stored hash against the old key, and rewrites all of
them; any mismatch rolls back everything. The rows that name a person by the hash alone (portal
account, consents, notices, bank cards, tokens…) follow their member or applicant old → new; the
output counts those that match nobody and so keep the old hash. Run it with the web and worker processes already on the new MEMBER_ID_HASH_KEY and
stopped (or in maintenance) until it commits: an app still hashing with the old key would not find
the rewritten rows.

Sealed files: export files (`ExportChunk`) and uploads awaiting their import confirmation
(`ImportUpload`) are sealed under the same ring (common.uploads), so they are re-sealed too, after
the numbers, a few rows per short transaction (a chunk is a mebibyte of file): once the old key
leaves MEMBER_ID_KEYS, every file still within its download or confirmation time opens. Run it
with the web and worker processes already on the new ring, so no file is sealed under the old
key behind it.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from common.models import ExportChunk, ImportUpload
from common.uploads import reseal
from members import rekey
from members.models import AccessToken

# Sealed files re-sealed per transaction: a chunk is about 1.4 MB of sealed text, so this keeps
# a batch near 11 MB in memory whatever --batch-size says.
FILE_BATCH = 8


class Command(BaseCommand):
    help = (
        "用 MEMBER_ID_KEYS 的第一个密钥重新加密全部公民身份号码和银行卡号，"
        "并重新封存导出文件和待导入文件；给出 --old-hash-key 时，在一个事务内用当前 "
        "MEMBER_ID_HASH_KEY 重算全部摘要及按摘要关联的记录（轮换密钥或切换国密算法后运行；见 README）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--old-hash-key",
            help="轮换摘要密钥时：存量摘要所用的旧 MEMBER_ID_HASH_KEY（逐条核对后重算）",
            default=None,
        )

    def handle(self, *args, batch_size: int, old_hash_key: str | None, **options):
        if old_hash_key:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    tables = ", ".join(connection.ops.quote_name(t) for t in rekey.tables_to_lock())
                    with connection.cursor() as cursor:
                        cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
                numbers = self._rotate(batch_size, old_hash_key)
                # Member tokens name a person by the old hash: they follow it (rekey), but a
                # client holding one was signed in under the old key, so they end.
                AccessToken.objects.filter(
                    kind=AccessToken.Kind.MEMBER, revoked_at__isnull=True
                ).update(revoked_at=timezone.now())
                cards = rekey.reencrypt_other_ciphers(batch_size)
                unmatched = rekey.unmatched()
        else:
            numbers = self._rotate(batch_size, None)
            cards = rekey.reencrypt_other_ciphers(batch_size)
            unmatched = {}
        chunks = self._reseal(ExportChunk)
        uploads = self._reseal(ImportUpload)
        self.stdout.write(
            f"已重新加密 {numbers} 条公民身份号码、{cards} 张银行卡号；"
            f"重新封存导出文件块 {chunks} 个、待导入文件 {uploads} 个。"
        )
        if old_hash_key:
            if unmatched:
                detail = "、".join(f"{name}{n}条" for name, n in unmatched.items())
                self.stdout.write(
                    f"以下记录的摘要找不到对应的会员或入会申请，无法用新密钥重算，仍为旧摘要："
                    f"{detail}。"
                )
            else:
                self.stdout.write("按身份摘要关联的记录已全部改用新摘要。")

    def _reseal(self, model: type[ExportChunk] | type[ImportUpload]) -> int:
        """Re-seal every row of `model` under the first key; returns how many changed. A row
        deleted meanwhile (an expired export swept, an import confirmed) is simply not there."""
        done = 0
        last_pk = 0
        while True:
            with transaction.atomic():
                batch: list[Any] = list(
                    model.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .order_by("pk")
                    .only("pk", "sealed")[:FILE_BATCH]
                )
                if not batch:
                    return done
                changed: list[Any] = []
                for row in batch:
                    sealed = reseal(row.sealed)
                    if sealed is not None:
                        row.sealed = sealed
                        changed.append(row)
                if changed:
                    model.objects.bulk_update(changed, ["sealed"])
                last_pk = batch[-1].pk
                done += len(changed)

    def _rotate(self, batch_size: int, old_hash_key: str | None) -> int:
        """The ID numbers of members and of join applicants; returns how many were rewritten."""
        try:
            return sum(
                rekey.rotate_numbers(label, batch_size, old_hash_key)
                for label in rekey.NUMBER_HOLDERS
            )
        except rekey.HashMismatch as exc:
            raise CommandError(f"{exc}，已全部回滚，未作任何修改。") from None
