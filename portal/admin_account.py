"""The admin queue of members' correction requests (个人信息更正申请): each union's admins see
those of members in their part of the tree and resolve them with a note the member reads."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from members.admin_mixins import ScopedServiceAdmin, ServiceForm
from portal import pipl
from portal.models import CorrectionRequest


class CorrectionResolveForm(ServiceForm):
    resolution_text = forms.CharField(
        label=_("处理说明（会员可见）"),
        required=True,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("需要修改会员登记信息的，请在会员记录中修改后再填写此说明。"),
    )

    class Meta:
        model = CorrectionRequest
        fields: list[str] = []

    def perform(self):
        return pipl.correction_request_resolve(
            correction=self.instance,
            resolution=self.cleaned_data["resolution_text"],
            by=self.request.user,
        )


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(ScopedServiceAdmin):
    form = CorrectionResolveForm
    list_display = ["item", "member", "union", "state", "submitted_at", "resolved_at"]
    list_filter = ["state"]
    date_hierarchy = "submitted_at"
    readonly_fields = [
        "member",
        "union",
        "item",
        "body",
        "state",
        "submitted_at",
        "resolved_by",
        "resolved_at",
        "resolution",
    ]

    def get_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and obj.state == CorrectionRequest.State.OPEN:
            fields.append("resolution_text")
        return fields

    def has_add_permission(self, request):
        return False  # requests come from the member

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.state == CorrectionRequest.State.OPEN)
