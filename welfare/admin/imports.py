"""The admin import page for records clerks bring in bulk (建议/提案交办清单, 三访日台账, 企业年度
规上/建会名单): choose the file, try it, import it. The importer resolves every union code through the clerk's scope."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from common.error_file import error_file_answer, error_file_for_upload, wants_error_file
from common.spreadsheets import SpreadsheetError, iter_rows
from welfare.admin._common import report_errors
from welfare.importing_records import (
    ENTERPRISE_YEAR_HEADERS,
    PROPOSAL_HEADERS,
    VISIT_HEADERS,
    enterprise_year_import,
    leadership_visit_import,
    proposal_import,
)

IMPORTS = {
    "proposal": (
        proposal_import,
        _("导入建议提案交办清单"),
        PROPOSAL_HEADERS,
        _("“类别”填人大代表建议或政协提案；“承办方式”填主办或会办（会办件填主办单位）。"),
    ),
    "leadershipvisit": (
        leadership_visit_import,
        _("导入三访日台账"),
        VISIT_HEADERS,
        _("“方式”填下访、接访或走访；“跟踪事项”多项以“；”分隔，每项作为职工心声跟踪办理。"),
    ),
    "enterpriseyear": (
        enterprise_year_import,
        _("导入企业年度信息（规上、建会）"),
        ENTERPRISE_YEAR_HEADERS,
        _(
            "“规上企业”“已建会”填是或否；“企业名称”仅供核对。同一企业同一年度已登记的，"
            "导入即更正该年度信息。"
        ),
    ),
}


class RecordImportForm(forms.Form):
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))
    dry_run = forms.BooleanField(label=_("仅试导入（不写入）"), required=False, initial=True)


def import_url(model_admin, name: str):
    def view(request):
        return record_import_page(model_admin, request, name)

    opts = model_admin.model._meta
    # Named like the admin's own views ("<app>_<model>_import"), so the URL tells its model.
    return path(
        "import/",
        model_admin.admin_site.admin_view(view),
        name=f"{opts.app_label}_{opts.model_name}_import",
    )


def record_import_page(model_admin, request, name: str):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    importer, title, headers, hint = IMPORTS[name]
    form = RecordImportForm(request.POST or None, request.FILES or None)
    report = None
    upload = None
    checking = wants_error_file(request)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = importer(
                table=iter_rows(upload, upload.name),
                by=request.user,
                dry_run=form.cleaned_data["dry_run"] or checking,
                preview_rows=20,
            )
        except (ValidationError, PermissionDenied, SpreadsheetError) as exc:
            report_errors(request, _("导入失败"), exc)
        else:
            if answer := error_file_answer(request, upload, report):
                return answer
            level = messages.SUCCESS if report.ok else messages.ERROR
            messages.add_message(request, level, report.summary())
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "report": report,
        "error_file": error_file_for_upload(upload, report),
        "headers": headers,
        "hint": hint,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/welfare/import.html", context)
