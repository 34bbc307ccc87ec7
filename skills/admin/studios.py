"""Craftsman academies, studio alliances and innovation studios in the admin."""

from django.contrib import admin

from skills import services
from skills.admin._common import RecordAdmin, entity_form
from skills.models import (
    CraftsmanAcademy,
    InnovationStudio,
    StudioAlliance,
)


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
