from django.core.management.base import BaseCommand

from members.crypto import new_key


class Command(BaseCommand):
    help = "生成一个新的公民身份号码加密密钥（MEMBER_ID_KEYS 的一项）。"

    def add_arguments(self, parser):
        parser.add_argument("key_id", help="密钥编号，如 k2026")

    def handle(self, *args, key_id: str, **options):
        self.stdout.write(new_key(key_id))
