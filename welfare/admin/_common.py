"""Admin machinery shared by several lines of work."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from common.admin_exports import JobExportMixin
from members.admin_mixins import ScopedServiceAdmin


class InlinesAdmin(ScopedServiceAdmin):
    """ServiceFormAdmin leaves saving to the form; the inlines are saved here, each admin's
    save_formset deciding how (through a service where the inline has rules)."""

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change)


class ExportAdmin(JobExportMixin):
    """Export what the changelist shows (so the tree scope holds), as .xlsx or .csv; a big list
    as an export job (common.admin_exports). Each admin names its `export_kind`."""


def report_errors(request, label, exc) -> None:
    text = "；".join(getattr(exc, "messages", None) or [str(exc)])
    messages.error(request, f"{label}：{text}")


def save_inline_through(request, formset, *, add, update=None) -> None:
    """Save an inline's rows through the entity's services: `add(values)` for a new row,
    `update(instance, changed_values)` for a changed one (None: rows once listed stay as they
    are). The inline's choices were already narrowed to what the user may name (a scoped inline);
    a refusal by the service's rules becomes an error message naming the row, and that row is not
    saved."""
    # The admin's change message reads these, as formset.save() would have set them.
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for inline_form in formset.forms:
        if not inline_form.has_changed() or not getattr(inline_form, "cleaned_data", None):
            continue
        values = {
            name: inline_form.cleaned_data[name]
            for name in inline_form.changed_data
            if name in inline_form.cleaned_data
        }
        try:
            if inline_form.instance.pk is None:
                values = {
                    name: inline_form.cleaned_data.get(name)
                    for name in inline_form.fields
                    if name not in ("id", formset.fk.name, "DELETE")
                    and name in inline_form.cleaned_data
                }
                formset.new_objects.append(add(values))
            elif update is not None:
                changed = list(values)
                formset.changed_objects.append((update(inline_form.instance, values), changed))
        except (ValidationError, PermissionDenied) as exc:
            label = values.get("name") or values.get("member") or formset.model._meta.verbose_name
            report_errors(request, str(label), exc)
