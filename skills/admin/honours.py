"""Titles and honours in the admin."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.admin_exports import JobExportMixin
from common.models import ExportJob
from members.admin_mixins import ScopedHistoryAdmin
from skills import services
from skills.admin._common import EntityForm, RecordAdmin
from skills.models import (
    Honour,
)
from skills.resources import HonourResource

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
class HonourAdmin(ScopedHistoryAdmin, JobExportMixin, RecordAdmin):
    form = HonourForm
    resource_classes = [HonourResource]
    export_kind = ExportJob.Kind.HONOURS
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
