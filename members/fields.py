"""Turning what a clerk typed (in a form, a roster cell or a JSON body) into member field values.
The services and the roster import share these, so a value is judged the same way everywhere."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member

EMPLOYMENT_FORM_BY_LABEL = {str(label): value for value, label in Member.EmploymentForm.choices}
EMPLOYMENT_FORM_LABELS = {value: str(label) for value, label in Member.EmploymentForm.choices}

_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def clean_name(raw: str) -> str:
    value = " ".join((raw or "").split())
    if not value:
        raise ValidationError(_("姓名不能为空。"), code="required")
    if len(value) > 50:
        raise ValidationError(_("姓名过长（最多50个字）。"), code="length")
    return value


def parse_date(raw: str, *, label: str) -> dt.date:
    """2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日 or 20240301."""
    value = (raw or "").strip()
    if not value:
        raise ValidationError(_("%(label)s不能为空。") % {"label": label}, code="required")
    if len(value) >= 10 and value[10:11] in {" ", "T"}:
        value = value[:10]
    match = _DATE_RE.match(value)
    parts = match.groups() if match else None
    if parts is None and len(value) == 8 and value.isdigit():
        parts = (value[:4], value[4:6], value[6:])
    try:
        if parts is None:
            raise ValueError
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise ValidationError(
            _("%(label)s“%(value)s”不是有效日期，请写成 2024-03-01。")
            % {"label": label, "value": raw},
            code="date",
        ) from None


def check_joined_on(joined_on: dt.date, birth_date: dt.date, today: dt.date | None = None) -> None:
    if joined_on > (today or timezone.localdate()):
        raise ValidationError(_("入会日期不能晚于今天。"), code="future")
    if joined_on < birth_date:
        raise ValidationError(_("入会日期早于出生日期，请核对。"), code="before_birth")


def parse_employment_form(raw: str) -> str:
    value = (raw or "").strip()
    if not value:
        return Member.EmploymentForm.STANDARD
    if value in EMPLOYMENT_FORM_BY_LABEL:
        return EMPLOYMENT_FORM_BY_LABEL[value]
    if value in EMPLOYMENT_FORM_LABELS:
        return value
    raise ValidationError(
        _("就业形态“%(v)s”无法识别，应为：%(options)s。")
        % {"v": value, "options": "、".join(EMPLOYMENT_FORM_BY_LABEL)},
        code="employment_form",
    )
