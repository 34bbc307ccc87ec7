from common.import_command import ImportCommand
from members.golive import staff_import


class Command(ImportCommand):
    help = "导入工作人员账号（用户名、姓名、所属工会编码、角色、手机号码）；新账号无密码，本人在登录页用“忘记密码”以短信验证码设置。.xlsx 或 .csv；有任何错误行则不写入，退出码 1。"

    def run(self, *, table, by, dry_run):
        return staff_import(
            table=table, by=by, dry_run=dry_run, file_name=self.file_name, sha256=self.sha256
        )
