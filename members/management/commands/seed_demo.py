"""Build a deterministic synthetic Huzhou. Each app adds its records through `<app>/demo.py`'s
`seed(scale=..., seed=...)` if it has one, after the registry."""

import datetime as dt
import importlib
import time

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from common.as_of import trim_to
from dashboard.management.commands.rollup import a_date
from members.demo import CITY, seed_members
from members.models import Enterprise, Member, StaffProfile, Union
from members.roles import ensure_role_groups
from members.scoping import within_q
from members.services import staff_create

APPS_WITH_DEMO_DATA = ("activities", "skills", "welfare", "portal", "dashboard")
DEMO_PASSWORD = "huzhou2024"


class Command(BaseCommand):
    help = "生成确定性的湖州演示数据：--scale 1.0 为全市规模（68.1万会员）。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.002)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--accounts", action="store_true", help="同时创建演示账号")
        parser.add_argument(
            "--as-of",
            type=a_date,
            default=None,
            help="只保留截至某日（YYYY-MM-DD）已发生的记录，演示年度进行中的情况；"
            "会删除该日之后的全部记录，仅用于空的演示数据库",
        )

    def handle(
        self,
        *args,
        scale: float,
        seed: int,
        accounts: bool,
        as_of: dt.date | None = None,
        **options,
    ):
        if as_of is not None and Member.objects.exists():
            # The trim deletes every later-dated record in every table, not only the demo's: on a
            # database that already holds a register it would delete real records.
            raise CommandError("--as-of 只能用于空数据库：该库已有会员记录，未作任何修改。")
        started = time.monotonic()
        facts = seed_members(scale=scale, seed=seed)
        self.stdout.write(
            f"工会 {facts['unions']} 个，企业 {facts['enterprises']} 家，会员 {facts['members']} 名"
            f"（本次新增 {facts['created']}），用时 {time.monotonic() - started:.1f} 秒"
        )
        for app in APPS_WITH_DEMO_DATA:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError:
                continue
            t = time.monotonic()
            if app == "dashboard":
                # The target split reads what the other apps just wrote: with the planner's
                # statistics of an empty database it took 46 s at city scale.
                self._analyze()
            summary = module.seed(scale=scale, seed=seed)
            self.stdout.write(f"{app}: {summary}（{time.monotonic() - t:.1f} 秒）")
        if as_of is not None:
            # The full years are seeded first (the same records for the same seed), then what
            # had not happened by the end of that day is taken away (common/as_of.py).
            trimmed = trim_to(as_of)
            self.stdout.write(
                f"截至 {as_of.isoformat()}：删除此后发生的记录 {sum(trimmed.values())} 条"
                + (f"（{'，'.join(f'{k} {n}' for k, n in trimmed.items())}）" if trimmed else "")
            )
        ensure_role_groups()
        if as_of is not None:
            # The statistics taken before the target split are current otherwise (it wrote 78
            # rows since); the trim may have removed many.
            self._analyze()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # The visibility map too, for the register: a member list's count by a name prefix
                # is then an index-only scan (member_name_prefix_cover_idx), not a heap read.
                # (VACUUM cannot run inside a transaction, as the tests' seeds do.)
                if not connection.in_atomic_block:
                    cursor.execute(f"VACUUM {Member._meta.db_table}")
        if accounts:
            self._accounts()

    def _analyze(self) -> None:
        """Fresh statistics: right after a bulk load the planner guesses, and a roll-up at city
        scale took 168 s instead of 25 s (measured) until autovacuum caught up."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def _accounts(self) -> None:
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@example.invalid", DEMO_PASSWORD)
        township = Union.objects.get(code="330502001")
        grassroots = Enterprise.objects.filter(within_q(township)).first().union
        wanted = [
            ("city", CITY[0], StaffProfile.Role.CITY_ADMIN),
            ("wuxing", "330502", StaffProfile.Role.DISTRICT_ADMIN),
            ("zhili", "330502001", StaffProfile.Role.TOWNSHIP_ADMIN),
            ("grassroots", grassroots.code, StaffProfile.Role.GRASSROOTS_ADMIN),
            ("leader", CITY[0], StaffProfile.Role.LEADERSHIP),
        ]
        for username, code, role in wanted:
            if not User.objects.filter(username=username).exists():
                staff_create(
                    username=username,
                    password=DEMO_PASSWORD,
                    union=Union.objects.get(code=code),
                    role=role,
                )
        self.stdout.write(
            "演示账号（密码均为 huzhou2024）：admin（系统管理员）、city（市总）、wuxing（吴兴区）、"
            "zhili（织里镇）、grassroots（基层工会）、leader（领导只读）"
        )
