"""Roll up one year synchronously, exactly as the Celery task does."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard import services


class Command(BaseCommand):
    help = "汇总某一年度的全部指标（市、区县、乡镇街道），生成当前快照。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="年度，默认当年")

    def handle(self, *args, year: int | None, **options):
        year = year or timezone.localdate().year
        try:
            run = services.rollup_year(year=year)
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
