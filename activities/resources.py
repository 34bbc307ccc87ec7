"""Spreadsheet exports for the admin (django-import-export): the activity list with person-times
and the named attendance, both from the admin's scoped querysets, formulas defused. Attendance
comes *in* through activities/importing.py (the all-or-nothing pipeline), not through here."""

from django.utils import timezone
from import_export import fields

from activities.models import Activity, Attendance
from common.resources import FormulaSafeResource


class ActivityResource(FormulaSafeResource):
    id = fields.Field(attribute="id", column_name="活动编号")
    kind = fields.Field(attribute="kind__name", column_name="活动类型")
    title = fields.Field(attribute="title", column_name="活动主题")
    union = fields.Field(attribute="union__name", column_name="主办工会")
    union_code = fields.Field(attribute="union__code", column_name="主办工会编码")
    starts_at = fields.Field(column_name="开始时间")
    place = fields.Field(attribute="place", column_name="活动地点")
    speaker = fields.Field(attribute="speaker", column_name="主讲人")
    speaker_kind = fields.Field(column_name="主讲人类别")
    named_count = fields.Field(attribute="named_count", column_name="签到人数")
    headcount = fields.Field(attribute="headcount", column_name="未具名人数")
    person_times = fields.Field(attribute="person_times", column_name="人次")

    class Meta:
        model = Activity
        fields = (
            "id",
            "kind",
            "title",
            "union",
            "union_code",
            "starts_at",
            "place",
            "speaker",
            "speaker_kind",
            "named_count",
            "headcount",
            "person_times",
        )
        export_order = fields

    def dehydrate_starts_at(self, activity: Activity) -> str:
        return timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M")

    def dehydrate_speaker_kind(self, activity: Activity) -> str:
        return activity.get_speaker_kind_display()


class AttendanceResource(FormulaSafeResource):
    activity_id = fields.Field(attribute="activity_id", column_name="活动编号")
    activity = fields.Field(attribute="activity__title", column_name="活动主题")
    name = fields.Field(attribute="member__name", column_name="姓名")
    # Masked: an attendance list is not a reason to hand out full ID numbers (PIPL).
    id_number = fields.Field(attribute="member__id_number_masked", column_name="公民身份号码")
    method = fields.Field(column_name="登记方式")

    class Meta:
        model = Attendance
        fields = ("activity_id", "activity", "name", "id_number", "method")
        export_order = fields

    def dehydrate_method(self, attendance: Attendance) -> str:
        return attendance.get_method_display()
