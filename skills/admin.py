"""The skills records in the admin, in Chinese, scoped to the staff user's part of the tree. Every
form saves through a service (skills/services.py), so the admin enforces the same rules as the
API and the importers."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX

from common.importing import SpreadsheetError
from common.spreadsheets import iter_rows
from members.admin_mixins import ScopedServiceAdmin, ScopedTabularInline, ServiceForm
from skills import selectors, services
from skills.importing import RESULT_HEADERS, entry_results_import
from skills.models import (
    Competition,
    CompetitionEntry,
    CraftsmanAcademy,
    CraftsmanVisit,
    GoldenIdea,
    Honour,
    InnovationResult,
    InnovationStudio,
    SkillCertification,
    SkillSession,
    StudioAlliance,
    TechnicalProblem,
)
from skills.resources import EntryResource, HonourResource


def _errors(exc: Exception) -> str:
    return "；".join(getattr(exc, "messages", None) or [str(exc)])


class EntityForm(ServiceForm):
    """Saves one entity through its own services: `create(**fields, by=...)` for a new record,
    `update(<instance_name>=record, data=<the changed fields>, by=...)` for a change (the service
    lists what may be edited)."""

    create = None
    update = None
    instance_name = ""

    def perform(self):
        by, data = self.request.user, dict(self.cleaned_data)
        if self.instance.pk:
            changed = {name: value for name, value in data.items() if name in self.changed_data}
            return type(self).update(**{self.instance_name: self.instance}, data=changed, by=by)
        return type(self).create(**data, by=by)


def entity_form(model, fields, create, update, instance_name):
    """The admin form of one entity, saving through that entity's two services."""
    meta = type("Meta", (), {"model": model, "fields": fields})
    return type(
        f"{model.__name__}Form",
        (EntityForm,),
        {
            "Meta": meta,
            "create": staticmethod(create),
            "update": staticmethod(update),
            "instance_name": instance_name,
        },
    )


class RecordAdmin(ScopedServiceAdmin):
    list_select_related = ["union"]

    def get_export_formats(self):
        return [XLSX, CSV]


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
    autocomplete_fields = ["union"]
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

    def _page(self, request, competition, form, title, report=None):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "competition": competition,
            "form": form,
            "report": report,
            "headers": RESULT_HEADERS,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/skills/competition/form_page.html", context)

    def results_view(self, request, pk):
        competition = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, competition):
            raise PermissionDenied
        report = None
        form = ResultsUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = entry_results_import(
                    competition=competition,
                    table=iter_rows(upload.file, upload.name),
                    by=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                )
            except (SpreadsheetError, ValidationError, PermissionDenied) as exc:
                form.add_error("file", _errors(exc))
            else:
                level = messages.SUCCESS if report.ok else messages.ERROR
                messages.add_message(request, level, report.summary())
        return self._page(request, competition, form, _("导入竞赛成绩"), report)

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
class CompetitionEntryAdmin(ExportMixin, ScopedServiceAdmin):
    form = EntryForm
    resource_classes = [EntryResource]
    list_display = ["member", "competition", "union", "score", "rank", "award"]
    list_filter = ["award", "competition__level"]
    search_fields = ["member__name", "competition__name"]
    list_select_related = ["member", "competition", "union"]
    # A city competition is entered from below, so it is a select of what the clerk may name
    # (the competition admin's autocomplete lists only their own tree).
    autocomplete_fields = ["member"]

    def get_export_formats(self):
        return [XLSX, CSV]

    def get_queryset(self, request):
        # Both the organiser's tree and the entrant's tree see an entry.
        return selectors.entry_list(viewer=request.user)

    def get_readonly_fields(self, request, obj=None):
        return ["competition", "member", "union", "rank"] if obj else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return EntryForm.Meta.fields
        return ["competition", "member", "union", "score", "rank", "award"]


# --- honours -----------------------------------------------------------------------------------


class HonourForm(EntityForm):
    create = staticmethod(services.honour_award)
    update = staticmethod(services.honour_update)
    instance_name = "honour"

    class Meta:
        model = Honour
        fields = [
            "kind",
            "year",
            "awarding_body",
            "member",
            "collective_name",
            "enterprise",
            "union",
            "competition",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A read-only viewer (leadership) gets a form without fields: nothing to adjust.
        if "union" in self.fields:
            self.fields["union"].required = False
            self.fields["union"].help_text = _("个人称号不填，取获得者所属工会")


@admin.register(Honour)
class HonourAdmin(ExportMixin, RecordAdmin):
    form = HonourForm
    resource_classes = [HonourResource]
    list_display = ["kind", "year", "holder", "enterprise", "union", "awarding_body", "competition"]
    list_filter = ["kind", "year"]
    search_fields = ["member__name", "collective_name", "awarding_body"]
    list_select_related = ["member", "enterprise", "union", "competition"]
    autocomplete_fields = ["member", "enterprise", "union"]

    def get_readonly_fields(self, request, obj=None):
        # Who holds which title is what the honour is; a wrong one is recorded anew.
        return ["kind", "member", "union"] if obj else []

    @admin.display(description=_("获得者"))
    def holder(self, obj):
        return obj.member.name if obj.member_id else obj.collective_name


# --- talents, sessions and the rest ------------------------------------------------------------


class CertificationForm(EntityForm):
    create = staticmethod(services.skill_certification_register)
    update = staticmethod(services.skill_certification_update)
    instance_name = "certification"

    class Meta:
        model = SkillCertification
        fields = ["member", "level", "occupation", "certified_on", "certificate_no"]


@admin.register(SkillCertification)
class SkillCertificationAdmin(RecordAdmin):
    form = CertificationForm
    list_display = ["member", "level", "occupation", "certified_on", "union"]
    list_filter = ["level"]
    search_fields = ["member__name", "occupation", "certificate_no"]
    list_select_related = ["member", "union"]
    autocomplete_fields = ["member"]
    date_hierarchy = "certified_on"

    def get_readonly_fields(self, request, obj=None):
        return ["member"] if obj else []


class SessionForm(EntityForm):
    create = staticmethod(services.skill_session_record)
    update = staticmethod(services.skill_session_update)
    instance_name = "session"

    class Meta:
        model = SkillSession
        fields = ["kind", "title", "union", "enterprise", "occupation", "held_on", "headcount"]


@admin.register(SkillSession)
class SkillSessionAdmin(RecordAdmin):
    form = SessionForm
    list_display = ["title", "kind", "union", "held_on", "headcount"]
    list_filter = ["kind"]
    search_fields = ["title", "occupation"]
    autocomplete_fields = ["union", "enterprise"]
    date_hierarchy = "held_on"


@admin.register(CraftsmanAcademy)
class CraftsmanAcademyAdmin(RecordAdmin):
    form = entity_form(
        CraftsmanAcademy,
        services.ACADEMY_FIELDS,
        services.academy_create,
        services.academy_update,
        "academy",
    )
    autocomplete_fields = ["union"]
    fields = ["name", "level", "union", "host", "established_on", "closed_on"]
    list_display = ["name", "level", "union", "established_on", "closed_on"]
    list_filter = ["level"]
    search_fields = ["name"]


@admin.register(StudioAlliance)
class StudioAllianceAdmin(RecordAdmin):
    form = entity_form(
        StudioAlliance,
        services.ALLIANCE_FIELDS,
        services.alliance_create,
        services.alliance_update,
        "alliance",
    )
    autocomplete_fields = ["leader_enterprise", "union"]
    fields = ["name", "industry_chain", "leader_enterprise", "union", "founded_on"]
    list_display = ["name", "industry_chain", "leader_enterprise", "union", "founded_on"]
    search_fields = ["name", "industry_chain"]
    list_select_related = ["union", "leader_enterprise"]


@admin.register(InnovationStudio)
class InnovationStudioAdmin(RecordAdmin):
    form = entity_form(
        InnovationStudio,
        services.STUDIO_FIELDS,
        services.studio_create,
        services.studio_update,
        "studio",
    )
    autocomplete_fields = ["union", "enterprise", "leader"]
    fields = [
        "name",
        "kind",
        "level",
        "recognised_year",
        "union",
        "enterprise",
        "leader",
        "alliance",
    ]
    list_display = ["name", "kind", "level", "recognised_year", "union", "alliance"]
    list_filter = ["kind", "level", "recognised_year"]
    search_fields = ["name"]
    list_select_related = ["union", "alliance"]


@admin.register(CraftsmanVisit)
class CraftsmanVisitAdmin(RecordAdmin):
    form = entity_form(
        CraftsmanVisit, services.VISIT_FIELDS, services.visit_record, services.visit_update, "visit"
    )
    autocomplete_fields = ["union", "enterprise"]
    fields = ["title", "union", "enterprise", "held_on", "experts"]
    list_display = ["title", "union", "enterprise", "held_on"]
    search_fields = ["title", "experts"]
    date_hierarchy = "held_on"
    list_select_related = ["union", "enterprise"]


class IdeaStatusForm(ServiceForm):
    class Meta:
        model = GoldenIdea
        fields = ["status"]

    def perform(self):
        if "status" not in self.changed_data:
            return self.instance
        return services.golden_idea_set_status(
            idea=self.instance, status=self.cleaned_data["status"], by=self.request.user
        )


class IdeaAddForm(ServiceForm):
    class Meta:
        model = GoldenIdea
        fields = ["member", "title", "content", "submitted_on"]

    def perform(self):
        data = self.cleaned_data
        return services.golden_idea_record(
            member=data["member"],
            title=data["title"],
            content=data["content"],
            submitted_on=data["submitted_on"],
            by=self.request.user,
        )


@admin.register(GoldenIdea)
class GoldenIdeaAdmin(ScopedServiceAdmin):
    list_display = ["title", "member", "union", "submitted_on", "status"]
    list_filter = ["status"]
    search_fields = ["title", "member__name"]
    list_select_related = ["member", "union"]
    autocomplete_fields = ["member"]
    date_hierarchy = "submitted_on"

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = IdeaStatusForm if obj else IdeaAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return IdeaAddForm.Meta.fields
        return ["member", "union", "title", "content", "submitted_on", "status"]

    def get_readonly_fields(self, request, obj=None):
        return ["member", "union", "title", "content", "submitted_on"] if obj else []


@admin.register(InnovationResult)
class InnovationResultAdmin(RecordAdmin):
    form = entity_form(
        InnovationResult,
        services.RESULT_FIELDS,
        services.result_record,
        services.result_update,
        "result",
    )
    autocomplete_fields = ["union", "enterprise", "member"]
    fields = ["title", "kind", "union", "enterprise", "member", "studio", "idea", "achieved_on"]
    list_display = ["title", "kind", "union", "enterprise", "achieved_on"]
    list_filter = ["kind"]
    search_fields = ["title"]
    date_hierarchy = "achieved_on"
    list_select_related = ["union", "enterprise"]


@admin.register(TechnicalProblem)
class TechnicalProblemAdmin(RecordAdmin):
    form = entity_form(
        TechnicalProblem,
        services.PROBLEM_FIELDS,
        services.problem_record,
        services.problem_update,
        "problem",
    )
    autocomplete_fields = ["enterprise", "union"]
    fields = ["title", "enterprise", "union", "solved_on", "solver", "visit", "studio"]
    list_display = ["title", "enterprise", "union", "solved_on"]
    search_fields = ["title", "solver"]
    date_hierarchy = "solved_on"
    list_select_related = ["union", "enterprise"]
