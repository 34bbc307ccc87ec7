from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from members.admin_mixins import ScopedServiceAdmin, ServiceForm, TreeScopedAdmin
from portal import services
from portal.models import CardVerification, Consent, JoinApplication, SmsMessage


class SuperuserOnly:
    """System records: only a superuser sees them, and nobody edits them."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SmsMessage)
class SmsMessageAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["sent_at", "phone", "body", "backend"]
    search_fields = ["phone"]
    date_hierarchy = "sent_at"


@admin.register(Consent)
class ConsentAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["consented_at", "notice", "version", "phone", "withdrawn_at"]
    list_filter = ["notice", "version"]
    search_fields = ["phone"]


class JoinDecisionForm(ServiceForm):
    """Approve or refuse an application, through the portal's services."""

    decision = forms.ChoiceField(
        label=_("审核意见"),
        choices=[("approve", _("批准入会")), ("refuse", _("不予批准"))],
        widget=forms.RadioSelect,
    )
    refusal_reason_text = forms.CharField(
        label=_("不予批准的理由（申请人可见）"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )

    class Meta:
        model = JoinApplication
        fields: list[str] = []

    def perform(self):
        data = self.cleaned_data
        if data["decision"] == "approve":
            return services.join_approve(application=self.instance, by=self.request.user)
        try:
            return services.join_refuse(
                application=self.instance,
                reason=data.get("refusal_reason_text", ""),
                by=self.request.user,
            )
        except forms.ValidationError as exc:
            if "refusal_reason" in getattr(exc, "error_dict", {}):
                self.add_error("refusal_reason_text", exc.error_dict["refusal_reason"])
                return self.instance
            raise


@admin.register(JoinApplication)
class JoinApplicationAdmin(ScopedServiceAdmin):
    """The queue of online applications: each union's admins see those addressed to their tree."""

    form = JoinDecisionForm
    list_display = [
        "name",
        "id_number_masked",
        "employment_form",
        "union",
        "state",
        "submitted_at",
    ]
    list_filter = ["state", "employment_form"]
    search_fields = ["name", "phone"]
    date_hierarchy = "submitted_at"
    readonly_fields = [
        "name",
        "id_number_masked",
        "phone",
        "employer",
        "employment_form",
        "township",
        "union",
        "state",
        "submitted_at",
        "consent_summary",
        "decided_by",
        "decided_at",
        "refusal_reason",
        "member",
    ]

    @admin.display(description=_("个人信息处理同意"))
    def consent_summary(self, obj):
        c = obj.consent
        return _("已同意（告知书版本 %(v)s，%(at)s）") % {
            "v": c.version,
            "at": c.consented_at.strftime("%Y-%m-%d %H:%M"),
        }

    def get_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and obj.state == JoinApplication.State.PENDING:
            fields += ["decision", "refusal_reason_text"]
        return fields

    def has_add_permission(self, request):
        return False  # applications come from the portal

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.state == JoinApplication.State.PENDING)


@admin.register(CardVerification)
class CardVerificationAdmin(TreeScopedAdmin):
    scope_field = "member__union"
    list_display = ["verified_at", "verified_by", "member", "was_active"]
    list_filter = ["was_active"]
    date_hierarchy = "verified_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The members' correction requests: their own module (portal/admin_account.py).
from portal import admin_account  # noqa: E402, F401
