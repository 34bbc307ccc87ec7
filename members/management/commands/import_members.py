import hashlib
from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from common.importing import finish_import_command
from common.spreadsheets import iter_rows
from members.actors import system
from members.history import acting_as
from members.importing import roster_import, roster_rows


class Command(BaseCommand):
    help = "导入会员名册（.xlsx 或 .csv：UTF-8、带BOM的UTF-8、GB18030/GBK）。有任何错误行则不写入，退出码 1。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument(
            "--user", help="以该工作人员的身份导入（只接受其管辖范围内的工会）；缺省为全市"
        )
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--errors-file",
            type=Path,
            help="有错误行时，把原文件加“错误原因”一列写到此路径（.xlsx 原样，否则 CSV）",
        )

    def handle(
        self,
        *args,
        file: Path,
        dry_run: bool,
        user: str | None,
        batch_size: int,
        errors_file: Path | None = None,
        **kw,
    ):
        by = system("import_members")
        if user:
            by = User.objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"用户“{user}”不存在。")
        if not file.exists():
            raise CommandError(f"文件不存在：{file}")
        try:
            with file.open("rb") as stream:
                sha256 = hashlib.file_digest(stream, "sha256").hexdigest()
                stream.seek(0)
                with acting_as(by):
                    report = roster_import(
                        rows=roster_rows(iter_rows(stream, file.name)),
                        by=by,
                        dry_run=dry_run,
                        batch_size=batch_size,
                        file_name=file.name,
                        sha256=sha256,
                    )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        finish_import_command(self, report, source=file, errors_file=errors_file)
