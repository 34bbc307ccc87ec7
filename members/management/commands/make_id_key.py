from django.core.management.base import BaseCommand

from members import crypto


class Command(BaseCommand):
    help = (
        "生成一个新的公民身份号码加密密钥（MEMBER_ID_KEYS 的一项），或用 --hash 生成 "
        "MEMBER_ID_HASH_KEY。国密：--algorithm sm4gcm / --hash hmac-sm3。"
    )

    def add_arguments(self, parser):
        parser.add_argument("key_id", nargs="?", default="", help="密钥编号，如 k2026")
        parser.add_argument(
            "--algorithm",
            choices=sorted(crypto.KEY_SIZES),
            default=crypto.AES256GCM,
            help="加密算法：aes256gcm（AES-256-GCM）或 sm4gcm（SM4-GCM，国密）",
        )
        parser.add_argument(
            "--hash",
            choices=crypto.HASH_ALGORITHMS,
            default=None,
            help="改为生成摘要密钥：hmac-sha256 或 hmac-sm3（国密）",
        )

    def handle(self, *args, key_id: str, algorithm: str, hash: str | None, **options):
        if hash:
            self.stdout.write(crypto.new_hash_key(hash))
            return
        if not key_id or ":" in key_id or "," in key_id:
            self.stderr.write("请给出密钥编号（不含冒号和逗号），如 k2026")
            raise SystemExit(2)
        self.stdout.write(crypto.new_key(key_id, algorithm))
