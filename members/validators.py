"""Validation of the two national identifiers the registry keys on.

- 公民身份号码, GB 11643-1999: 17 digits + an ISO 7064 MOD 11-2 check character (0-9 or X).
- 统一社会信用代码, GB 32100-2015: 17 characters + a MOD 31 check character.
"""

import datetime as dt
import re
from functools import lru_cache
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
# First two digits: the province-level divisions of GB/T 2260.
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82".split()
)

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_RE = re.compile(rf"^[{CREDIT_CHARS}]{{18}}$")

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


class IdNumberFacts(NamedTuple):
    """What a valid ID number says: the normalised number, the birth date and the gender.
    (A tuple rather than a frozen dataclass: an import builds one per row, 681,000 of them.)"""

    number: str
    birth_date: dt.date
    gender: str  # "M" or "F": the 17th digit is odd for men


def id_check_char(first17: str) -> str:
    if len(first17) == 17 and first17.isascii() and first17.isdigit():
        # The weights are 2^17 ... 2^1 mod 11, and 13 ≡ 2 (mod 11): read in base 13, the digits
        # sum to the weighted sum halved, mod 11. One int() in C instead of a weighted sum in
        # Python, at a fifth of the cost (a city import checks 681,000 numbers).
        return ID_CHECK_CHARS[2 * int(first17, 13) % 11]
    return ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def parse_id_number(raw: str, today: dt.date | None = None) -> IdNumberFacts:
    """Validate a resident ID number and return what it says; raise ValidationError in words a
    clerk can act on. A lower-case x is accepted and stored upper-case. `today` may be passed by
    bulk callers (reading the clock and time zone per row is a measurable share of an import)."""
    value = (raw or "").strip().replace(" ", "").upper()
    if not value:
        raise ValidationError(_("公民身份号码不能为空。"), code="required")
    if len(value) == 15 and value.isdigit():
        raise ValidationError(
            _("这是15位旧身份证号码，已停止使用：请填写18位公民身份号码。"), code="legacy"
        )
    if len(value) != 18:
        raise ValidationError(
            _("公民身份号码应为18位，这里是%(n)d位。") % {"n": len(value)}, code="length"
        )
    if not (value[:17].isdigit() and (value[17].isdigit() or value[17] == "X")):
        raise ValidationError(
            _("公民身份号码前17位须为数字，最后一位为数字或X。"), code="characters"
        )
    if value[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("公民身份号码的地址码“%(code)s”不是有效的行政区划。") % {"code": value[:6]},
            code="region",
        )
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(
            _("公民身份号码中的出生日期“%(d)s”不是有效日期。") % {"d": value[6:14]},
            code="birth_date",
        ) from None
    if birth.year < 1900 or birth > (today or timezone.localdate()):
        raise ValidationError(
            _("公民身份号码中的出生日期“%(d)s”不合理。") % {"d": value[6:14]}, code="birth_date"
        )
    expected = id_check_char(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("公民身份号码校验位错误（最后一位应为%(c)s），请核对号码是否抄错。")
            % {"c": expected},
            code="check_digit",
        )
    gender = "M" if int(value[16]) % 2 else "F"
    return IdNumberFacts(number=value, birth_date=birth, gender=gender)


def mask_id_number(number: str) -> str:
    """330502********123X: the region code and the last four, nothing of the birth date."""
    return number[:6] + "*" * 8 + number[-4:]


def credit_check_char(first17: str) -> str:
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def normalize_credit_code(raw: str) -> str:
    """Validate a unified social credit code and return it upper-case."""
    return _normalize_credit_code((raw or "").strip().replace(" ", "").upper())


@lru_cache(maxsize=1 << 16)
def _normalize_credit_code(value: str) -> str:
    # Cached: a roster repeats one employer's code on every row of its staff.
    if len(value) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，这里是%(n)d位。") % {"n": len(value)}, code="length"
        )
    if not CREDIT_RE.match(value):
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）。"), code="characters"
        )
    expected = credit_check_char(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误（最后一位应为%(c)s），请核对。") % {"c": expected},
            code="check_digit",
        )
    return value


def validate_credit_code(value: str) -> None:
    normalize_credit_code(value)


def normalize_mobile(raw: str) -> str:
    value = (raw or "").strip().replace(" ", "").replace("-", "")
    if value.startswith("+86"):
        value = value[3:]
    if value and not MOBILE_RE.match(value):
        raise ValidationError(
            _("手机号码“%(v)s”不是有效的11位大陆手机号。") % {"v": raw}, code="mobile"
        )
    return value
