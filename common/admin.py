"""Import batches (issue 10.7): each written import as one read-only record, seen within the
importer's part of the tree (a batch the system ran, with no union, only by city staff)."""

from django.contrib import admin

from common.models import ExportJob, ImportBatch, ImportBatchChange
from members.admin_mixins import TreeScopedAdmin


class ImportBatchChangeInline(admin.TabularInline):
    model = ImportBatchChange
    fields = ["row", "record", "changes"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(TreeScopedAdmin):
    list_display = ["started_at", "kind", "actor", "union", "file_name", "created", "updated"]
    list_filter = ["kind"]
    date_hierarchy = "started_at"
    readonly_fields = [
        "kind",
        "actor",
        "by",
        "union",
        "file_name",
        "sha256",
        "started_at",
        "total",
        "created",
        "updated",
        "unchanged",
    ]
    fields = readonly_fields
    inlines = [ImportBatchChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExportJob)
class ExportJobAdmin(TreeScopedAdmin):
    """导出记录: who exported what, when, how many rows, whether with full ID numbers, and how
    often the file was fetched; within the viewer's part of the tree. Read-only: a job is made
    by an export button and its file fetched from its own page (common.export_views)."""

    list_display = [
        "created_at",
        "title",
        "requested_by",
        "union",
        "status",
        "rows_done",
        "holds_full_ids",
        "downloads",
        "expires_at",
    ]
    list_filter = ["status", "kind", "holds_full_ids"]
    list_select_related = ["requested_by", "union"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = [
        "kind",
        "title",
        "requested_by",
        "union",
        "params",
        "file_format",
        "status",
        "rows_done",
        "rows_total",
        "holds_full_ids",
        "size",
        "message",
        "created_at",
        "started_at",
        "finished_at",
        "expires_at",
        "downloads",
        "last_downloaded_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
