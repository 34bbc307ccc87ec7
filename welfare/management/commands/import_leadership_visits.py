from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from common.importing import finish_import_command
from common.spreadsheets import SpreadsheetError, iter_rows
from members.actors import system
from welfare.importing_records import leadership_visit_import


class Command(BaseCommand):
    help = "导入三访日台账（.xlsx 或 .csv）。有任何错误行则不写入，退出码 1；重复导入同一文件不会重复写入。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument(
            "--user", help="以该工作人员的身份导入（只接受其管辖范围内的工会）；缺省为系统"
        )

    def handle(self, *args, file: Path, dry_run: bool, user, **kw):
        by = system("import_leadership_visits")
        if user:
            by = User.objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"用户“{user}”不存在。")
        if not file.exists():
            raise CommandError(f"文件不存在：{file}")
        try:
            with file.open("rb") as stream:
                report = leadership_visit_import(
                    table=iter_rows(stream, file.name), by=by, dry_run=dry_run
                )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except (ValidationError, SpreadsheetError) as exc:
            raise CommandError("；".join(getattr(exc, "messages", [str(exc)]))) from None
        finish_import_command(self, report)
