"""Golden ideas, innovation results and technical problems in the admin."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from members.admin_mixins import ScopedServiceAdmin, ServiceForm
from skills import services
from skills.admin._common import RecordAdmin, entity_form
from skills.models import (
    GoldenIdea,
    InnovationResult,
    TechnicalProblem,
)
from skills.photos import idea_photo_response


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
        return ["member", "union", "title", "content", "photo_shown", "submitted_on", "status"]

    def get_readonly_fields(self, request, obj=None):
        return ["member", "union", "title", "content", "photo_shown", "submitted_on"] if obj else []

    @admin.display(description=_("照片"))
    def photo_shown(self, obj):
        if not obj.photo:
            return _("（未附照片）")
        url = reverse("admin:skills_goldenidea_photo", args=[obj.pk])
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" style="max-width:480px;height:auto"></a>',
            url,
            url,
            _("金点子照片"),
        )

    def get_urls(self):
        extra = [
            path(
                "<int:pk>/photo/",
                self.admin_site.admin_view(self.photo_view),
                name="skills_goldenidea_photo",
            )
        ]
        return extra + super().get_urls()

    def photo_view(self, request, pk: int):
        # Only an idea in the clerk's tree can be named (404 otherwise, like a missing one).
        idea = get_object_or_404(self.get_queryset(request).exclude(photo=""), pk=pk)
        if not self.has_view_permission(request, idea):
            raise PermissionDenied
        return idea_photo_response(idea)


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
