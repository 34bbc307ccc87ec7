"""劳模工匠助企行 visits in the admin."""

from django.contrib import admin

from skills import services
from skills.admin._common import RecordAdmin, entity_form
from skills.models import (
    CraftsmanVisit,
)


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
