from common.import_command import ImportCommand
from welfare.importing_records import leadership_visit_import


class Command(ImportCommand):
    help = "导入三访日台账（.xlsx 或 .csv）。有任何错误行则不写入，退出码 1；重复导入同一文件不会重复写入。"

    def run(self, *, table, by, dry_run):
        return leadership_visit_import(table=table, by=by, dry_run=dry_run)
