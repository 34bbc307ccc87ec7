from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from activities.importing import attendance_import, attendance_rows
from activities.models import Activity
from common.importing import finish_import_command
from common.spreadsheets import iter_rows
from members.actors import system


class Command(BaseCommand):
    help = (
        "导入活动签到名单（.xlsx 或 .csv；表头：活动编号、姓名、公民身份号码）。"
        "有任何错误行则不写入，退出码 1；重复导入同一文件不会重复计数。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument(
            "--activity", type=int, help="名单都属于这一活动（编号）时，可省略“活动编号”列"
        )
        parser.add_argument(
            "--user", help="以该工作人员的身份导入（只接受其管辖范围内的活动）；缺省为全市"
        )

    def handle(self, *args, file: Path, dry_run: bool, activity: int | None, user, **kw):
        by = system("import_attendance")
        if user:
            by = User.objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"用户“{user}”不存在。")
        the_activity = None
        if activity is not None:
            the_activity = Activity.objects.select_related("union").filter(pk=activity).first()
            if the_activity is None:
                raise CommandError(f"活动编号 {activity} 不存在。")
        if not file.exists():
            raise CommandError(f"文件不存在：{file}")
        try:
            with file.open("rb") as stream:
                report = attendance_import(
                    rows=attendance_rows(iter_rows(stream, file.name), activity=the_activity),
                    by=by,
                    activity=the_activity,
                    dry_run=dry_run,
                )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        finish_import_command(self, report)
