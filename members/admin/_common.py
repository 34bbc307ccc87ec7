"""What the registry's admin pages share: the go-live import page on the one importer loop."""

from import_export.formats.base_formats import CSV, XLSX

from common.uploads import CleanImportMixin
from members.resources import RosterCSV


class GoLiveImportMixin(CleanImportMixin):
    """Bulk import on the one importer loop (members.golive), with the roster's import page."""

    skip_admin_log = True  # the importer writes in bulk and keeps an ImportBatch instead

    def get_import_formats(self):
        return [XLSX, RosterCSV]

    def get_export_formats(self):
        return [XLSX, CSV]

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}
