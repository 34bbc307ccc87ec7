"""The built-in activity kinds. The data migration seeds them; `builtin_kind` finds one (and puts
it back if a database was flushed, as transactional tests do), so code never depends on a pk."""

from activities.models import ActivityKind

# code, name, has_speaker, sort order
BUILTIN_KINDS: list[tuple[str, str, bool, int]] = [
    (ActivityKind.PRE_SHIFT, "班前十分钟", True, 10),
    (ActivityKind.LECTURE, "宣讲（劳模工匠“开学第一课”等）", True, 20),
    (ActivityKind.CULTURE_SHOW, "送文化下基层", False, 30),
    (ActivityKind.INTEREST_GROUP, "兴趣小组活动", False, 40),
    (ActivityKind.DOUBLE_HUNDRED, "“双百引领”实施活动", False, 50),
    (ActivityKind.MEMBER_DAY, "工会会员日活动", False, 60),
]


def builtin_kind(code: str) -> ActivityKind:
    for kind_code, name, has_speaker, order in BUILTIN_KINDS:
        if kind_code == code:
            kind, _created = ActivityKind.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "has_speaker": has_speaker,
                    "is_builtin": True,
                    "sort_order": order,
                },
            )
            return kind
    raise KeyError(code)
