from django.core.management.base import BaseCommand
from django.db import transaction

from members import crypto
from members.models import Member


class Command(BaseCommand):
    help = (
        "用 MEMBER_ID_KEYS 的第一个密钥重新加密全部公民身份号码，并用当前 MEMBER_ID_HASH_KEY "
        "重算摘要（轮换密钥后运行；见 README）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--old-hash-key",
            help="轮换摘要密钥时：旧的 MEMBER_ID_HASH_KEY（用于核对）",
            default=None,
        )

    def handle(self, *args, batch_size: int, old_hash_key: str | None, **options):
        done = 0
        last_pk = 0
        while True:
            with transaction.atomic():
                batch = list(
                    Member.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .order_by("pk")[:batch_size]
                )
                if not batch:
                    break
                for member in batch:
                    number = crypto.decrypt_id_number(member.id_number_encrypted)
                    if (
                        old_hash_key
                        and crypto.hash_id_number(number, old_hash_key) != member.id_number_hash
                    ):
                        raise SystemExit(
                            f"member {member.pk}: stored hash does not match the old key"
                        )
                    member.id_number_encrypted = crypto.reencrypt_id_number(
                        member.id_number_encrypted
                    )
                    member.id_number_hash = crypto.hash_id_number(number)
                Member.objects.bulk_update(batch, ["id_number_encrypted", "id_number_hash"])
                last_pk = batch[-1].pk
                done += len(batch)
        self.stdout.write(f"已重新加密 {done} 条公民身份号码。")
