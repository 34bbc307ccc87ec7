"""Admin for mutual aid (职工医疗互助): plans, benefit lines, enrolments, claims and payouts."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from common.error_file import error_file_answer, error_file_for_upload, wants_error_file
from common.models import ExportJob
from common.spreadsheets import iter_rows
from members.admin_mixins import (
    ScopedHistoryAdmin,
    ScopedServiceAdmin,
    ScopedTabularInline,
    ServiceForm,
    TreeScopedAdmin,
    scope_form_references,
)
from members.scoping import references
from welfare import selectors, services
from welfare.admin._common import ExportAdmin, InlinesAdmin, report_errors
from welfare.importing import CLAIM_HEADERS, ENROLMENT_HEADERS, claim_import, enrolment_import
from welfare.models import (
    BenefitLine,
    Claim,
    ClaimEvent,
    ClaimReceipt,
    ClaimReviewQueue,
    Enrolment,
    MutualAidPlan,
    Payout,
    PayoutBatch,
)
from welfare.resources import ClaimResource, EnrolmentResource, PayoutResource
from welfare.services.mutual_aid import PLAN_EDITABLE


class ReferenceInitialMixin:
    """An add page's query string (`?member=…`, `?enrolment=…`) pre-fills a reference; a value
    that is not an id of the target at all is dropped here, as the autocomplete widget would
    otherwise look it up as given and fail (a 500). An id out of the clerk's scope is left to the
    scoped form field, which renders no label for it."""

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not field.is_relation or not field.many_to_one:
                continue
            try:
                field.target_field.to_python(value)
                if "\x00" in str(value):
                    raise ValidationError("NUL")
            except ValidationError:
                del initial[name]
        return initial


# --- plans --------------------------------------------------------------------------------------


class PlanForm(ServiceForm):
    class Meta:
        model = MutualAidPlan
        fields = [
            "union",
            "year",
            "name",
            "period_start",
            "period_end",
            "enrolment_opens",
            "enrolment_closes",
        ]

    def perform(self):
        data = {k: v for k, v in self.cleaned_data.items() if k in self.fields}
        if self.instance.pk:
            # The organiser and the year are shown, not edited (see PLAN_EDITABLE).
            data = {k: v for k, v in data.items() if k in PLAN_EDITABLE}
            return services.plan_update(plan=self.instance, data=data, by=self.request.user)
        return services.plan_create(by=self.request.user, **data)


class BenefitLineInline(ScopedTabularInline):
    model = BenefitLine
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        # The rules of a plan with claims on it are fixed: amounts already granted rest on them.
        if obj is not None and Claim.objects.filter(enrolment__line__plan=obj).exists():
            return False
        return super().has_change_permission(request, obj)


@admin.register(MutualAidPlan)
class MutualAidPlanAdmin(InlinesAdmin):
    form = PlanForm
    inlines = [BenefitLineInline]
    list_display = ["name", "year", "union", "enrolment_opens", "enrolment_closes"]
    list_filter = ["year"]

    def get_queryset(self, request):
        # A plan applies to its union and everything below: staff below it see it too. The one
        # rule for plans (members.scoping.reaching_scope), as in the API and the import page.
        return references(MutualAidPlan, request.user).select_related("union")

    def get_readonly_fields(self, request, obj=None):
        return ["union", "year"] if obj else []

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads these; the service calls below fill them.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for line_form in formset.forms:
            if not line_form.has_changed() or line_form.cleaned_data.get("DELETE"):
                continue
            data = {k: v for k, v in line_form.cleaned_data.items() if k in BENEFIT_FIELDS}
            try:
                if line_form.instance.pk:
                    line = services.benefit_line_update(
                        line=line_form.instance, data=data, by=request.user
                    )
                    formset.changed_objects.append((line, list(data)))
                else:
                    line = services.benefit_line_create(plan=form.instance, by=request.user, **data)
                    formset.new_objects.append(line)
            except (ValidationError, PermissionDenied) as exc:
                report_errors(request, data.get("name", ""), exc)


BENEFIT_FIELDS = {
    "kind",
    "name",
    "contribution",
    "deductible",
    "reimbursement_rate",
    "annual_cap",
    "claim_deadline",
}


# --- enrolments and the roster import --------------------------------------------------------


class EnrolmentForm(ServiceForm):
    class Meta:
        model = Enrolment
        fields = ["member", "line", "enrolled_on", "payer"]

    def perform(self):
        data = self.cleaned_data
        return services.enrolment_create(
            member=data["member"],
            line=data["line"],
            enrolled_on=data.get("enrolled_on"),
            payer=data.get("payer"),
            by=self.request.user,
        )


def import_page(model_admin, request, *, importer, title, headers, hint, with_date=False):
    """The admin page for a spreadsheet import: choose the plan and the file, try it, import it."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = EnrolmentImportForm(request.POST or None, request.FILES or None)
    scope_form_references(form, request.user)  # plans that reach the clerk, as everywhere
    if not with_date:
        del form.fields["enrolled_on"]
    report = None
    upload = None
    checking = wants_error_file(request)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        extra = {"enrolled_on": form.cleaned_data.get("enrolled_on")} if with_date else {}
        try:
            report = importer(
                plan=form.cleaned_data["plan"],
                table=iter_rows(upload, upload.name),
                by=request.user,
                dry_run=form.cleaned_data["dry_run"] or checking,
                preview_rows=20,
                **extra,
            )
        except (ValidationError, PermissionDenied) as exc:
            report_errors(request, _("导入失败"), exc)
        else:
            if answer := error_file_answer(request, upload, report):
                return answer
            level = messages.SUCCESS if report.ok else messages.ERROR
            messages.add_message(request, level, report.summary())
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "report": report,
        "error_file": error_file_for_upload(upload, report),
        "headers": headers,
        "hint": hint,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/welfare/import.html", context)


class EnrolmentImportForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("年度方案"), queryset=MutualAidPlan.objects.all())
    file = forms.FileField(label=_("参保名单（.xlsx 或 .csv）"))
    enrolled_on = forms.DateField(label=_("参保日期"), required=False, help_text=_("默认为今天"))
    dry_run = forms.BooleanField(label=_("仅试导入（不写入）"), required=False, initial=True)


@admin.register(Enrolment)
class EnrolmentAdmin(ReferenceInitialMixin, ExportAdmin, ScopedServiceAdmin):
    change_list_template = "admin/welfare/enrolment/change_list.html"  # adds 从表格导入
    resource_classes = [EnrolmentResource]
    export_kind = ExportJob.Kind.ENROLMENTS
    form = EnrolmentForm
    list_display = ["member", "line", "union", "payer", "enrolled_on", "contribution"]
    list_filter = ["line__plan__year", "line__kind"]
    search_fields = ["member__name"]
    list_select_related = ["member", "line__plan", "union", "payer"]
    # Not raw_id_fields (their label is looked up unscoped): these list and label only what the
    # clerk may name. The line is a plain select of the plans that reach them.
    autocomplete_fields = ["member", "payer"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return ["member", "line", "enrolled_on", "payer"] if obj else []

    def get_urls(self):
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="welfare_enrolment_import",
            )
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        return import_page(
            self,
            request,
            importer=enrolment_import,
            title=_("导入互助参保名单"),
            headers=ENROLMENT_HEADERS,
            hint=_(
                "“互助项目”填项目名称，如“住院医疗互助”；“参保日期”可留空（默认为下方所填日期或今天）。"
            ),
            with_date=True,
        )


# --- claims -------------------------------------------------------------------------------------


class ClaimEventInline(admin.TabularInline):
    model = ClaimEvent
    extra = 0
    can_delete = False
    fields = ["at", "by", "by_member", "from_state", "to_state", "amount", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ClaimReceiptInline(admin.TabularInline):
    model = ClaimReceipt
    extra = 0
    can_delete = False
    fields = ["original_name", "content_type", "size", "file", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ClaimForm(ServiceForm):
    class Meta:
        model = Claim
        fields = [
            "enrolment",
            "admitted_on",
            "discharged_on",
            "hospital",
            "category",
            "diagnosis",
            "total_expenses",
            "eligible_expenses",
        ]

    def perform(self):
        return services.claim_submit(by=self.request.user, **self.cleaned_data)


class ClaimDecisionForm(ServiceForm):
    """The reviewer's decision on the claim's own page."""

    decision = forms.ChoiceField(
        label=_("审核意见"),
        required=False,
        choices=[
            ("", "---------"),
            ("start_review", _("开始审核")),
            ("approve", _("核准（按规则计算金额）")),
            ("reject", _("不予补助")),
            ("pay", _("发放互助金")),
        ],
    )
    reason = forms.CharField(
        label=_("不予补助理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    receipt = forms.FileField(label=_("补充票据（PDF/JPG/PNG）"), required=False)

    class Meta:
        model = Claim
        fields = []

    def perform(self):
        claim, by = self.instance, self.request.user
        if upload := self.cleaned_data.get("receipt"):
            services.receipt_upload(claim=claim, upload=upload, by=by)
        match self.cleaned_data.get("decision"):
            case "start_review":
                return services.claim_start_review(claim=claim, by=by)
            case "approve":
                return services.claim_approve(claim=claim, by=by)
            case "reject":
                return services.claim_reject(claim=claim, reason=self.cleaned_data["reason"], by=by)
            case "pay":
                # One key per claim: a resubmitted form finds the first payout, never a second.
                services.claim_pay(claim=claim, idempotency_key=f"admin-claim-{claim.pk}", by=by)
        return claim


CLAIM_READONLY = [
    "member",
    "enrolment",
    "union",
    "admitted_on",
    "discharged_on",
    "hospital",
    "category",
    "diagnosis",
    "total_expenses",
    "eligible_expenses",
    "allowed_amount",
    "state",
    "rejection_reason",
    "submitted_at",
    "reviewer",
    "decided_at",
]


@admin.register(Claim)
class ClaimAdmin(ScopedHistoryAdmin, ReferenceInitialMixin, ExportAdmin, ScopedServiceAdmin):
    change_list_template = "admin/welfare/claim/change_list.html"  # adds 从表格导入
    resource_classes = [ClaimResource]
    export_kind = ExportJob.Kind.CLAIMS
    list_display = [
        "member",
        "union",
        "hospital",
        "admitted_on",
        "eligible_expenses",
        "allowed_amount",
        "state",
        "submitted_at",
    ]
    list_filter = ["state", "category", "enrolment__line__plan__year"]
    search_fields = ["member__name", "hospital"]
    list_select_related = ["member", "union"]
    # Searched in EnrolmentAdmin, whose list is the clerk's tree (never a raw id: its label
    # names the member and their cover, unscoped).
    autocomplete_fields = ["enrolment"]
    inlines = [ClaimEventInline, ClaimReceiptInline]
    actions = ["start_review", "approve", "pay", "pay_by_bank_batch"]

    def get_urls(self):
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"welfare_{self.model._meta.model_name}_import",
            )
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        return import_page(
            self,
            request,
            importer=claim_import,
            title=_("导入互助申请"),
            headers=CLAIM_HEADERS,
            hint=_("金额以元为单位；“就诊类别”填住院、日间手术、门诊特殊病种或重大疾病。"),
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = ClaimDecisionForm if obj else ClaimForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ClaimForm.Meta.fields
        return [*CLAIM_READONLY, "decision", "reason", "receipt"]

    def get_readonly_fields(self, request, obj=None):
        return CLAIM_READONLY if obj else []

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def _each(self, request, queryset, call, done_text):
        done = 0
        for claim in queryset:
            try:
                call(claim)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                report_errors(request, str(claim), exc)
        if done:
            messages.success(request, done_text % {"n": done})

    @admin.action(description=_("开始审核所选申请"), permissions=["change"])
    def start_review(self, request, queryset):
        self._each(
            request,
            queryset.order_by("pk"),
            lambda c: services.claim_start_review(claim=c, by=request.user),
            _("%(n)d笔申请已开始审核。"),
        )

    @admin.action(description=_("核准所选申请（按规则计算金额）"), permissions=["change"])
    def approve(self, request, queryset):
        self._each(
            request,
            queryset.order_by("pk"),
            lambda c: services.claim_approve(claim=c, by=request.user),
            _("%(n)d笔申请已核准。"),
        )

    @admin.action(description=_("发放所选申请的互助金"), permissions=["change"])
    def pay(self, request, queryset):
        self._each(
            request,
            queryset.order_by("pk"),
            lambda c: services.claim_pay(
                claim=c, idempotency_key=f"admin-claim-{c.pk}", by=request.user
            ),
            _("%(n)d笔互助金已发放（已发放的不会重复发放）。"),
        )

    @admin.action(
        description=_("生成银行代发批次（所选已核准申请，同一方案）"), permissions=["change"]
    )
    def pay_by_bank_batch(self, request, queryset):
        """One 代发 batch for the chosen approved claims, then the batch's page with its file."""
        try:
            batch = services.payout_batch_create(claims=list(queryset), by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            report_errors(request, str(_("代发批次")), exc)
            return None
        messages.success(
            request,
            _("已生成%(b)s：%(n)d笔，合计%(t)s元。请下载代发文件交银行办理。")
            % {"b": batch, "n": batch.count, "t": batch.total},
        )
        return HttpResponseRedirect(reverse("admin:welfare_payoutbatch_change", args=[batch.pk]))


@admin.register(ClaimReviewQueue)
class ClaimReviewQueueAdmin(ClaimAdmin):
    """待审核: open claims in the reviewer's tree, those under review first, then oldest first."""

    list_filter = ["state", "category"]

    def get_queryset(self, request):
        return selectors.claim_queue(viewer=request.user)

    def has_add_permission(self, request):
        return False


@admin.register(Payout)
class PayoutAdmin(ScopedHistoryAdmin, ExportAdmin, TreeScopedAdmin):
    resource_classes = [PayoutResource]
    export_kind = ExportJob.Kind.PAYOUTS
    list_display = ["claim", "union", "amount", "paid_on", "paid_by", "bank_reference"]
    list_filter = ["paid_on"]
    search_fields = ["claim__member__name", "idempotency_key", "bank_reference"]
    list_select_related = ["claim__member", "union", "paid_by"]

    def has_add_permission(self, request):
        return False  # only claim_pay creates payouts

    def has_change_permission(self, request, obj=None):
        return False


class BatchPayoutInline(admin.TabularInline):
    model = Payout
    fields = ["claim", "amount", "paid_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PayoutBatch)
class PayoutBatchAdmin(TreeScopedAdmin):
    """代发批次: made by the claim list's action; here only read and its file downloaded (each
    download recorded: the file carries the full card numbers)."""

    list_display = ["__str__", "union", "count", "total", "created_at", "created_by"]
    list_filter = ["plan__year"]
    list_select_related = ["plan", "union", "created_by"]
    readonly_fields = ["plan", "union", "number", "count", "total", "created_at", "created_by"]
    fields = readonly_fields
    inlines = [BatchPayoutInline]
    change_form_template = "admin/welfare/payoutbatch/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a batch is what was paid: read, never edited

    def get_urls(self):
        extra = [
            path(
                "<int:pk>/file/",
                self.admin_site.admin_view(self.file_view),
                name="welfare_payoutbatch_file",
            )
        ]
        return extra + super().get_urls()

    def file_view(self, request, pk: int):
        # Only a batch in the clerk's tree can be named (404 otherwise, like a missing one).
        batch = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, batch):
            raise PermissionDenied
        data = services.payout_batch_export(batch=batch, by=request.user)
        response = HttpResponse(
            data,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = services.payout_batch_filename(batch)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response
