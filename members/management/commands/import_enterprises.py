from common.import_command import ImportCommand
from members.golive import enterprise_import


class Command(ImportCommand):
    help = "导入企业单位（单位名称、统一社会信用代码、所属工会编码、所属行业、规上企业、国有企业）。.xlsx 或 .csv；有任何错误行则不写入，退出码 1。"

    def run(self, *, table, by, dry_run):
        return enterprise_import(
            table=table, by=by, dry_run=dry_run, file_name=self.file_name, sha256=self.sha256
        )
