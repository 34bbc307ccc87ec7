"""Admin of the registry: unions, enterprises and members, with the roster and go-live imports and
the member export as a job."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import XLSX

from common.admin_exports import JobExportMixin
from common.models import ExportJob
from common.uploads import CleanImportMixin
from members import exports as member_exports
from members import selectors, services
from members.admin._common import GoLiveImportMixin
from members.admin_mixins import (
    ScopedHistoryAdmin,
    ScopedServiceAdmin,
    ServiceForm,
)
from members.models import (
    Enterprise,
    IdNumberAccess,
    Member,
    Union,
)
from members.resources import (
    EnterpriseResource,
    MemberResource,
    RosterCSV,
    UnionResource,
)
from members.validators import parse_id_number


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
class MemberAdmin(ScopedHistoryAdmin, JobExportMixin, CleanImportMixin, ScopedServiceAdmin):
    resource_classes = [MemberResource]
    # Every export of the register is a job (members.exports): see JobExportMixin.
    export_kind = ExportJob.Kind.MEMBERS
    export_title = _("会员名册")
    export_always_as_job = True
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

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def get_export_job_params(self, request, form) -> dict:
        return member_exports.export_params(
            query=request.GET, fields=form.get_selected_resource_export_fields()
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = MemberChangeForm if obj else MemberAddForm
        if obj is None:
            kwargs["fields"] = ["id_number", *MemberAddForm.Meta.fields]
        return super().get_form(request, obj, change=change, **kwargs)

    @staticmethod
    def _fields(obj):
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
        fixed = ["id_number_display", "gender", "birth_date", "union", "status", "left_on"]
        if obj.deidentified_on is not None:
            # De-identified by retention: the service refuses a name or phone written back, and
            # the form does not offer them.
            return ["name", "phone", *fixed, "deidentified_on"]
        return fixed

    def get_fields(self, request, obj=None):
        fields = self._fields(obj)
        if obj is not None and obj.deidentified_on is not None:
            return [*fields, "deidentified_on"]
        return fields

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
