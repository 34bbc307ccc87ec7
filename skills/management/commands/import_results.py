from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from common.importing import finish_import_command
from common.spreadsheets import iter_rows
from members.actors import SystemActor, system
from skills.importing import entry_results_import
from skills.models import Competition


class Command(BaseCommand):
    help = (
        "导入一项竞赛的成绩表（.xlsx 或 .csv，表头：姓名、公民身份号码、成绩、奖项）。"
        "名次按成绩自动排定；有任何错误行则不写入，退出码 1。"
    )

    def add_arguments(self, parser):
        parser.add_argument("competition", type=int, help="竞赛编号（后台竞赛页地址中的数字）")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--user", help="以该工作人员的身份导入；缺省为系统")

    def handle(self, *args, competition: int, file: Path, dry_run: bool, user: str | None, **kw):
        by: User | SystemActor = system("import_results")
        if user:
            staff = User.objects.filter(username=user).first()
            if staff is None:
                raise CommandError(f"用户“{user}”不存在。")
            by = staff
        target = Competition.objects.select_related("union").filter(pk=competition).first()
        if target is None:
            raise CommandError(f"竞赛 {competition} 不存在。")
        if not file.exists():
            raise CommandError(f"文件不存在：{file}")
        try:
            with file.open("rb") as stream:
                report = entry_results_import(
                    competition=target, table=iter_rows(stream, file.name), by=by, dry_run=dry_run
                )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        finish_import_command(self, report)
