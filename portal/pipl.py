"""My personal information (PIPL arts. 44-46): what the union holds about the signed-in person,
as a page and as a file; who (outside their own requests) viewed their full ID number; and their
requests to correct the record, answered by their union's admins.

Every read is keyed by the person (the ID number's hash), so all their membership rows, past
and present, are in it and nobody else's can be."""

import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from activities.models import Attendance
from common import notices
from common.spreadsheets import formula_safe
from members.actors import MemberActor
from members.models import IdNumberAccess, Member, StaffProfile
from members.scoping import NOT_IN_SCOPE, require_staff_write
from portal.models import CorrectionRequest, JoinApplication, MemberNotice, PersonalDataExport
from skills.models import CompetitionEntry, GoldenIdea, Honour
from welfare.models import Claim, Concern, Enrolment

# Columns never given out, even to the person: ciphertexts, keyed hashes and digests say nothing
# to them and are what an attacker would want from a leaked file.
_SECRET_SUFFIXES = ("_encrypted", "_hash", "_digest")


def _value(obj: models.Model, field: models.Field):
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    if isinstance(field, models.ForeignKey):
        if field.related_model is User or field.related_model is settings.AUTH_USER_MODEL:
            return None  # staff accounts are named by their union, never by username
        target = getattr(obj, field.name)
        return str(target) if target is not None else None
    value = getattr(obj, field.attname)
    if isinstance(field, models.FileField):
        return value.name or None  # a receipt photo: its stored name, not the file
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Decimal):
        return str(value)
    return value


def _rows(queryset) -> list[dict]:
    """Each row as {Chinese field label: value}, secrets and staff usernames left out."""
    fields = [
        f
        for f in queryset.model._meta.concrete_fields
        if not f.name.endswith(_SECRET_SUFFIXES)
        and not (isinstance(f, models.ForeignKey) and f.related_model is User)
    ]
    return [{str(f.verbose_name): _value(obj, f) for f in fields} for obj in queryset]


@dataclass(frozen=True)
class IdView:
    """One time a staff member saw the person's full ID number: which union, in which role."""

    union: str
    role: str
    at: dt.datetime
    channel: str


def id_number_views(*, member: Member) -> list[IdView]:
    """Who viewed the person's full ID number, newest first: the viewer's union and role (the
    username is theirs to keep). The person never sees their own full number through staff
    pages, so every row is someone else's look."""
    accesses = (
        IdNumberAccess.objects.filter(member__id_number_hash=member.id_number_hash)
        .select_related("user__staff_profile__union")
        .order_by("-accessed_at")[:500]
    )
    views = []
    for access in accesses:
        try:
            profile = access.user.staff_profile
            union, role = str(profile.union), profile.get_role_display()
        except StaffProfile.DoesNotExist:
            union, role = _("湖州市总工会"), _("系统管理员")
        views.append(
            IdView(
                union=union,
                role=str(role),
                at=access.accessed_at,
                channel=access.get_channel_display(),
            )
        )
    return views


def personal_data(*, member: Member) -> dict[str, list[dict]]:
    """Everything the union holds about the person, by kind of record (Chinese headings)."""
    person = member.id_number_hash
    by_person = {"member__id_number_hash": person}
    return {
        _("会员登记信息"): _rows(
            Member.objects.filter(id_number_hash=person).order_by("joined_on")
        ),
        _("活动签到"): _rows(
            Attendance.objects.filter(**by_person).select_related("activity").order_by("-id")
        ),
        _("竞赛报名与成绩"): _rows(
            CompetitionEntry.objects.filter(**by_person).select_related("competition", "union")
        ),
        _("荣誉称号"): _rows(Honour.objects.filter(**by_person)),
        _("金点子"): _rows(GoldenIdea.objects.filter(**by_person).select_related("union")),
        _("医疗互助参保"): _rows(Enrolment.objects.filter(**by_person).select_related("line")),
        _("医疗互助理赔"): _rows(Claim.objects.filter(**by_person).select_related("union")),
        _("职工心声"): _rows(Concern.objects.filter(**by_person).select_related("union")),
        _("入会申请"): _rows(JoinApplication.objects.filter(id_number_hash=person)),
        _("个人信息更正申请"): _rows(CorrectionRequest.objects.filter(**by_person)),
        _("发给我的消息"): _rows(MemberNotice.objects.filter(person_hash=person)),
        _("个人信息下载记录"): _rows(PersonalDataExport.objects.filter(person_hash=person)),
        _("完整身份证号被查看记录"): [
            {
                _("查看单位"): v.union,
                _("角色"): v.role,
                _("时间"): _value_time(v.at),
                _("途径"): v.channel,
            }
            for v in id_number_views(member=member)
        ],
    }


def _value_time(at: dt.datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


# The copy shows the ID number masked, even to its owner. The person knows their own number, so
# the full one adds nothing for them; the file, though, leaves our control the moment it is saved
# to a phone's downloads or forwarded in a chat, where a full number and name together are what
# identity fraud needs. The copy says the full number is held (encrypted) and how to see it.
ID_NUMBER_NOTE = _(
    "身份证号码仅显示部分数字：完整号码由工会加密保存，如需核对，请持身份证到所在工会查阅。"
)


def _about() -> dict[str, str]:
    return {
        _("导出时间"): _value_time(timezone.now()),
        _("说明"): _(
            "这是湖州市总工会保存的您的个人信息副本（不含加密密文）。如有错误，可在会员服务中申请更正。"
        ),
        _("身份证号码"): str(ID_NUMBER_NOTE),
    }


def personal_data_json(*, member: Member) -> bytes:
    payload = {**_about(), **personal_data(member=member)}
    return json.dumps(payload, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder).encode()


_SHEET_NAME_BAD = re.compile(r"[\\/*?:\[\]]")


def personal_data_xlsx(*, member: Member) -> bytes:
    """The same copy as a workbook a worker opens in WPS or Excel: a sheet of notes, then one
    sheet per kind of record, the Chinese field names as headers. Text that Excel would run as a
    formula is defused (a claim's hospital name is typed by the member)."""
    book = Workbook()
    about = book.active
    about.title = _("说明")
    for key, value in _about().items():
        about.append([key, value])
    about.column_dimensions["A"].width = 14
    about.column_dimensions["B"].width = 90
    for title, rows in personal_data(member=member).items():
        sheet = book.create_sheet(_SHEET_NAME_BAD.sub("", str(title))[:31])
        headers: list[str] = []
        for row in rows:
            headers.extend(k for k in row if k not in headers)
        if not headers:
            sheet.append([_("（无记录）")])
            continue
        sheet.append(headers)
        for row in rows:
            sheet.append([formula_safe(_cell(row.get(h))) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value):
    if value is None or isinstance(value, str | int | float | bool | dt.date):
        return value
    return str(value)


@transaction.atomic
def personal_data_export_record(
    *, member: Member, file_format: str, channel: str
) -> PersonalDataExport:
    """Record that a copy left (after the step-up code was checked): the person sees it in the
    next copy and on their page."""
    return PersonalDataExport.objects.create(
        person_hash=member.id_number_hash, file_format=file_format, channel=channel
    )


# --- corrections (PIPL art. 46) ---------------------------------------------------------------


@transaction.atomic
def correction_request_submit(*, by: MemberActor, item: str, body: str) -> CorrectionRequest:
    """The member asks their union to correct `item`; it reaches that union's admins."""
    if not isinstance(by, MemberActor):
        raise PermissionDenied(str(NOT_IN_SCOPE))
    member = by.member
    item, body = (item or "").strip(), (body or "").strip()
    errors = {}
    if not item:
        errors["item"] = [_("请写明哪项信息有误，例如：姓名、手机号、工作单位。")]
    if not body:
        errors["body"] = [_("请写明正确的内容。")]
    if errors:
        raise ValidationError(errors)
    if (
        CorrectionRequest.objects.filter(
            member__id_number_hash=member.id_number_hash, state=CorrectionRequest.State.OPEN
        ).count()
        >= 5
    ):
        raise ValidationError(_("您已有5份待处理的更正申请，请等工会处理后再提交。"))
    return CorrectionRequest.objects.create(
        member=member,
        union=member.union,
        item=item[:100],
        body=body[:1000],
        submitted_at=timezone.now(),
    )


@transaction.atomic
def correction_request_resolve(
    *, correction: CorrectionRequest, resolution: str, by: User
) -> CorrectionRequest:
    """An admin of the member's union closes the request with a note the member reads (the
    correction itself is made on the member's record, through members.services, as usual)."""
    require_staff_write(by, correction.union)
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("请写明处理结果，会员会看到它。")})
    correction = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    if correction.state != CorrectionRequest.State.OPEN:
        raise ValidationError(_("该申请已处理。"))
    correction.state = CorrectionRequest.State.RESOLVED
    correction.resolution = resolution[:1000]
    correction.resolved_by = by
    correction.resolved_at = timezone.now()
    correction.save(
        update_fields=["state", "resolution", "resolved_by", "resolved_at", "updated_at"]
    )
    notices.tell(
        correction.member,
        _("您的个人信息更正申请（%(i)s）已处理。") % {"i": correction.item[:20]},
        about="correction",
        record_id=correction.pk,
    )
    return correction
