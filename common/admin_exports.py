"""The admin lists' exports (导出: activities, attendance, mutual-aid enrolments, claims, payouts,
concerns, competition entries, honours) on the export-job path (issue 13), by the same admin
mixin as the member register (whose rows come from its own source, members.exports).

The clerk's POST from django-import-export's export form is answered inside the request, as
before, while the list holds at most `admin_inline_max_rows()` rows; a bigger one becomes an
`ExportJob` and the clerk goes to its progress page. The job keeps what the request said (the
list's query string: filters, search, date drill-down; the resource and its chosen columns), and
`admin_export_source` rebuilds the same list in the worker through the same ModelAdmin for the
same user: its `get_export_queryset` (the tree scope of `get_queryset`, the list's filters and
search) and its resource's `export_resource` (the same columns, masking and formula defusing). So
the inline file and the job's file cannot disagree on which rows or what is in a cell, and no
second copy of any list's filters or scope exists to drift. None of these resources writes a
full ID number or a bank card number (the 代发 file of a payout batch does, and stays inline:
one batch is small and its every download is recorded in welfare.services).
"""

from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX

from common.export_jobs import ExportSource, admin_inline_max_rows, export_request
from common.models import ExportJob
from members.models import Union
from members.scoping import viewer_union


class JobExportMixin(ExportMixin):
    """Export what the (scoped) changelist shows, as .xlsx or .csv: inline when small, as an
    export job of kind `export_kind` when not (always, with `export_always_as_job`)."""

    export_kind: str = ""  # an ExportJob.Kind
    # The file's name before the union and the date; the list's name by default.
    export_title: str | Promise | None = None
    # The member register: its own source (members.exports) records each full ID number it
    # writes, which the inline path cannot, so every export of it is a job.
    export_always_as_job = False

    def get_export_formats(self):
        return [XLSX, CSV]

    def get_export_job_params(self, request, form) -> dict:
        """What the job keeps of the request, for its source to rebuild the rows from."""
        return {
            "admin": self.opts.label_lower,
            "query": request.GET.urlencode(),
            "resource": self.get_resource_index(form),
            "fields": list(form.get_selected_resource_export_fields() or []),
        }

    def export_action(self, request):
        # The form itself, a refused form, and an export of rows ticked on the list (a page at
        # most) stay on django-import-export's own path; the register never leaves the job path.
        if request.method != "POST" or (
            "export_items" in request.POST and not self.export_always_as_job
        ):
            return super().export_action(request)
        if not self.has_export_permission(request):
            raise PermissionDenied
        formats = self.get_export_formats()
        form = self.get_export_form_class()(
            formats, self.get_export_resource_classes(request), data=request.POST
        )
        if not form.is_valid():
            return super().export_action(request)
        if not self.export_always_as_job:
            limit = admin_inline_max_rows()
            # At most limit + 1 rows counted: "small or big" needs no COUNT(*) of a city's table.
            if self.get_export_queryset(request).order_by()[: limit + 1].count() <= limit:
                return super().export_action(request)
        chosen = formats[int(form.cleaned_data["format"])]
        union = viewer_union(request.user) or Union.objects.filter(parent=None).first()
        title = self.export_title or self.opts.verbose_name_plural
        job = export_request(
            kind=self.export_kind,
            params=self.get_export_job_params(request, form),
            union=union,
            title=f"{title}-{union.name}-{timezone.localdate():%Y%m%d}",
            file_format="csv" if chosen is CSV else "xlsx",
            by=request.user,
        )
        return redirect("exports:status", pk=job.pk)


def _admin_for(job: ExportJob) -> JobExportMixin:
    label = str(job.params.get("admin") or "")
    for model, model_admin in admin.site._registry.items():
        if model._meta.label_lower == label:
            if isinstance(model_admin, JobExportMixin) and model_admin.export_kind == job.kind:
                return model_admin
            break
    raise ValueError(f"no {job.kind} export in the admin for {label!r}")


def _list_request(user: User, query: str) -> HttpRequest:
    """The changelist's GET as the requester sent it: what the ModelAdmin reads (the user for its
    scope and permissions, the query string for its filters and search)."""
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict(query)
    request.user = user
    return request


def admin_export_source(job: ExportJob) -> ExportSource:
    """The source of an admin list's export job: the list rebuilt for the requester as they may
    see it now (a clerk moved since asking gets their new tree's rows, or a refusal)."""
    model_admin = _admin_for(job)
    request = _list_request(job.requested_by, str(job.params.get("query") or ""))
    if not model_admin.has_export_permission(request):
        raise PermissionDenied(_("您没有导出此列表的权限。"))
    resource_class = model_admin.get_export_resource_classes(request)[
        int(job.params.get("resource") or 0)
    ]
    resource = resource_class(**model_admin.get_export_resource_kwargs(request))
    fields = list(job.params.get("fields") or []) or None
    queryset = resource.filter_export(model_admin.get_export_queryset(request))
    # As the inline export: native values (dates, amounts) in .xlsx, text in .csv.
    native = job.file_format == "xlsx"

    def rows():
        for obj in resource.iter_queryset(queryset):
            yield resource.export_resource(obj, selected_fields=fields, force_native_type=native)

    return ExportSource(
        sheet_title=str(model_admin.opts.verbose_name_plural),
        headers=resource.get_export_headers(selected_fields=fields),
        rows=rows(),
        total=queryset.count(),
    )
