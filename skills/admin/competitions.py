"""Competitions and their entrants in the admin, with the results upload and the 技术能手 award."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from common.admin_exports import JobExportMixin
from common.error_file import error_file_answer, error_file_for_upload, wants_error_file
from common.importing import SpreadsheetError
from common.models import ExportJob
from common.spreadsheets import iter_rows
from members.admin_mixins import ScopedServiceAdmin, ScopedTabularInline, ServiceForm
from skills import selectors, services
from skills.admin._common import RecordAdmin, _errors, entity_form
from skills.importing import RESULT_HEADERS, entry_results_import
from skills.models import (
    Competition,
    CompetitionEntry,
)
from skills.resources import EntryResource

# --- competitions and entries ------------------------------------------------------------------


class EntryInline(ScopedTabularInline):
    model = CompetitionEntry
    fields = ["member", "union", "score", "rank", "award"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    ordering = ["rank", "id"]


class ResultsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("成绩表"),
        help_text=_("Excel(.xlsx) 或 CSV，第1行为表头：姓名、公民身份号码、成绩、奖项"),
    )
    dry_run = forms.BooleanField(label=_("仅试导入（不写入）"), required=False, initial=True)


class ExpertsAwardForm(forms.Form):
    top_n = forms.IntegerField(label=_("授予前N名"), min_value=1, max_value=1000)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    awarding_body = forms.CharField(
        label=_("授予单位"), max_length=200, initial=services.TECHNICAL_EXPERT_BODY
    )


@admin.register(Competition)
class CompetitionAdmin(RecordAdmin):
    form = entity_form(
        Competition,
        services.COMPETITION_FIELDS,
        services.competition_create,
        services.competition_update,
        "competition",
    )
    fields = services.COMPETITION_FIELDS
    autocomplete_fields = ["union", "host_union"]
    list_display = [
        "name",
        "series",
        "level",
        "occupation",
        "union",
        "start_date",
        "end_date",
        "is_merit",
        "provincial_demo_year",
    ]
    list_filter = ["level", "series", "is_merit"]
    search_fields = ["name", "occupation", "key_project"]
    date_hierarchy = "start_date"
    inlines = [EntryInline]
    actions = ["rank_by_score"]
    change_form_template = "admin/skills/competition/change_form.html"

    def save_related(self, request, form, formsets, change):
        # The entrants inline is read-only (results come in through their own service), so
        # nothing is saved from it; the change message still asks what it saved.
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    @admin.action(description=_("按成绩排定名次"), permissions=["change"])
    def rank_by_score(self, request, queryset):
        for competition in queryset:
            try:
                n = services.competition_rank(competition=competition, by=request.user)
                messages.success(
                    request, _("%(c)s：%(n)d名选手已排名。") % {"c": competition, "n": n}
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, f"{competition}：{_errors(exc)}")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/results/",
                view(self.results_view),
                name="skills_competition_results",
            ),
            path(
                "<int:pk>/experts/",
                view(self.experts_view),
                name="skills_competition_experts",
            ),
            *super().get_urls(),
        ]

    def _page(self, request, competition, form, title, report=None, upload=None):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "competition": competition,
            "form": form,
            "report": report,
            "error_file": error_file_for_upload(upload, report),
            "headers": RESULT_HEADERS,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/skills/competition/form_page.html", context)

    def results_view(self, request, pk):
        competition = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, competition):
            raise PermissionDenied
        report = None
        upload = None
        form = ResultsUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = entry_results_import(
                    competition=competition,
                    table=iter_rows(upload.file, upload.name),
                    by=request.user,
                    dry_run=form.cleaned_data["dry_run"] or wants_error_file(request),
                )
            except (SpreadsheetError, ValidationError, PermissionDenied) as exc:
                form.add_error("file", _errors(exc))
            else:
                if answer := error_file_answer(request, upload, report):
                    return answer
                level = messages.SUCCESS if report.ok else messages.ERROR
                messages.add_message(request, level, report.summary())
        return self._page(request, competition, form, _("导入竞赛成绩"), report, upload)

    def experts_view(self, request, pk):
        competition = get_object_or_404(self.get_queryset(request), pk=pk)
        if not request.user.has_perm("skills.add_honour"):
            raise PermissionDenied
        form = ExpertsAwardForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                created = services.technical_experts_award(
                    competition=competition,
                    top_n=form.cleaned_data["top_n"],
                    year=form.cleaned_data["year"],
                    awarding_body=form.cleaned_data["awarding_body"],
                    by=request.user,
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(
                    request,
                    _("新授予“技术能手”%(n)d名（已获得者不重复授予）。") % {"n": len(created)},
                )
                return redirect(reverse("admin:skills_competition_change", args=[pk]))
        return self._page(request, competition, form, _("授予技术能手"))


class EntryForm(ServiceForm):
    class Meta:
        model = CompetitionEntry
        fields = ["competition", "member", "score", "award"]

    def perform(self):
        data, by = self.cleaned_data, self.request.user
        if self.instance.pk:
            return services.entry_set_result(
                entry=self.instance, score=data["score"], award=data["award"], by=by
            )
        return services.entry_record(
            competition=data["competition"],
            member=data["member"],
            score=data["score"],
            award=data["award"],
            by=by,
        )


@admin.register(CompetitionEntry)
class CompetitionEntryAdmin(JobExportMixin, ScopedServiceAdmin):
    form = EntryForm
    resource_classes = [EntryResource]
    export_kind = ExportJob.Kind.ENTRIES
    list_display = ["member", "competition", "union", "score", "rank", "award"]
    list_filter = ["award", "competition__level"]
    search_fields = ["member__name", "competition__name"]
    list_select_related = ["member", "competition", "union"]
    # A city competition is entered from below, so it is a select of what the clerk may name
    # (the competition admin's autocomplete lists only their own tree).
    autocomplete_fields = ["member"]

    def get_queryset(self, request):
        # Both the organiser's tree and the entrant's tree see an entry.
        return selectors.entry_list(viewer=request.user)

    def get_readonly_fields(self, request, obj=None):
        return ["competition", "member", "union", "rank"] if obj else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return EntryForm.Meta.fields
        return ["competition", "member", "union", "score", "rank", "award"]
