from common.import_command import ImportCommand
from members.golive import union_tree_import


class Command(ImportCommand):
    help = "导入工会组织（工会编码、工会名称、层级、上级工会编码、联合工会；上级可在同一文件中，先后不限）。.xlsx 或 .csv；有任何错误行则不写入，退出码 1。"

    def run(self, *, table, by, dry_run):
        return union_tree_import(
            table=table, by=by, dry_run=dry_run, file_name=self.file_name, sha256=self.sha256
        )
