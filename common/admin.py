"""Import batches (issue 10.7): each written import as one read-only record, seen within the
importer's part of the tree (a batch the system ran, with no union, only by city staff)."""

from django.contrib import admin

from common.models import ImportBatch, ImportBatchChange
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
