"""Admin for hardship assistance (帮扶) and visits (慰问)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.admin_mixins import ScopedHistoryAdmin, ScopedServiceAdmin, ServiceForm
from welfare import services
from welfare.admin.mutual_aid import ReferenceInitialMixin
from welfare.models import (
    AssistanceFund,
    HardshipCase,
    Visit,
)

# --- assistance and visits -----------------------------------------------------------------------


class FundForm(ServiceForm):
    """Raised through assistance_fund_raise; corrected through assistance_fund_update (never
    below what the fund has paid out). Its union is fixed once raised."""

    class Meta:
        model = AssistanceFund
        fields = ["union", "name", "source", "amount", "raised_on"]

    def perform(self):
        data = {k: v for k, v in self.cleaned_data.items() if k in self.fields}
        if self.instance.pk:
            data.pop("union", None)
            return services.assistance_fund_update(
                fund=self.instance, data=data, by=self.request.user
            )
        return services.assistance_fund_raise(by=self.request.user, **data)


@admin.register(AssistanceFund)
class AssistanceFundAdmin(ScopedHistoryAdmin, ScopedServiceAdmin):
    form = FundForm
    list_display = ["name", "union", "source", "amount", "raised_on", "balance"]
    list_filter = ["source", "raised_on"]
    search_fields = ["name"]

    def get_readonly_fields(self, request, obj=None):
        return ["union"] if obj else []

    @admin.display(description=_("余额（元）"))
    def balance(self, obj):
        return services.fund_balance(obj)


class HardshipCaseForm(ServiceForm):
    class Meta:
        model = HardshipCase
        fields = ["member", "category", "assessed_on", "assessment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A case staff open is assessed now (only a member's own application waits unassessed).
        self.fields["assessed_on"].required = True

    def perform(self):
        return services.hardship_case_open(by=self.request.user, **self.cleaned_data)


class HardshipAidForm(ServiceForm):
    class Meta:
        model = HardshipCase
        fields = ["aid_amount", "fund", "aid_paid_on"]

    def perform(self):
        data = self.cleaned_data
        if not data.get("aid_amount"):
            return self.instance
        if not data.get("fund") or not data.get("aid_paid_on"):
            raise ValidationError(_("发放帮扶金须填写资金来源和发放日期。"))
        return services.hardship_aid_pay(
            case=self.instance,
            amount=data["aid_amount"],
            fund=data["fund"],
            paid_on=data["aid_paid_on"],
            by=self.request.user,
        )


@admin.register(HardshipCase)
class HardshipCaseAdmin(ReferenceInitialMixin, ScopedServiceAdmin):
    list_display = [
        "member",
        "union",
        "category",
        "status",
        "applied_on",
        "assessed_on",
        "aid_amount",
        "fund",
    ]
    list_filter = ["status", "category", "assessed_on"]
    search_fields = ["member__name"]
    actions = ["assess_today"]
    # Not raw_id_fields: its label is looked up unscoped. The autocomplete lists, and its widget
    # labels, only members the clerk may name; the fund select only funds of their tree.
    autocomplete_fields = ["member"]
    list_select_related = ["member", "union", "fund"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = HardshipAidForm if obj else HardshipCaseForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return HardshipCaseForm.Meta.fields
        return [
            "member",
            "union",
            "category",
            "status",
            "applied_on",
            "application",
            "refusal_reason",
            "assessed_on",
            "assessment",
            *HardshipAidForm.Meta.fields,
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "member",
            "union",
            "category",
            "status",
            "applied_on",
            "application",
            "refusal_reason",
            "assessed_on",
            "assessment",
        ]

    @admin.action(description=_("认定选中的会员帮扶申请（认定日期为今天）"), permissions=["change"])
    def assess_today(self, request, queryset):
        # Members apply from the portal (hardship_case_apply); their union assesses here.
        done = 0
        for case in queryset.filter(status=HardshipCase.Status.APPLIED):
            try:
                services.hardship_case_assess(
                    case=case, assessed_on=timezone.localdate(), by=request.user
                )
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                messages.error(
                    request,
                    f"{case.member.name}：{'；'.join(getattr(exc, 'messages', [str(exc)]))}",
                )
        if done:
            messages.success(request, _("已认定%(n)d份帮扶申请。") % {"n": done})


class VisitForm(ServiceForm):
    class Meta:
        model = Visit
        fields = [
            "member",
            "visited_on",
            "occasion",
            "visitor",
            "frontline",
            "in_hardship",
            "given",
            "value",
        ]

    def perform(self):
        return services.visit_record(by=self.request.user, **self.cleaned_data)


@admin.register(Visit)
class VisitAdmin(ReferenceInitialMixin, ScopedServiceAdmin):
    form = VisitForm
    list_display = ["member", "union", "visited_on", "occasion", "visitor", "given", "value"]
    list_filter = ["occasion", "frontline", "in_hardship", "visited_on"]
    search_fields = ["member__name", "visitor"]
    autocomplete_fields = ["member"]
    list_select_related = ["member", "union"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)
