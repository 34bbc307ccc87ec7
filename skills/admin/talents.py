"""Skilled-talent certifications, training sessions and job drills in the admin."""

from django.contrib import admin

from skills import services
from skills.admin._common import EntityForm, RecordAdmin
from skills.models import (
    SkillCertification,
    SkillSession,
)

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
