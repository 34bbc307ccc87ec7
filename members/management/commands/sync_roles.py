from django.core.management.base import BaseCommand

from members.roles import ensure_role_groups


class Command(BaseCommand):
    help = "按 members/roles.py 重建各角色的权限组（新增业务模块后运行一次）。"

    def handle(self, *args, **options):
        groups = ensure_role_groups()
        for name, group in groups.items():
            self.stdout.write(f"{name}: {group.permissions.count()} 项权限")
