import datetime as dt

from django.core.management.base import BaseCommand

from common.uploads import ABANDONED_AFTER, sweep_import_uploads


class Command(BaseCommand):
    help = "删除超过时限仍未确认导入的上传文件（含完整公民身份号码，密文保存）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=int(ABANDONED_AFTER.total_seconds() // 60),
            help="上传超过多少分钟视为放弃（默认60）",
        )

    def handle(self, *args, minutes: int, **kw):
        deleted = sweep_import_uploads(older_than=dt.timedelta(minutes=minutes))
        self.stdout.write(f"已删除{deleted}个未确认的导入文件。")
