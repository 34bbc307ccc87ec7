"""Admin of 会员关系转接: the request form laid out around the scoped and city-wide autocompletes, and
the approval page."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members import selectors, services
from members.admin_mixins import (
    ScopedHistoryAdmin,
    ScopedServiceAdmin,
    ServiceForm,
)
from members.models import (
    MemberTransfer,
    Union,
)


class TransferRequestForm(ServiceForm):
    """Either the union left names its own member (autocomplete within its tree), or the union
    joined names a member from elsewhere by full ID number and name (sent in the POST body; the
    transfer then shows it nothing of the member until the union left approves)."""

    id_number = forms.CharField(
        label=_("完整公民身份号码"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("外单位会员转入本工会时填写（与姓名一并填写），无需选择会员"),
    )
    person_name = forms.CharField(
        label=_("姓名"),
        max_length=50,
        required=False,
        help_text=_("外单位会员转入本工会时填写"),
    )

    class Meta:
        model = MemberTransfer
        fields = ["member", "to_union", "to_enterprise", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].required = False
        self.fields["member"].help_text = _(
            "本工会会员转出时，输入姓名或手机号码查找（只列出本工会及下级工会的会员）"
        )
        self.fields["to_union"].help_text = _(
            "会员转入的基层工会，可以是全市任一基层工会：输入工会名称或编码查找"
        )
        self.fields["to_enterprise"].required = False
        self.fields["to_enterprise"].help_text = _(
            "会员转入后的工作单位，可以是全市任一企业：输入企业名称或统一社会信用代码查找；"
            "不清楚可不填"
        )
        self.fields["note"].help_text = _("如转接原因（换工作、搬家等），审批双方都能看到")

    def perform(self):
        data = self.cleaned_data
        common = {
            "to_union": data["to_union"],
            "to_enterprise": data.get("to_enterprise"),
            "note": data.get("note", ""),
            "by": self.request.user,
        }
        by_person = data.get("id_number") or data.get("person_name")
        if data.get("member") and not by_person:
            return services.transfer_request(member=data["member"], **common)
        if not data.get("member") and data.get("id_number") and data.get("person_name"):
            return services.transfer_request_incoming(
                id_number=data["id_number"], name=data["person_name"], **common
            )
        raise ValidationError(
            _(
                "请选择本工会的会员（转出），或填写外单位会员的完整公民身份号码和姓名（转入），二者选一。"
            )
        )


class TransferDecisionForm(ServiceForm):
    decision = forms.ChoiceField(
        label=_("审批意见"),
        choices=[("", "---------"), ("approve", _("同意")), ("refuse", _("不同意"))],
        required=False,
    )
    reason = forms.CharField(
        label=_("不同意的理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = MemberTransfer
        fields = []

    def perform(self):
        decision = self.cleaned_data.get("decision")
        transfer, by = self.instance, self.request.user
        if decision == "refuse":
            return services.transfer_refuse(
                transfer=transfer, reason=self.cleaned_data.get("reason", ""), by=by
            )
        if decision == "approve":
            if transfer.status == MemberTransfer.Status.PENDING_OUT:
                return services.transfer_approve_out(transfer=transfer, by=by)
            return services.transfer_accept_in(transfer=transfer, by=by)
        return transfer


@admin.register(MemberTransfer)
class MemberTransferAdmin(ScopedHistoryAdmin, ScopedServiceAdmin):
    list_display = ["member_display", "from_union_display", "to_union", "status", "requested_at"]
    list_filter = ["status"]
    search_fields = ["member__name"]
    list_select_related = ["member", "from_union", "to_union"]
    autocomplete_fields = ["member", "to_union", "to_enterprise"]
    city_wide_fields = {
        "to_union": "转入工会可以是全市任一工会：工会名称不是个人信息",
        "to_enterprise": "转入单位可以是全市任一企业：企业名称不是个人信息",
    }
    history_fields = [
        "member",
        "from_union",
        "to_union",
        "from_enterprise",
        "to_enterprise",
        "note",
        "status",
        "requested_by",
        "requested_at",
        "out_decided_by",
        "out_decided_at",
        "in_decided_by",
        "in_decided_at",
        "refusal_reason",
    ]

    # Who is transferred, and from where: hidden from the union joined until the union left
    # approves the move out (`selectors.transfer_shows_member`).
    member_fields = ("member", "from_union", "from_enterprise")
    party_fields = ("member", "from_union", "to_union", "from_enterprise", "to_enterprise", "note")

    def get_queryset(self, request):
        # Both sides see the transfer: the union left and the union joined.
        return selectors.transfer_list(viewer=request.user)

    def get_search_results(self, request, queryset, search_term):
        # A name matches only transfers whose member the user may see: otherwise a search would
        # confirm who the union joined is receiving before the union left agreed.
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            queryset = queryset.filter(selectors.transfer_shows_member_q(request.user))
        return queryset, duplicates

    @admin.display(description=_("会员"))
    def member_display(self, obj):
        if obj.shows_member:  # annotated by selectors.transfer_list for this viewer
            return str(obj.member)
        return _("（转出工会同意后显示）")

    @admin.display(description=_("转出工会"))
    def from_union_display(self, obj):
        if obj.shows_member:
            return str(obj.from_union)
        return "—"

    def city_wide_choices(self, request, field_name: str):
        choices = super().city_wide_choices(request, field_name)
        if field_name == "to_union":
            # A member belongs to a grassroots union: the union joined is always one.
            return choices.filter(level=Union.Level.GRASSROOTS)
        return choices

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.city_wide_fields:
            # The union joined may lie outside the requester's tree (city_wide_fields): its
            # choices, and its autocomplete (CityWideAutocompleteJsonView), are city-wide.
            kwargs["queryset"] = self.city_wide_choices(request, db_field.name)
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (
                    _("转出：本工会的会员调走"),
                    {
                        "fields": ["member"],
                        "description": _(
                            "本工会的会员调到别的工会时，在这里选择会员；下一步由转入工会接收。"
                        ),
                    },
                ),
                (
                    _("转入：外单位会员调来本工会"),
                    {
                        "fields": ["id_number", "person_name"],
                        "description": _(
                            "别的工会的会员调来本工会时，填写其完整公民身份号码和姓名，不必选择"
                            "上面的会员；转出工会同意后，本工会才能看到会员的信息。"
                        ),
                    },
                ),
                (_("转到哪里"), {"fields": ["to_union", "to_enterprise"]}),
                (_("备注"), {"fields": ["note"]}),
            ]
        shown = self._shown_history(request, obj)
        parties = [f for f in shown if f in self.party_fields]
        record = [f for f in shown if f not in self.party_fields]
        fieldsets = [
            (_("谁从哪里转到哪里"), {"fields": parties}),
            (_("办理经过"), {"fields": record}),
        ]
        decision = self._decision_fields(request, obj)
        if decision:
            fieldsets.append(
                (
                    _("审批"),
                    {
                        "fields": decision,
                        "description": _(
                            "选择“同意”或“不同意”后点“保存”；不同意时请写明理由，申请方会看到。"
                        ),
                    },
                )
            )
        elif obj.status in MemberTransfer.OPEN_STATES:
            fieldsets.append(
                (
                    _("审批"),
                    {
                        "fields": [],
                        "classes": ["transfer-waiting"],
                        "description": self._waiting_for(obj),
                    },
                )
            )
        return fieldsets

    @staticmethod
    def _waiting_for(obj) -> str:
        if obj.status == MemberTransfer.Status.PENDING_OUT:
            return str(_("转出工会尚未审批：转出工会同意后，转入工会才能接收。"))
        return str(_("转出工会已同意，等待转入工会接收。"))

    def has_change_permission(self, request, obj=None):
        # The page of one transfer is a decision, offered only to the side whose turn it is
        # (selectors.transfer_awaits); the other side, and everyone once it is closed, reads it.
        # The services refuse the others anyway: this keeps the form from being offered.
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or selectors.transfer_awaits(obj, viewer=request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The approval page decides one transfer: nothing to add next, nothing to keep editing.
        extra_context = {
            **(extra_context or {}),
            "show_save_and_add_another": False,
            "show_save_and_continue": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = TransferDecisionForm if obj else TransferRequestForm
        if obj is not None:
            kwargs["fields"] = self._decision_fields(request, obj)
        else:
            kwargs["fields"] = self.get_fields(request)
        return super().get_form(request, obj, change=change, **kwargs)

    def _decision_fields(self, request, obj):
        return ["decision", "reason"] if self.has_change_permission(request, obj) else []

    def _shown_history(self, request, obj):
        if selectors.transfer_shows_member(obj, viewer=request.user):
            return self.history_fields
        return [f for f in self.history_fields if f not in self.member_fields]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["member", "id_number", "person_name", "to_union", "to_enterprise", "note"]
        return [*self._shown_history(request, obj), *self._decision_fields(request, obj)]

    def get_readonly_fields(self, request, obj=None):
        return self._shown_history(request, obj) if obj else []
