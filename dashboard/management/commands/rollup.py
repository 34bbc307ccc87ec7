"""Roll up one year synchronously, exactly as the Celery task does."""

import argparse
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard import services


def a_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{text}”不是有效日期，应为YYYY-MM-DD，如2025-06-30"
        ) from None


class Command(BaseCommand):
    help = "汇总某一年度的全部指标（市、区县、乡镇街道），生成当前快照。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="年度，默认当年")
        parser.add_argument(
            "--as-of",
            type=a_date,
            default=None,
            help="按某日的情况汇总（YYYY-MM-DD），用于演示年度进行中的完成进度与预测，默认今天",
        )

    def handle(self, *args, year: int | None, as_of: dt.date | None, **options):
        year = year or (as_of.year if as_of else timezone.localdate().year)
        try:
            run = services.rollup_year(year=year, as_of=as_of)
        except services.RollupBusy as exc:
            raise CommandError(str(exc)) from None
        snapshot = run.snapshot
        self.stdout.write(
            _("%(year)s 年度汇总完成（任务 #%(run)s）：%(n)s 个数值，用时 %(seconds).1f 秒")
            % {
                "year": year,
                "run": run.pk,
                "n": run.progress_done,
                "seconds": snapshot.duration.total_seconds(),
            }
        )
