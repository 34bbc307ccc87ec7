#!/usr/bin/env python
"""City-scale benchmark (issue 13): each row with its baseline measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hz_bench_city \
        python bench/city.py --db --scale 1.0      # reuse the database if it holds members

Without --db the database is seeded first (`seed_demo --scale S --accounts`, idempotent). Rows:
- roll-up (`rollup_year`, grouped) vs the floor: one GROUP BY pass over members_member;
- member search (full name, surname, phone) as the city admin and a district admin, p50/p95, vs
  the bare page `/admin/login/`, all through the Django test client in this process;
- member change page: p95 and size, vs the bare page;
- EXPLAIN (ANALYZE) of each member list query, printed for the bench note.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huzhou_union.settings")


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def bench_staff(role: str, level: str):
    """A staff user of `role` at the first union of `level` (made once, reused)."""
    from django.contrib.auth.models import User

    from members.models import StaffProfile, Union
    from members.roles import ensure_role_groups

    username = f"bench-{role}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password=None, is_staff=True)
        union = Union.objects.filter(level=level).order_by("path").first()
        StaffProfile.objects.create(user=user, union=union, role=role)
        user.groups.set([ensure_role_groups()[role]])
    return User.objects.get(pk=user.pk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", action="store_true", help="reuse the database as it is")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--n", type=int, default=30, help="requests per page row")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from dashboard import services
    from members.models import Member, StaffProfile, Union

    settings.ALLOWED_HOSTS = ["*"]
    settings.OTP_REQUIRED = False
    call_command("migrate", verbosity=0)
    if not args.db or not Member.objects.exists():
        call_command("seed_demo", scale=args.scale, accounts=True)
    members = Member.objects.count()
    print(f"# members: {members:,} (scale {args.scale})")

    rows = []

    # roll-up vs one GROUP BY pass over the members table
    def floor():
        with connection.cursor() as cursor:
            cursor.execute("SELECT union_id, COUNT(*) FROM members_member GROUP BY union_id")
            cursor.fetchall()

    floor_s = min(timed(floor, 3))
    print(f"# GROUP BY floor: {floor_s:.3f} s", flush=True)
    year = 2024
    start = time.perf_counter()
    services.rollup_year(year=year)
    rollup_s = time.perf_counter() - start
    print(f"# roll-up: {rollup_s:.1f} s", flush=True)
    rows.append(("rollup --year 2024", f"{rollup_s:.2f} s", f"{floor_s:.3f} s", rollup_s / floor_s))

    # pages, through the test client
    city_user = bench_staff(StaffProfile.Role.CITY_ADMIN, Union.Level.CITY)
    district_user = bench_staff(StaffProfile.Role.DISTRICT_ADMIN, Union.Level.DISTRICT)
    anonymous = Client()
    bare = timed(lambda: anonymous.get("/admin/login/"), args.n)
    bare95 = p(bare, 95)
    rows.append(("bare /admin/login/ p95", f"{bare95 * 1000:.1f} ms", "-", 1.0))
    sample = Member.objects.order_by("pk")[members // 2]
    terms = {"full name": sample.name, "surname": sample.name[0], "phone": sample.phone[:7]}
    viewers = [("city", city_user), ("district", district_user)]
    for who, user in viewers:
        client = Client()
        client.force_login(user)
        for label, term in terms.items():
            times = timed(
                lambda t=term, c=client: c.get("/admin/members/member/", {"q": t}), args.n
            )
            rows.append(
                (
                    f"member search {label} ({who}) p50/p95",
                    f"{p(times, 50) * 1000:.0f}/{p(times, 95) * 1000:.0f} ms",
                    f"{bare95 * 1000:.1f} ms",
                    p(times, 95) / bare95,
                )
            )
        mine = Member.objects.filter(union__path__startswith=user.staff_profile.union.path)
        target = mine.order_by("pk").first()
        url = f"/admin/members/member/{target.pk}/change/"
        times = timed(lambda u=url, c=client: c.get(u), args.n)
        size = len(client.get(url).content)
        rows.append(
            (
                f"member change page ({who}) p95, size",
                f"{p(times, 95) * 1000:.0f} ms, {size / 1024:.0f} KB",
                f"{bare95 * 1000:.1f} ms",
                p(times, 95) / bare95,
            )
        )

    print("\n| work | measured | baseline (same run) | ratio |\n|---|---|---|---|")
    for work, measured, baseline, ratio in rows:
        print(f"| {work} | {measured} | {baseline} | {ratio:.1f}x |")

    print("\n## EXPLAIN of the member list queries\n")
    from members.selectors import member_search_q

    for label, term in terms.items():
        qs = Member.objects.filter(member_search_q(term)).order_by("-joined_on", "id")[:50]
        print(f"### {label}: {term!r}\n```\n{qs.explain(analyze=True)}\n```")
    first_page = Member.objects.order_by("-joined_on", "id")[:50]
    print(f"### unfiltered first page\n```\n{first_page.explain(analyze=True)}\n```")


if __name__ == "__main__":
    main()
