"""Admin for the workers' voice (职工心声 → 回声)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.models import ExportJob
from members.admin_mixins import ScopedServiceAdmin, ServiceForm
from welfare import selectors, services
from welfare.admin._common import ExportAdmin
from welfare.models import (
    Concern,
)
from welfare.resources import ConcernResource

# --- the workers' voice -------------------------------------------------------------------------


class ConcernRecordForm(ServiceForm):
    class Meta:
        model = Concern
        fields = ["union", "raised_by_name", "contact", "channel", "member", "subject", "body"]

    def perform(self):
        return services.concern_record(by=self.request.user, **self.cleaned_data)


class ConcernAnswerForm(ServiceForm):
    route_to = forms.ModelChoiceField(
        label=_("转办至"),
        queryset=None,
        required=False,
        help_text=_("如需其他工会答复，选择后保存"),
    )

    class Meta:
        model = Concern
        fields = ["answer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from members.selectors import union_list

        self.fields["route_to"].queryset = union_list(viewer=self.request.user)

    def perform(self):
        concern, by = self.instance, self.request.user
        if route_to := self.cleaned_data.get("route_to"):
            return services.concern_route(concern=concern, union=route_to, by=by)
        if self.cleaned_data.get("answer"):
            return services.concern_answer(
                concern=concern, answer=self.cleaned_data["answer"], by=by
            )
        return concern


@admin.register(Concern)
class ConcernAdmin(ExportAdmin, ScopedServiceAdmin):
    resource_classes = [ConcernResource]
    export_kind = ExportJob.Kind.CONCERNS
    list_display = [
        "subject",
        "raised_by_name",
        "channel",
        "union",
        "raised_at",
        "due_at",
        "status",
        "overdue_display",
        "answered_at",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["subject", "raised_by_name"]
    list_select_related = ["union"]
    autocomplete_fields = ["member"]

    def get_queryset(self, request):
        return selectors.concern_list(viewer=request.user)

    @admin.display(description=_("超期"), boolean=True, ordering="overdue")
    def overdue_display(self, obj):
        return obj.overdue

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = ConcernAnswerForm if obj else ConcernRecordForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ConcernRecordForm.Meta.fields
        return [*CONCERN_SHOWN, "answer", "route_to"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*CONCERN_SHOWN, *(["answer"] if obj.status == Concern.Status.ANSWERED else [])]


CONCERN_SHOWN = [
    "raised_by_name",
    "contact",
    "channel",
    "member",
    "union",
    "subject",
    "body",
    "raised_at",
    "due_at",
    "status",
    "answered_at",
    "answered_by",
]
