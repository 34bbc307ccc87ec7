from common.import_command import ImportCommand
from welfare.importing_records import proposal_import


class Command(ImportCommand):
    help = "导入建议提案交办清单（.xlsx 或 .csv）。有任何错误行则不写入，退出码 1；重复导入同一文件不会重复写入。"

    def run(self, *, table, by, dry_run):
        return proposal_import(table=table, by=by, dry_run=dry_run)
