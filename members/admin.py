from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import CSV, XLSX

from common.export_jobs import export_request
from common.importing import mask_phone
from common.models import ExportJob
from common.uploads import CleanImportMixin
from members import exports as member_exports
from members import selectors, services
from members.admin_mixins import (
    ScopedHistoryAdmin,
    ScopedServiceAdmin,
    ServiceForm,
    TreeScopedAdmin,
)
from members.models import (
    Enterprise,
    IdNumberAccess,
    Member,
    MemberTransfer,
    StaffProfile,
    Union,
)
from members.resources import (
    EnterpriseResource,
    MemberResource,
    RosterCSV,
    StaffResource,
    UnionResource,
)
from members.scoping import viewer_union
from members.validators import parse_id_number

# --- unions ------------------------------------------------------------------------------------


class UnionForm(ServiceForm):
    class Meta:
        model = Union
        fields = ["code", "name", "level", "parent", "is_joint"]

    def perform(self):
        data = self.cleaned_data
        if self.instance.pk:
            return services.union_update(
                union=self.instance,
                name=data["name"],
                is_joint=data["is_joint"],
                by=self.request.user,
            )
        return services.union_create(
            code=data["code"],
            name=data["name"],
            level=data["level"],
            parent=data["parent"],
            is_joint=data["is_joint"],
            by=self.request.user,
        )


class GoLiveImportMixin(CleanImportMixin):
    """Bulk import on the one importer loop (members.golive), with the roster's import page."""

    skip_admin_log = True  # the importer writes in bulk and keeps an ImportBatch instead

    def get_import_formats(self):
        return [XLSX, RosterCSV]

    def get_export_formats(self):
        return [XLSX, CSV]

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}


@admin.register(Union)
class UnionAdmin(GoLiveImportMixin, ScopedServiceAdmin):
    resource_classes = [UnionResource]
    form = UnionForm
    scope_field = ""
    list_display = ["code", "name", "level", "parent", "is_joint"]
    list_filter = ["level", "is_joint"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "level", "parent"] if obj else []


# --- enterprises -------------------------------------------------------------------------------


class EnterpriseForm(ServiceForm):
    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "industry",
            "above_designated_size",
            "is_state_owned",
            "reform_pilot_year",
            "union",
        ]

    def perform(self):
        data = dict(self.cleaned_data)
        if self.instance.pk:
            data.pop("credit_code", None)
            return services.enterprise_update(
                enterprise=self.instance, data=data, by=self.request.user
            )
        pilot_year = data.pop("reform_pilot_year", None)
        enterprise = services.enterprise_create(by=self.request.user, **data)
        if pilot_year:
            enterprise = services.enterprise_update(
                enterprise=enterprise, data={"reform_pilot_year": pilot_year}, by=self.request.user
            )
        return enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(GoLiveImportMixin, ScopedServiceAdmin):
    resource_classes = [EnterpriseResource]
    form = EnterpriseForm
    list_display = ["name", "credit_code", "industry", "above_designated_size", "union"]
    list_filter = ["above_designated_size", "is_state_owned", "industry"]
    search_fields = ["name", "=credit_code"]
    list_select_related = ["union"]

    def get_queryset(self, request):
        return selectors.enterprise_list(viewer=request.user)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(selectors.enterprise_search_q(term)), False

    def get_readonly_fields(self, request, obj=None):
        return ["credit_code"] if obj else []


# --- members -----------------------------------------------------------------------------------


class MemberAddForm(ServiceForm):
    id_number = forms.CharField(
        label=_("公民身份号码"), max_length=18, help_text=_("18位，末位X大小写均可")
    )

    class Meta:
        model = Member
        fields = ["name", "union", "enterprise", "phone", "employment_form", "joined_on"]

    def perform(self):
        data = self.cleaned_data
        return services.member_create(
            id_number=data["id_number"],
            name=data["name"],
            union=data["union"],
            phone=data.get("phone") or "",
            enterprise=data.get("enterprise"),
            employment_form=data["employment_form"],
            joined_on=data["joined_on"],
            by=self.request.user,
        )


class MemberChangeForm(ServiceForm):
    class Meta:
        model = Member
        fields = ["name", "enterprise", "phone", "employment_form", "joined_on"]

    def perform(self):
        return services.member_update(
            member=self.instance,
            data={f: self.cleaned_data[f] for f in self.changed_data if f in self.Meta.fields},
            by=self.request.user,
        )


class IdLookupForm(forms.Form):
    id_number = forms.CharField(
        label=_("公民身份号码"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )

    def clean_id_number(self):
        return parse_id_number(self.cleaned_data["id_number"]).number


@admin.register(Member)
class MemberAdmin(ScopedHistoryAdmin, CleanImportMixin, ScopedServiceAdmin):
    resource_classes = [MemberResource]
    # The roster pipeline writes in bulk; per-row admin LogEntries would double a city import's cost.
    skip_admin_log = True
    list_display = [
        "name",
        "id_number_masked",
        "gender",
        "union",
        "enterprise",
        "employment_form",
        "joined_on",
        "status",
    ]
    list_filter = ["status", "employment_form", "gender", "union__level"]
    search_fields = ["name"]
    search_help_text = _(
        "按姓名或手机号查找；完整的18位公民身份号码请用“按公民身份号码查找”（页面上方）"
    )
    list_select_related = ["union", "enterprise"]
    autocomplete_fields = ["enterprise"]
    list_per_page = 50
    show_full_result_count = False  # an exact COUNT over 681,000 rows on every page is wasted
    actions = ["mark_left_today"]

    def get_import_formats(self):
        return [XLSX, RosterCSV]

    def get_export_formats(self):
        return [XLSX, CSV]

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def export_action(self, request):
        """The export form as django-import-export shows it; its POST becomes an export job
        (members.exports, common.export_jobs) and the clerk goes to its progress page, so no
        export of the register, of any size, is built inside a request."""
        if request.method != "POST":
            return super().export_action(request)
        if not self.has_export_permission(request):
            raise PermissionDenied
        formats = self.get_export_formats()
        form = self.get_export_form_class()(
            formats, self.get_export_resource_classes(request), data=request.POST
        )
        if not form.is_valid():
            return super().export_action(request)
        chosen = formats[int(form.cleaned_data["format"])]
        fields = form.get_selected_resource_export_fields()
        union = viewer_union(request.user) or Union.objects.filter(parent=None).first()
        job = export_request(
            kind=ExportJob.Kind.MEMBERS,
            params=member_exports.export_params(query=request.GET, fields=fields),
            union=union,
            title=f"{_('会员名册')}-{union.name}-{timezone.localdate():%Y%m%d}",
            file_format="csv" if chosen is CSV else "xlsx",
            by=request.user,
        )
        return redirect("exports:status", pk=job.pk)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = MemberChangeForm if obj else MemberAddForm
        if obj is None:
            kwargs["fields"] = ["id_number", *MemberAddForm.Meta.fields]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["id_number", *MemberAddForm.Meta.fields]
        return [
            "name",
            "id_number_display",
            "gender",
            "birth_date",
            "union",
            "enterprise",
            "phone",
            "employment_form",
            "joined_on",
            "status",
            "left_on",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["id_number_display", "gender", "birth_date", "union", "status", "left_on"]

    @admin.display(description=_("公民身份号码"))
    def id_number_display(self, obj):
        return obj.id_number_masked

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if services.can_view_full_id(request.user):
            extra_context["reveal_id_url"] = reverse(
                "admin:members_member_reveal_id", args=[object_id]
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if selectors.looks_like_full_id_number(term):
            # Too late to keep this request out of the access log, but no page of ours sends
            # another: the number goes in the lookup form's POST body instead.
            messages.error(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("完整公民身份号码不能在搜索框（网址）中查询，以免留在访问日志里。"),
                    reverse("admin:members_member_lookup"),
                    _("请改用“按公民身份号码查找”。"),
                ),
            )
            return queryset.none(), False
        return queryset.filter(selectors.member_search_q(term)), False

    def get_urls(self):
        urls = super().get_urls()
        extra = [
            path(
                "lookup/",
                self.admin_site.admin_view(self.lookup_view),
                name="members_member_lookup",
            ),
            path(
                "<int:pk>/id-number/",
                self.admin_site.admin_view(self.reveal_id_view),
                name="members_member_reveal_id",
            ),
        ]
        return extra + urls

    def lookup_view(self, request):
        """Find members by a full ID number sent in a POST body (never in a URL), within the
        viewer's tree; the answer shows the number masked."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = IdLookupForm(request.POST or None)
        found = None
        if request.method == "POST" and form.is_valid():
            found = list(
                selectors.member_lookup(
                    viewer=request.user, id_number=form.cleaned_data["id_number"]
                )
            )
            form = IdLookupForm()  # the answer page does not echo the number back
        context = {
            **self.admin_site.each_context(request),
            "title": _("按公民身份号码查找"),
            "form": form,
            "found": found,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/members/member/lookup.html", context)

    def reveal_id_view(self, request, pk):
        member = get_object_or_404(self.get_queryset(request), pk=pk)
        number = services.id_number_reveal(
            member=member, viewer=request.user, channel=IdNumberAccess.Channel.ADMIN
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("完整公民身份号码"),
            "member": member,
            "number": number,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/members/member/reveal_id.html", context)

    @admin.action(description=_("办理离会（离会日期为今天）"), permissions=["change"])
    def mark_left_today(self, request, queryset):
        done = 0
        for member in queryset.filter(status=Member.Status.ACTIVE):
            try:
                services.member_leave(member=member, left_on=timezone.localdate(), by=request.user)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                messages.error(
                    request, f"{member.name}：{'；'.join(getattr(exc, 'messages', [str(exc)]))}"
                )
        if done:
            messages.success(request, _("已为%(n)d名会员办理离会。") % {"n": done})


# --- transfers ---------------------------------------------------------------------------------


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
        decision = self._decision_fields(obj)
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
        return fieldsets

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
            kwargs["fields"] = self._decision_fields(obj)
        else:
            kwargs["fields"] = self.get_fields(request)
        return super().get_form(request, obj, change=change, **kwargs)

    def _decision_fields(self, obj):
        return ["decision", "reason"] if obj.status in MemberTransfer.OPEN_STATES else []

    def _shown_history(self, request, obj):
        if selectors.transfer_shows_member(obj, viewer=request.user):
            return self.history_fields
        return [f for f in self.history_fields if f not in self.member_fields]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["member", "id_number", "person_name", "to_union", "to_enterprise", "note"]
        return [*self._shown_history(request, obj), *self._decision_fields(obj)]

    def get_readonly_fields(self, request, obj=None):
        return self._shown_history(request, obj) if obj else []


# --- staff and the access record ---------------------------------------------------------------


@admin.register(StaffProfile)
class StaffProfileAdmin(GoLiveImportMixin, TreeScopedAdmin):
    resource_classes = [StaffResource]
    list_display = ["user", "union", "role", "phone_on_file"]
    list_filter = ["role"]
    search_fields = ["user__username", "union__name"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description=_("短信重置手机号"))
    def phone_on_file(self, obj):
        # Whether 忘记密码 can reach this person, without putting the number on a list.
        return mask_phone(obj.phone) if obj.phone else _("未登记")

    def has_import_permission(self, request):
        # Accounts come in by the staff import (roles no higher than the importer's, within the
        # importer's tree: members.golive); leadership reads only.
        from members.scoping import require_can_write

        try:
            require_can_write(request.user)
        except PermissionDenied:
            return False
        return request.user.has_perm("members.add_staffprofile")


@admin.register(IdNumberAccess)
class IdNumberAccessAdmin(TreeScopedAdmin):
    scope_field = "member__union"

    def get_queryset(self, request):
        return selectors.id_access_list(viewer=request.user)

    list_display = ["accessed_at", "user", "member", "channel"]
    list_filter = ["channel"]
    list_select_related = ["user", "member"]
    date_hierarchy = "accessed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
