"""A deterministic synthetic Huzhou for demos, benchmarks and tests: the real districts and
counties, plausible townships, enterprises with valid credit codes and members with valid ID
numbers and Chinese names. Members go in through the roster import, like any real roster."""

import datetime as dt
import random
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from common.demo_progress import PROGRESS_DAY, PROGRESS_START, progress_count, progress_day
from common.report_card import actual
from members.actors import system
from members.history import acting_as
from members.importing import ROSTER_HEADERS, roster_import
from members.models import Enterprise, Member, Union
from members.validators import CREDIT_CHARS, credit_check_char, id_check_char

CITY = ("330500", "湖州市总工会")
DISTRICTS = {
    "330502": (
        "吴兴区",
        "织里镇 八里店镇 埭溪镇 东林镇 妙西镇 道场乡 爱山街道 飞英街道 朝阳街道 月河街道 环渚街道",
    ),
    "330503": (
        "南浔区",
        "南浔镇 双林镇 练市镇 善琏镇 菱湖镇 和孚镇 千金镇 石淙镇 旧馆街道 东迁街道 南林街道",
    ),
    "330521": (
        "德清县",
        "武康街道 舞阳街道 阜溪街道 下渚湖街道 乾元镇 新市镇 洛舍镇 钟管镇 禹越镇 新安镇 莫干山镇 雷甸镇",
    ),
    "330522": (
        "长兴县",
        "雉城街道 太湖街道 龙山街道 画溪街道 洪桥镇 李家巷镇 夹浦镇 林城镇 虹星桥镇 小浦镇 和平镇 煤山镇 泗安镇 吕山乡 水口乡",
    ),
    "330523": (
        "安吉县",
        "递铺街道 昌硕街道 灵峰街道 孝丰镇 报福镇 天子湖镇 鄣吴镇 杭垓镇 天荒坪镇 溪龙乡 上墅乡 山川乡",
    ),
    "330591": ("南太湖新区", "仁皇山街道 滨湖街道 康山街道 杨家埠街道"),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玲辉鹏飞婷雪琳晨浩宇欣怡佳俊峰斌波宁亮成龙云海燕丹萍文博凯鑫颖琴"
INDUSTRY_WORDS = [
    "童装",
    "纺织",
    "木业",
    "电机",
    "竹制品",
    "椅业",
    "新材料",
    "电池",
    "机械",
    "物流",
    "建材",
    "光电",
    "食品",
    "家居",
    "汽配",
]
BRANDS = [
    "华美",
    "天能",
    "永艺",
    "恒丰",
    "兴业",
    "金诚",
    "瑞达",
    "宏远",
    "中瑞",
    "安泰",
    "鼎盛",
    "佳和",
    "湖光",
    "太湖",
    "竹乡",
    "振华",
]
OUTSIDE_REGIONS = ["342401", "341221", "412723", "510722", "522121", "362321", "430524", "320321"]
HUZHOU_REGIONS = ["330502", "330503", "330521", "330522", "330523"]
# The member portal's demo worker: the first roster row under this township is given this
# phone by the roster itself, so a second seed_demo re-imports the same roster unchanged (the
# portal's demo used to overwrite a roster phone, and the next import wrote it back).
DEMO_WORKER_TOWNSHIP = "330502001"
DEMO_PHONE = "13900000001"
NEW_FORMS = [
    "快递员",
    "外卖骑手",
    "网约车司机",
    "货车司机",
    "网络主播",
    "家政服务员",
    "其他新就业形态",
]

REGISTERED_2024 = actual("registered_members")


def scaled(actual: int, scale: float) -> int:
    """A report-card count × scale as the demo makes it: rounded half up, in decimal. Python's
    round() rounds half to even and works on the binary float, so 50 × 0.01 = 0.5 would give 0
    and 5 × 0.1 would give 0, where the card's reading (and tests/dashboard/test_demo_figures.py)
    gives 1. str(scale) is the scale as typed on the command line (0.1, not 0.1000000000000000055)."""
    exact = Decimal(actual) * Decimal(str(scale))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def make_id_number(rng: random.Random, used: set[str]) -> str:
    while True:
        region = rng.choice(HUZHOU_REGIONS) if rng.random() < 0.7 else rng.choice(OUTSIDE_REGIONS)
        birth = dt.date(1962, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 43))
        first17 = f"{region}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
        number = first17 + id_check_char(first17)
        if number not in used:
            used.add(number)
            return number


def make_credit_code(rng: random.Random, region: str) -> str:
    org = "".join(rng.choice(CREDIT_CHARS[:10]) for _ in range(8)) + rng.choice(CREDIT_CHARS)
    first17 = f"91{region}{org}"
    return first17 + credit_check_char(first17)


def make_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def build_tree(*, scale: float, rng: random.Random) -> list[Union]:
    """The city, districts, townships, a joint union in each township and enterprise unions with
    their enterprises; returns the grassroots unions. Idempotent (keyed on codes)."""
    # One transaction: 36,000 rows committed one by one spent half of the tree's time in COMMIT.
    with transaction.atomic():
        return _build_tree(scale=scale, rng=rng)


def _build_tree(*, scale: float, rng: random.Random) -> list[Union]:
    city, _ = Union.objects.get_or_create(
        code=CITY[0], defaults={"name": CITY[1], "level": Union.Level.CITY, "path": f"{CITY[0]}/"}
    )
    n_enterprise_unions = max(len(DISTRICTS), round(18_000 * scale))
    townships: list[Union] = []
    for code, (name, towns) in DISTRICTS.items():
        district = _node(code, f"{name}总工会", Union.Level.DISTRICT, city)
        for i, town in enumerate(towns.split(), start=1):
            townships.append(
                _node(f"{code}{i:03d}", f"{town}总工会", Union.Level.TOWNSHIP, district)
            )
    # The grassroots unions (18,000 at scale 1.0) and their enterprises are planned in the order,
    # and with the random draws, of making them one by one, then written in bulk: the same tree
    # for the same seed, whether or not some of it is already there.
    planned: list[Union] = []
    wanted_enterprises: dict[str, Enterprise] = {}  # by union code
    for town in townships:
        name = f"{town.name[:-3]}新就业形态联合工会"
        planned.append(_plan(f"{town.code}L01", name, town, joint=True))
    for i in range(n_enterprise_unions):
        town = townships[i % len(townships)]
        brand, word = rng.choice(BRANDS), rng.choice(INDUSTRY_WORDS)
        region = town.code[:6]
        ent_name = f"湖州{town.name[:2]}{brand}{word}有限公司"
        code = f"{town.code}G{i // len(townships) + 1:04d}"
        planned.append(_plan(code, f"{ent_name}工会委员会", town))
        wanted_enterprises[code] = Enterprise(
            name=ent_name,
            credit_code=make_credit_code(rng, region),
            industry="C" if word not in {"物流"} else "G",
            above_designated_size=rng.random() < 0.35,
        )
    existing = {
        u.code: u for u in Union.objects.filter(level=Union.Level.GRASSROOTS, parent__in=townships)
    }
    Union.objects.bulk_create([u for u in planned if u.code not in existing], batch_size=2000)
    grassroots = [existing.get(u.code, u) for u in planned]
    with_enterprise = set(
        Enterprise.objects.filter(union__parent__in=townships).values_list("union_id", flat=True)
    )
    new_enterprises = []
    for union in grassroots:
        enterprise = wanted_enterprises.get(union.code)
        if enterprise is not None and union.pk not in with_enterprise:
            enterprise.union = union
            new_enterprises.append(enterprise)
    Enterprise.objects.bulk_create(new_enterprises, batch_size=2000)
    _mark_reform_pilots(scale)
    return grassroots


def _plan(code: str, name: str, parent: Union, joint: bool = False) -> Union:
    return Union(
        code=code,
        name=name,
        level=Union.Level.GRASSROOTS,
        parent=parent,
        is_joint=joint,
        path=f"{parent.path}{code}/",
    )


def _node(code: str, name: str, level: str, parent: Union, joint: bool = False) -> Union:
    union, _ = Union.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "level": level,
            "parent": parent,
            "is_joint": joint,
            "path": f"{parent.path}{code}/",
        },
    )
    return union


def _mark_reform_pilots(scale: float) -> None:
    wanted = scaled(13, scale)
    pilots = Enterprise.objects.filter(reform_pilot_year__isnull=False).count()
    if pilots < wanted:
        ids = (
            Enterprise.objects.filter(reform_pilot_year__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[: wanted - pilots]
        )
        Enterprise.objects.filter(pk__in=list(ids)).update(
            is_state_owned=True, reform_pilot_year=2024
        )


def roster(
    *,
    scale: float,
    rng: random.Random,
    grassroots: list[Union],
    progress_rng: random.Random | None = None,
) -> Iterator[tuple[int, dict]]:
    """Roster rows for scaled(681,000, scale) members on the register at the end of 2024, plus a
    few who joined in 2025 (not on the 2024 register), and then, drawn from `progress_rng` (so
    the rows before are exactly what they were), the new-form workers who joined in 2025 by
    PROGRESS_DAY: a share of the 2025 target × scale (common/demo_progress.py)."""
    enterprises = {e.union_id: e for e in Enterprise.objects.filter(union__in=grassroots)}
    joints = [u for u in grassroots if u.is_joint]
    companies = [u for u in grassroots if u.pk in enterprises]
    used: set[str] = set()
    demo_worker_given = False
    total_2024 = scaled(REGISTERED_2024, scale)
    extra_2025 = max(1, total_2024 // 200)
    for i in range(total_2024 + extra_2025):
        gig = rng.random() < 0.12 or not companies
        union = rng.choice(joints) if gig else rng.choice(companies)
        enterprise = None if gig else enterprises[union.pk]
        if i >= total_2024:
            # The same draw as ever, folded into 2025's first half (nothing after PROGRESS_DAY).
            joined = PROGRESS_START + dt.timedelta(
                days=rng.randrange(0, 300) % ((PROGRESS_DAY - PROGRESS_START).days + 1)
            )
        elif gig:
            joined = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 4))
        else:
            joined = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 17))
        number = make_id_number(rng, used)
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        joined = max(joined, dt.date(birth.year + 18, birth.month, min(birth.day, 28)))
        if i < total_2024:
            joined = min(joined, dt.date(2024, 12, 31))
        phone = f"1{rng.choice('3578')}{rng.randrange(0, 10**9):09d}"
        if not demo_worker_given and f"/{DEMO_WORKER_TOWNSHIP}" in union.path:
            phone, demo_worker_given = DEMO_PHONE, True
        cells = [
            make_name(rng),
            number,
            phone,
            union.code,
            enterprise.name if enterprise else "",
            enterprise.credit_code if enterprise else "",
            joined.isoformat(),
            rng.choice(NEW_FORMS) if gig else "标准",
        ]
        yield i + 2, dict(zip(ROSTER_HEADERS, cells, strict=True))
    if progress_rng is None or not joints:
        return
    row = total_2024 + extra_2025 + 2
    for _ in range(progress_count("new_gig_worker_members", scale, progress_rng)):
        union = progress_rng.choice(joints)
        cells = [
            make_name(progress_rng),
            make_id_number(progress_rng, used),
            f"1{progress_rng.choice('3578')}{progress_rng.randrange(0, 10**9):09d}",
            union.code,
            "",
            "",
            progress_day(progress_rng).isoformat(),
            progress_rng.choice(NEW_FORMS),
        ]
        yield row, dict(zip(ROSTER_HEADERS, cells, strict=True))
        row += 1


def seed_members(*, scale: float, seed: int) -> dict:
    rng = random.Random(seed)
    grassroots = build_tree(scale=scale, rng=rng)
    with acting_as(system("seed_demo")):
        report = roster_import(
            rows=roster(
                scale=scale,
                rng=rng,
                grassroots=grassroots,
                progress_rng=random.Random(seed + 2025),
            ),
            by=system("seed_demo"),
        )
    if not report.ok:
        raise RuntimeError("; ".join(str(p) for p in report.problems[:5]))
    return {
        "unions": Union.objects.count(),
        "enterprises": Enterprise.objects.count(),
        "members": Member.objects.count(),
        "created": report.created,
    }
