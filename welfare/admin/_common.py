"""Admin machinery shared by several lines of work."""

from django.contrib import messages
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX

from members.admin_mixins import ScopedServiceAdmin, ServiceForm
from welfare import services


class InlinesAdmin(ScopedServiceAdmin):
    """ServiceFormAdmin leaves saving to the form; the inlines are saved here, each admin's
    save_formset deciding how (through a service where the inline has rules)."""

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change)


class ExportAdmin(ExportMixin):
    """Export what the changelist shows (so the tree scope holds), as .xlsx or .csv."""

    def get_export_formats(self):
        return [XLSX, CSV]


def report_errors(request, label, exc) -> None:
    text = "；".join(getattr(exc, "messages", None) or [str(exc)])
    messages.error(request, f"{label}：{text}")


def record_form(model_class, field_names):
    """A ServiceForm for a record with its own `union`: created and changed through
    services.record_create / record_update (scope check, full_clean)."""

    class Form(ServiceForm):
        class Meta:
            model = model_class
            fields = field_names

        def perform(self):
            data = dict(self.cleaned_data)
            if self.instance.pk:
                return services.record_update(
                    instance=self.instance, data=data, by=self.request.user
                )
            union = data.pop("union")
            return services.record_create(
                model=model_class, union=union, data=data, by=self.request.user
            )

    return Form
