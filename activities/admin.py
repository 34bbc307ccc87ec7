from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from activities import selectors, services
from activities.importing import ATTENDANCE_HEADERS, attendance_import, attendance_rows
from activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    CulturePosition,
    SharedCultureCentre,
)
from activities.qr import poster_png
from activities.resources import ActivityResource, AttendanceResource
from common.admin_exports import JobExportMixin
from common.error_file import error_file_answer, error_file_for_upload, wants_error_file
from common.importing import SpreadsheetError
from common.models import ExportJob
from common.spreadsheets import iter_rows
from members import selectors as member_selectors
from members.admin_mixins import ScopedServiceAdmin, ServiceForm, ServiceFormAdmin
from members.models import Union
from members.scoping import is_city_staff


def check_in_url(request, activity: Activity) -> str:
    """The address the poster's QR code opens: the portal's check-in page with the token."""
    token = services.check_in_token(activity=activity)
    return request.build_absolute_uri(f"{services.CHECK_IN_PATH}?token={token}")


# --- kinds -------------------------------------------------------------------------------------


class ActivityKindForm(ServiceForm):
    class Meta:
        model = ActivityKind
        fields = ["code", "name", "has_speaker"]

    def perform(self):
        data = self.cleaned_data
        return services.activity_kind_create(
            code=data["code"],
            name=data["name"],
            has_speaker=data["has_speaker"],
            by=self.request.user,
        )


@admin.register(ActivityKind)
class ActivityKindAdmin(ServiceFormAdmin):
    form = ActivityKindForm
    list_display = ["name", "code", "has_speaker", "is_builtin"]

    def has_add_permission(self, request):
        if not super().has_add_permission(request):
            return False
        return is_city_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # codes key the figures; a kind is added, never rewritten

    def has_delete_permission(self, request, obj=None):
        return False


# --- activities --------------------------------------------------------------------------------


class ActivityForm(ServiceForm):
    reached_enterprises = forms.ModelMultipleChoiceField(
        label=_("覆盖企业"),
        queryset=member_selectors.enterprise_list(viewer=None),
        required=False,
        widget=FilteredSelectMultiple(_("覆盖企业"), is_stacked=False),
        help_text=_("留空时，企业基层工会主办的活动默认覆盖本企业。"),
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "union",
            "starts_at",
            "ends_at",
            "place",
            "is_online",
            "speaker",
            "speaker_kind",
            "headcount",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reached_enterprises"].queryset = member_selectors.enterprise_list(
            viewer=self.request.user
        )
        if self.instance.pk:
            self.fields["reached_enterprises"].initial = list(
                self.instance.reaches.values_list("enterprise_id", flat=True)
            )

    def _reaches(self):
        chosen = self.cleaned_data.get("reached_enterprises")
        if not chosen and not self.instance.pk:
            return None  # the service's default: the organising enterprise
        keep_teams = {}
        if self.instance.pk:
            for reach in self.instance.reaches.all():
                keep_teams.setdefault(reach.enterprise_id, []).append(reach.team)
        return [(e, team) for e in chosen for team in keep_teams.get(e.pk, [""])]

    def perform(self):
        data = self.cleaned_data
        if self.instance.pk:
            return services.activity_update(
                activity=self.instance,
                data={
                    f: data[f]
                    for f in self.changed_data
                    if f in services.ACTIVITY_EDITABLE and f in data
                },
                reaches=self._reaches() if "reached_enterprises" in self.changed_data else None,
                by=self.request.user,
            )
        return services.activity_create(
            kind=data["kind"],
            title=data["title"],
            union=data["union"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data.get("place", ""),
            is_online=data.get("is_online", False),
            speaker=data.get("speaker", ""),
            speaker_kind=data.get("speaker_kind", ""),
            headcount=data.get("headcount") or 0,
            reaches=self._reaches(),
            note=data.get("note", ""),
            by=self.request.user,
        )


class AttendanceImportForm(forms.Form):
    file = forms.FileField(label=_("签到名单（.xlsx 或 .csv）"))
    dry_run = forms.BooleanField(label=_("只检查，不写入"), required=False, initial=True)


@admin.register(Activity)
class ActivityAdmin(JobExportMixin, ScopedServiceAdmin):
    form = ActivityForm
    resource_classes = [ActivityResource]
    export_kind = ExportJob.Kind.ACTIVITIES
    list_display = [
        "title",
        "kind",
        "union",
        "starts_at",
        "named_count_display",
        "headcount",
        "person_times_display",
    ]
    list_filter = ["kind", "is_online", "speaker_kind"]
    search_fields = ["title", "place", "speaker"]
    list_select_related = ["kind", "union"]
    date_hierarchy = "starts_at"
    list_per_page = 50
    show_full_result_count = False
    actions = ["qr_poster"]

    def get_queryset(self, request):
        return selectors.with_person_times(super().get_queryset(request))

    def get_fields(self, request, obj=None):
        fields = [*ActivityForm.Meta.fields, "reached_enterprises"]
        if obj is not None:
            fields += ["check_in_tools"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return ["kind", "union", "check_in_tools"] if obj else []

    @admin.display(description=_("签到人数"), ordering="named_count")
    def named_count_display(self, obj):
        return obj.named_count

    @admin.display(description=_("人次"), ordering="person_times")
    def person_times_display(self, obj):
        return obj.person_times

    @admin.display(description=_("签到"))
    def check_in_tools(self, obj):
        return format_html(
            '<a class="button" href="{}">{}</a> <a class="button" href="{}">{}</a>'
            ' <a href="{}">{}</a>',
            reverse("admin:activities_activity_qr_poster", args=[obj.pk]),
            _("下载签到二维码海报"),
            reverse("admin:activities_activity_import_attendance", args=[obj.pk]),
            _("导入签到名单"),
            reverse("admin:activities_attendance_changelist") + f"?activity__id__exact={obj.pk}",
            _("查看参加记录"),
        )

    def get_urls(self):
        extra = [
            path(
                "<int:pk>/qr-poster.png",
                self.admin_site.admin_view(self.qr_poster_view),
                name="activities_activity_qr_poster",
            ),
            path(
                "<int:pk>/import-attendance/",
                self.admin_site.admin_view(self.import_attendance_view),
                name="activities_activity_import_attendance",
            ),
        ]
        return extra + super().get_urls()

    def qr_poster_view(self, request, pk):
        activity = get_object_or_404(self.get_queryset(request), pk=pk)
        png = poster_png(activity=activity, url=check_in_url(request, activity))
        response = HttpResponse(png, content_type="image/png")
        response["Content-Disposition"] = f'inline; filename="check-in-{activity.pk}.png"'
        return response

    @admin.action(description=_("下载签到二维码海报"), permissions=["view"])
    def qr_poster(self, request, queryset):
        activities = list(queryset[:2])
        if len(activities) != 1:
            messages.error(request, _("请只选择一个活动来生成签到二维码海报。"))
            return None
        return HttpResponseRedirect(
            reverse("admin:activities_activity_qr_poster", args=[activities[0].pk])
        )

    def import_attendance_view(self, request, pk):
        activity = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, activity):
            raise PermissionDenied
        report = None
        upload = None
        form = AttendanceImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = attendance_import(
                    rows=attendance_rows(iter_rows(upload, upload.name), activity=activity),
                    by=request.user,
                    activity=activity,
                    dry_run=form.cleaned_data["dry_run"] or wants_error_file(request),
                    preview_rows=50,
                )
            except (SpreadsheetError, ValidationError) as exc:
                form.add_error("file", exc.messages)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                if answer := error_file_answer(request, upload, report):
                    return answer
                if report.ok and not report.dry_run:
                    messages.success(request, report.summary())
                    return HttpResponseRedirect(
                        reverse("admin:activities_activity_change", args=[activity.pk])
                    )
        context = {
            **self.admin_site.each_context(request),
            "title": _("导入签到名单：%(t)s") % {"t": activity.title},
            "activity": activity,
            "form": form,
            "report": report,
            "error_file": error_file_for_upload(upload, report),
            "preview": [
                (o.row, o.kind, [o.values.get(h, "") for h in ATTENDANCE_HEADERS])
                for o in (report.preview if report else [])
            ],
            "headers": ATTENDANCE_HEADERS,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/activities/activity/import_attendance.html", context
        )


# --- attendance --------------------------------------------------------------------------------


class AttendanceForm(ServiceForm):
    class Meta:
        model = Attendance
        fields = ["activity", "member"]

    def perform(self):
        attendance, created = services.attendance_record(
            activity=self.cleaned_data["activity"],
            member=self.cleaned_data["member"],
            by=self.request.user,
        )
        if not created:
            raise ValidationError(_("该会员已登记参加此活动，无需重复登记。"))
        return attendance


@admin.register(Attendance)
class AttendanceAdmin(JobExportMixin, ScopedServiceAdmin):
    form = AttendanceForm
    resource_classes = [AttendanceResource]
    export_kind = ExportJob.Kind.ATTENDANCE
    scope_field = "activity__union"
    list_display = ["member", "activity", "method", "recorded_at", "recorded_by"]
    list_filter = ["method", "activity__kind"]
    search_fields = ["member__name", "activity__title"]
    list_select_related = ["member", "activity", "recorded_by"]
    # Autocomplete, scoped by the target admins' querysets (never Django's raw-id widget, whose
    # label would render any member by id); the form's choices are the user's references.
    autocomplete_fields = ["activity", "member"]
    list_per_page = 100
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return ["activity", "member", "method", "recorded_at", "recorded_by"] if obj else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return AttendanceForm.Meta.fields
        return ["activity", "member", "method", "recorded_at", "recorded_by"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)


# --- culture positions and shared centres ------------------------------------------------------


class CulturePositionForm(ServiceForm):
    class Meta:
        model = CulturePosition
        fields = ["name", "union", "address", "opened_on", "note"]

    def perform(self):
        return services.culture_position_create(by=self.request.user, **self.cleaned_data)


@admin.register(CulturePosition)
class CulturePositionAdmin(ScopedServiceAdmin):
    form = CulturePositionForm
    list_display = ["name", "union", "opened_on", "address"]
    list_select_related = ["union"]
    search_fields = ["name", "address"]
    date_hierarchy = "opened_on"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "union":
            kwargs["queryset"] = member_selectors.union_list(
                viewer=request.user, filters={"level": Union.Level.TOWNSHIP}
            )
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)


class SharedCultureCentreForm(ServiceForm):
    class Meta:
        model = SharedCultureCentre
        fields = ["name", "union", "co_builders", "enterprises", "workers_served", "address"]
        fields += ["opened_on"]

    def perform(self):
        data = dict(self.cleaned_data)
        data["co_builders"] = list(data.get("co_builders") or [])
        data["enterprises"] = list(data.get("enterprises") or [])
        return services.shared_centre_create(by=self.request.user, **data)


@admin.register(SharedCultureCentre)
class SharedCultureCentreAdmin(ScopedServiceAdmin):
    form = SharedCultureCentreForm
    list_display = ["name", "union", "opened_on", "workers_served"]
    list_select_related = ["union"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["co_builders", "enterprises"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)
