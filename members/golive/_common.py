"""What the go-live importers share: the Chinese yes/no, level, role and industry cells, and the
rank that keeps an importer from granting more than they hold."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from common.importing import (
    RowDict,
)
from members.actors import Actor
from members.models import Enterprise, StaffProfile, Union
from members.scoping import sees_whole_city
from members.services import ROLE_RANK

Level = Union.Level


Role = StaffProfile.Role


NOT_FOUND = _lazy("%(label)s“%(c)s”不存在或不在您的管辖范围内。")


YES = {"是", "y", "yes", "true", "1", "√", "✓"}


NO = {"否", "n", "no", "false", "0", "×"}


def parse_flag(raw: str, *, label: str) -> bool | None:
    """是/否 (or Y/N, 1/0); None for an empty cell (leave as it is)."""
    value = (raw or "").strip().lower()
    if not value:
        return None
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValidationError(
        _("%(label)s应填“是”或“否”，这里是“%(v)s”。") % {"label": label, "v": raw}
    )


def _choice(raw: str, choices, *, label: str, aliases: dict[str, str] | None = None) -> str:
    """A choice by its Chinese label, its value or an alias a clerk would type."""
    value = (raw or "").strip()
    by_label = {str(choice.label): choice.value for choice in choices}
    found = (
        by_label.get(value)
        or (value if value in choices.values else None)
        or (aliases or {}).get(value)
    )
    if found is None:
        raise ValidationError(
            _("%(label)s“%(v)s”无法识别，可填：%(options)s。")
            % {"label": label, "v": raw, "options": "、".join(by_label)}
        )
    return found


LEVEL_ALIASES = {
    "市总": Level.CITY,
    "市级": Level.CITY,
    "区县": Level.DISTRICT,
    "区县级": Level.DISTRICT,
    "乡镇": Level.TOWNSHIP,
    "街道": Level.TOWNSHIP,
    "乡镇(街道)": Level.TOWNSHIP,
    "乡镇（街道）工会": Level.TOWNSHIP,
    "基层": Level.GRASSROOTS,
}


ROLE_ALIASES = {"乡镇（街道）管理员": Role.TOWNSHIP_ADMIN, "领导": Role.LEADERSHIP}


# Which level of union each role keeps (leadership reads at any level).
ROLE_LEVEL = {
    Role.CITY_ADMIN: Level.CITY,
    Role.DISTRICT_ADMIN: Level.DISTRICT,
    Role.TOWNSHIP_ADMIN: Level.TOWNSHIP,
    Role.GRASSROOTS_ADMIN: Level.GRASSROOTS,
}


def parse_level(raw: str) -> str:
    return _choice(raw, Level, label=_("层级"), aliases=LEVEL_ALIASES)


def parse_role(raw: str) -> str:
    return _choice(raw, Role, label=_("角色"), aliases=ROLE_ALIASES)


def parse_industry(raw: str) -> str:
    value = (raw or "").strip().upper()
    return _choice(value if len(value) == 1 else raw, Enterprise.Industry, label=_("所属行业"))


def _yes_no(value: bool) -> str:
    return _("是") if value else _("否")


class _Cells:
    """Collects every problem of a row while its cells are read."""

    def __init__(self, values: RowDict) -> None:
        self.values = values
        self.problems: list[str] = []

    def text(self, header: str) -> str:
        return " ".join((self.values.get(header) or "").split())

    def attempt(self, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ValidationError as exc:
            self.problems.extend(exc.messages)
            return None

    def required(self, header: str, *, max_length: int) -> str:
        value = self.text(header)
        if not value:
            self.problems.append(_("%(h)s不能为空。") % {"h": header})
        elif len(value) > max_length:
            self.problems.append(_("%(h)s过长（最多%(n)d个字）。") % {"h": header, "n": max_length})
        return value


def _importer_rank(by: Actor) -> int:
    """The highest role the actor may grant: anything for the system or a superuser."""
    if sees_whole_city(by):
        return max(ROLE_RANK.values())
    profile = getattr(by, "staff_profile", None)
    return ROLE_RANK.get(profile.role, -1) if profile is not None else -1
