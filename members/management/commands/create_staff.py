from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from members.models import StaffProfile, Union
from members.services import staff_create
from members.validators import normalize_mobile


class Command(BaseCommand):
    help = "创建工作人员账号：挂靠一个工会，按角色授权。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", required=True)
        parser.add_argument("--union", required=True, help="工会编码")
        parser.add_argument("--role", required=True, choices=StaffProfile.Role.values)
        parser.add_argument("--phone", default="", help="手机号码：忘记密码时验证码发到此号码")

    def handle(self, *args, username, password, union, role, phone="", **kwargs):
        node = Union.objects.filter(code=union).first()
        if node is None:
            raise CommandError(f"工会编码“{union}”不存在。")
        try:
            phone = normalize_mobile(phone)
            user = staff_create(
                username=username, password=password, union=node, role=role, phone=phone
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(f"已创建 {user.username}：{node.name}，{StaffProfile.Role(role).label}")
