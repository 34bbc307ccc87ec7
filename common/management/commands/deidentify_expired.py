from django.core.management.base import BaseCommand

from common.retention import deidentify_expired


class Command(BaseCommand):
    help = (
        "按保存期限（README 保存期限表）对过期的个人信息去标识化（不删除记录）：离会满3年的会员、"
        "满3年的身份证号查看记录、未发放且办结满3年的互助申请及其票据文件、"
        "已去标识化会员的职工心声、困难帮扶和收款银行卡，含其历史记录；"
        "并删除过期的登录会话和会员服务的短信验证码、短信发送记录、登录设备。"
        "互助金和帮扶金发放及其申请、票据为会计凭证，保存30年，期满后再处理。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不写入")

    def handle(self, *args, dry_run: bool, **kw):
        report = deidentify_expired(dry_run=dry_run)
        self.stdout.write(report.summary())
