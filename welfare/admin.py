"""The welfare admin, in Chinese, scoped to the staff user's part of the tree. Every write goes
through a service (ServiceForm.perform or an action calling one), so the admin refuses exactly
what the API and the portal refuse."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX

from common.spreadsheets import iter_rows
from members.admin_mixins import ScopedServiceAdmin, ServiceForm, TreeScopedAdmin
from members.scoping import scope_q, sees_whole_city, viewer_union
from welfare import selectors, services
from welfare.importing import CLAIM_HEADERS, ENROLMENT_HEADERS, claim_import, enrolment_import
from welfare.models import (
    AssistanceFund,
    BenefitLine,
    Claim,
    ClaimEvent,
    ClaimReceipt,
    ClaimReviewQueue,
    Concern,
    Enrolment,
    GrassrootsInvestment,
    HardshipCase,
    JobFair,
    JobFairEmployer,
    LabourRelationsSite,
    LegalAidEvent,
    LegalConsultation,
    MutualAidPlan,
    Payout,
    RecuperationParticipant,
    RecuperationProgramme,
    ServiceStation,
    StationUpgrade,
    StationVisit,
    Trainee,
    TrainingCourse,
    Visit,
    WageContract,
)
from welfare.resources import ClaimResource, ConcernResource, EnrolmentResource, PayoutResource


class InlinesAdmin(ScopedServiceAdmin):
    """ServiceFormAdmin leaves saving to the form; the inlines are saved here, each admin's
    save_formset deciding how (through a service where the inline has rules)."""

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change)


class ExportAdmin(ExportMixin):
    """Export what the changelist shows (so the tree scope holds), as .xlsx or .csv."""

    def get_export_formats(self):
        return [XLSX, CSV]


def report_errors(request, label, exc) -> None:
    text = "；".join(getattr(exc, "messages", None) or [str(exc)])
    messages.error(request, f"{label}：{text}")


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
        data = dict(self.cleaned_data)
        if self.instance.pk:
            return services.record_update(instance=self.instance, data=data, by=self.request.user)
        return services.plan_create(by=self.request.user, **data)


class BenefitLineInline(admin.TabularInline):
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
        # A plan applies to its union and everything below: staff below it see it too.
        qs = admin.ModelAdmin.get_queryset(self, request).select_related("union")
        if sees_whole_city(request.user):
            return qs
        top = viewer_union(request.user)
        if top is None:
            return qs.none()
        parts = top.path.rstrip("/").split("/")
        ancestors = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
        return qs.filter(Q(union__path__in=ancestors) | scope_q(request.user))

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
    form.fields["plan"].queryset = MutualAidPlanAdmin(
        MutualAidPlan, model_admin.admin_site
    ).get_queryset(request)
    if not with_date:
        del form.fields["enrolled_on"]
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        extra = {"enrolled_on": form.cleaned_data.get("enrolled_on")} if with_date else {}
        try:
            report = importer(
                plan=form.cleaned_data["plan"],
                table=iter_rows(upload, upload.name),
                by=request.user,
                dry_run=form.cleaned_data["dry_run"],
                preview_rows=20,
                **extra,
            )
        except (ValidationError, PermissionDenied) as exc:
            report_errors(request, _("导入失败"), exc)
        else:
            level = messages.SUCCESS if report.ok else messages.ERROR
            messages.add_message(request, level, report.summary())
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "report": report,
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
class EnrolmentAdmin(ExportAdmin, ScopedServiceAdmin):
    change_list_template = "admin/welfare/enrolment/change_list.html"  # adds 从表格导入
    resource_classes = [EnrolmentResource]
    form = EnrolmentForm
    list_display = ["member", "line", "union", "payer", "enrolled_on", "contribution"]
    list_filter = ["line__plan__year", "line__kind"]
    search_fields = ["member__name"]
    list_select_related = ["member", "line__plan", "union", "payer"]
    raw_id_fields = ["member", "payer"]
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
class ClaimAdmin(ExportAdmin, ScopedServiceAdmin):
    change_list_template = "admin/welfare/claim/change_list.html"  # adds 从表格导入
    resource_classes = [ClaimResource]
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
    raw_id_fields = ["enrolment"]
    inlines = [ClaimEventInline, ClaimReceiptInline]
    actions = ["start_review", "approve", "pay"]

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


@admin.register(ClaimReviewQueue)
class ClaimReviewQueueAdmin(ClaimAdmin):
    """待审核: open claims in the reviewer's tree, those under review first, then oldest first."""

    list_filter = ["state", "category"]

    def get_queryset(self, request):
        return selectors.claim_queue(viewer=request.user)

    def has_add_permission(self, request):
        return False


@admin.register(Payout)
class PayoutAdmin(ExportAdmin, TreeScopedAdmin):
    resource_classes = [PayoutResource]
    list_display = ["claim", "union", "amount", "paid_on", "paid_by", "bank_reference"]
    list_filter = ["paid_on"]
    search_fields = ["claim__member__name", "idempotency_key", "bank_reference"]
    list_select_related = ["claim__member", "union", "paid_by"]

    def has_add_permission(self, request):
        return False  # only claim_pay creates payouts

    def has_change_permission(self, request, obj=None):
        return False


# --- assistance and visits -----------------------------------------------------------------------


def record_form(model_class, field_names):
    """A ServiceForm for a record with its own `union`: created and changed through
    services.record_create / record_update (scope check, full_clean)."""

    class Form(ServiceForm):
        class Meta:
            model = model_class
            fields = field_names

        def perform(self):
            data = dict(self.cleaned_data)
            if self.instance.pk:
                return services.record_update(
                    instance=self.instance, data=data, by=self.request.user
                )
            union = data.pop("union")
            return services.record_create(
                model=model_class, union=union, data=data, by=self.request.user
            )

    return Form


@admin.register(AssistanceFund)
class AssistanceFundAdmin(ScopedServiceAdmin):
    form = record_form(AssistanceFund, ["union", "name", "source", "amount", "raised_on"])
    list_display = ["name", "union", "source", "amount", "raised_on", "balance"]
    list_filter = ["source", "raised_on"]
    search_fields = ["name"]

    @admin.display(description=_("余额（元）"))
    def balance(self, obj):
        return services.fund_balance(obj)


class HardshipCaseForm(ServiceForm):
    class Meta:
        model = HardshipCase
        fields = ["member", "category", "assessed_on", "assessment"]

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
class HardshipCaseAdmin(ScopedServiceAdmin):
    list_display = ["member", "union", "category", "assessed_on", "aid_amount", "fund"]
    list_filter = ["category", "assessed_on"]
    search_fields = ["member__name"]
    raw_id_fields = ["member"]
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
            "assessed_on",
            "assessment",
            *HardshipAidForm.Meta.fields,
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["member", "union", "category", "assessed_on", "assessment"] if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is AssistanceFund:
            kwargs["queryset"] = AssistanceFund.objects.filter(scope_q(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
class VisitAdmin(ScopedServiceAdmin):
    form = VisitForm
    list_display = ["member", "union", "visited_on", "occasion", "visitor", "given", "value"]
    list_filter = ["occasion", "frontline", "in_hardship", "visited_on"]
    search_fields = ["member__name", "visitor"]
    raw_id_fields = ["member"]
    list_select_related = ["member", "union"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)


# --- stations ------------------------------------------------------------------------------------


class StationUpgradeInline(admin.TabularInline):
    model = StationUpgrade
    extra = 0
    can_delete = False


class StationVisitForm(ServiceForm):
    class Meta:
        model = StationVisit
        fields = ["station", "visited_on", "member", "person_times", "note"]

    def perform(self):
        return services.station_visit_record(by=self.request.user, **self.cleaned_data)


@admin.register(ServiceStation)
class ServiceStationAdmin(InlinesAdmin):
    form = record_form(
        ServiceStation, ["union", "kind", "name", "address", "built_on", "closed_on"]
    )
    inlines = [StationUpgradeInline]
    list_display = ["name", "kind", "union", "built_on", "closed_on"]
    list_filter = ["kind", "built_on"]
    search_fields = ["name", "address"]
    list_select_related = ["union"]

    def save_formset(self, request, form, formset, change):
        # Upgrades belong to a station already saved through the service and in scope.
        formset.instance = form.instance
        formset.save()


@admin.register(StationVisit)
class StationVisitAdmin(ScopedServiceAdmin):
    form = StationVisitForm
    scope_field = "station__union"
    list_display = ["station", "visited_on", "member", "person_times"]
    list_filter = ["station__kind", "visited_on"]
    raw_id_fields = ["member"]
    list_select_related = ["station", "member"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is ServiceStation:
            kwargs["queryset"] = ServiceStation.objects.filter(scope_q(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)


# --- recuperation, employment, legal aid, contracts, investment ----------------------------------


class ParticipantInline(admin.TabularInline):
    """New participants are added through the service; those already listed stay as they are."""

    model = RecuperationParticipant
    extra = 0
    can_delete = False
    raw_id_fields = ["member"]
    readonly_fields = ["union"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RecuperationProgramme)
class RecuperationProgrammeAdmin(InlinesAdmin):
    form = record_form(
        RecuperationProgramme,
        ["union", "kind", "name", "destination", "starts_on", "ends_on", "capacity"],
    )
    inlines = [ParticipantInline]
    list_display = ["name", "kind", "union", "destination", "starts_on", "ends_on"]
    list_filter = ["kind", "starts_on"]
    search_fields = ["name"]

    def save_formset(self, request, form, formset, change):
        participants = formset.save(commit=False)
        formset.new_objects = []
        for participant in participants:
            try:
                formset.new_objects.append(
                    services.recuperation_participant_add(
                        programme=form.instance, member=participant.member, by=request.user
                    )
                )
            except (ValidationError, PermissionDenied) as exc:
                report_errors(request, participant.member.name, exc)


class EmployerInline(admin.TabularInline):
    model = JobFairEmployer
    extra = 0
    raw_id_fields = ["enterprise"]


@admin.register(JobFair)
class JobFairAdmin(InlinesAdmin):
    form = record_form(JobFair, ["union", "title", "held_on", "place", "online", "attendance"])
    inlines = [EmployerInline]
    list_display = ["title", "union", "held_on", "online", "attendance"]
    list_filter = ["held_on", "online"]
    search_fields = ["title"]

    def save_formset(self, request, form, formset, change):
        formset.instance = form.instance
        formset.save()


class TraineeInline(admin.TabularInline):
    model = Trainee
    extra = 0
    can_delete = False
    raw_id_fields = ["member"]


@admin.register(TrainingCourse)
class TrainingCourseAdmin(InlinesAdmin):
    form = record_form(TrainingCourse, ["union", "title", "trade", "starts_on", "ends_on"])
    inlines = [TraineeInline]
    list_display = ["title", "union", "trade", "starts_on", "ends_on"]
    list_filter = ["starts_on"]
    search_fields = ["title"]

    def save_formset(self, request, form, formset, change):
        formset.instance = form.instance
        formset.save()


@admin.register(LegalAidEvent)
class LegalAidEventAdmin(ScopedServiceAdmin):
    form = record_form(LegalAidEvent, ["union", "kind", "title", "held_on", "person_times"])
    list_display = ["title", "kind", "union", "held_on", "person_times"]
    list_filter = ["kind", "held_on"]
    search_fields = ["title"]


@admin.register(LegalConsultation)
class LegalConsultationAdmin(ScopedServiceAdmin):
    form = record_form(
        LegalConsultation, ["union", "event", "member", "asked_on", "topic", "advice", "lawyer"]
    )
    list_display = ["topic", "union", "asked_on", "lawyer"]
    list_filter = ["asked_on"]
    raw_id_fields = ["member", "event"]


@admin.register(LabourRelationsSite)
class LabourRelationsSiteAdmin(ScopedServiceAdmin):
    form = record_form(LabourRelationsSite, ["union", "name", "level", "recognised_on"])
    list_display = ["name", "level", "union", "recognised_on"]
    list_filter = ["level", "recognised_on"]


class WageContractForm(ServiceForm):
    class Meta:
        model = WageContract
        fields = ["enterprise", "signed_on", "expires_on", "employees_covered"]

    def perform(self):
        if self.instance.pk:
            return services.record_update(
                instance=self.instance, data=dict(self.cleaned_data), by=self.request.user
            )
        return services.wage_contract_sign(by=self.request.user, **self.cleaned_data)


@admin.register(WageContract)
class WageContractAdmin(ScopedServiceAdmin):
    form = WageContractForm
    list_display = ["enterprise", "union", "signed_on", "expires_on", "employees_covered"]
    list_filter = ["signed_on", "enterprise__above_designated_size"]
    search_fields = ["enterprise__name"]
    raw_id_fields = ["enterprise"]
    list_select_related = ["enterprise", "union"]


@admin.register(GrassrootsInvestment)
class GrassrootsInvestmentAdmin(ScopedServiceAdmin):
    form = record_form(GrassrootsInvestment, ["union", "project", "spent_on", "amount"])
    list_display = ["project", "union", "spent_on", "amount"]
    list_filter = ["spent_on"]
    search_fields = ["project"]


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
    raw_id_fields = ["member"]

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
