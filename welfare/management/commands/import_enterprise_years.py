from common.import_command import ImportCommand
from welfare.importing_records import enterprise_year_import


class Command(ImportCommand):
    help = (
        "导入企业年度信息（统一社会信用代码、年度、规上企业、已建会；.xlsx 或 .csv），"
        "供规上建会企业能级工资集体协商覆盖率按年度统计。有任何错误行则不写入，退出码 1；"
        "同一企业同一年度再次导入即更正该年度信息。"
    )

    def run(self, *, table, by, dry_run):
        return enterprise_year_import(table=table, by=by, dry_run=dry_run)
