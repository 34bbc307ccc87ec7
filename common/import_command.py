"""The shape of a file-import management command: a file, --dry-run, --user (a clerk, whose tree
bounds what is accepted; by default the system), every bad row on stderr and exit 1."""

import hashlib
from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from common.importing import ImportReport, finish_import_command
from common.spreadsheets import SpreadsheetError, iter_rows
from members.actors import Actor, system
from members.history import acting_as


class ImportCommand(BaseCommand):
    """Subclass with `help` and `run(table, by, dry_run) -> ImportReport`; `self.file_name` and
    `self.sha256` name the file being run."""

    file_name = ""
    sha256 = ""

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument(
            "--user", help="以该工作人员的身份导入（只接受其管辖范围内的工会）；缺省为系统"
        )
        parser.add_argument(
            "--errors-file",
            type=Path,
            help="有错误行时，把原文件加“错误原因”一列写到此路径（.xlsx 原样，否则 CSV）",
        )

    def run(self, *, table, by: Actor, dry_run: bool) -> ImportReport:
        raise NotImplementedError

    def handle(self, *args, file: Path, dry_run: bool, user, errors_file=None, **kw):
        by: Actor = system(self.__module__.rsplit(".", 1)[-1])
        if user:
            found = User.objects.filter(username=user).first()
            if found is None:
                raise CommandError(f"用户“{user}”不存在。")
            by = found
        if not file.exists():
            raise CommandError(f"文件不存在：{file}")
        try:
            with file.open("rb") as stream:
                # For an importer that keeps an audit batch (common.ImportBatch): which file.
                self.file_name = file.name
                self.sha256 = hashlib.file_digest(stream, "sha256").hexdigest()
                stream.seek(0)
                with acting_as(by):
                    report = self.run(table=iter_rows(stream, file.name), by=by, dry_run=dry_run)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except (ValidationError, SpreadsheetError) as exc:
            raise CommandError("；".join(getattr(exc, "messages", [str(exc)]))) from None
        finish_import_command(self, report, source=file, errors_file=errors_file)
