"""Admin pieces every app uses: tree scoping, and forms that save through a service."""

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from common.paging import CappedCountPaginator
from members.scoping import (
    NOT_IN_SCOPE,
    Viewer,
    city_wide,
    references,
    scope_queryset,
)


def scope_form_references(form: forms.BaseForm, viewer: Viewer, city_wide_fields=()) -> None:
    """Narrow every model choice of `form` to what `viewer` may name (`references`), so an id
    outside their part of the tree is refused exactly like an id that does not exist, and a
    widget never renders the label of a row outside it. `city_wide_fields` names the fields that
    choose a union from the whole city by design (see `members.scoping.city_wide`).

    This is the one mechanism for every Django form the staff or the members submit: admin
    forms and inlines (through `ScopedReferences`), import pages and portal forms."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.ModelChoiceField):
            continue
        model = field.queryset.model
        allowed = (
            city_wide(model, viewer) if name in city_wide_fields else references(model, viewer)
        )
        field.queryset = field.queryset & allowed
        field.error_messages["invalid_choice"] = NOT_IN_SCOPE
        field.error_messages["invalid_pk_value"] = NOT_IN_SCOPE


def _scoped_form_class(form_class, request, city_wide_fields):
    def __init__(self, *args, **kwargs):
        form_class.__init__(self, *args, **kwargs)
        scope_form_references(self, request.user, city_wide_fields)

    return type(form_class.__name__, (form_class,), {"__init__": __init__})


class ScopedReferences:
    """For ModelAdmins and inlines: every form (and every inline form) they build has its model
    choices narrowed to the user's references. `city_wide_fields` maps a field to the reason it
    may choose any union (the permission matrix test lists them)."""

    city_wide_fields: dict[str, str] = {}

    def city_wide_choices(self, request, field_name: str):
        """What a city-wide field offers (its form choices and its autocomplete): by default every
        union or enterprise; an admin narrows it (e.g. to grassroots unions) by overriding."""
        field = self.model._meta.get_field(field_name)
        return city_wide(field.related_model, request.user)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return _scoped_form_class(form, request, self.city_wide_fields)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _scoped_form_class(formset.form, request, self.city_wide_fields)
        return formset


class CityWideAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete (HuzhouAdminSite.autocomplete_view). A field its admin names in
    `city_wide_fields` searches the admin's `city_wide_choices` (the whole city, as its form
    accepts); every other field searches the target admin's scoped list, as Django does."""

    def get_queryset(self):
        source_admin = self.admin_site._registry.get(self.source_field.model)
        name = self.source_field.name
        if name not in getattr(source_admin, "city_wide_fields", {}):
            return super().get_queryset()
        qs = source_admin.city_wide_choices(self.request, name)
        qs = qs.complex_filter(self.source_field.get_limit_choices_to())
        qs, distinct = self.model_admin.get_search_results(self.request, qs, self.term)
        return qs.distinct() if distinct else qs


class TreeScopedAdmin(ScopedReferences, admin.ModelAdmin):
    """Lists, forms, search and exports show only rows in the staff user's part of the tree.
    `scope_field` is the lookup path from the model to its Union."""

    scope_field = "union"
    # Counts at most CAP rows for the page links: no COUNT(*) over a city-sized table per page.
    paginator = CappedCountPaginator
    show_full_result_count = False

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user, self.scope_field)

    def action_checkbox(self, obj):
        """Django's row checkbox, the same HTML, written directly: Django renders it through the
        form widget templates, a third of the CPU of a 50-row member list (bench/city.py)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(_("Select this object for an action - {}"), str(obj)),
        )

    def has_delete_permission(self, request, obj=None):
        # Records are ended (left, cancelled, refused), never deleted: the history must hold.
        return False


class ServiceForm(forms.ModelForm):
    """A ModelForm whose clean() performs the write through a service, so the admin shows a
    service's ValidationError on the form (and PermissionDenied as a form error) instead of a 500.
    Subclasses implement `perform(request)` and return the saved instance."""

    request = None

    def perform(self):
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.instance = self.perform()
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, messages in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
            else:
                self.add_error(None, exc.messages)
        except PermissionDenied as exc:
            self.add_error(None, str(exc))
        return cleaned

    def _post_clean(self):
        pass  # the service ran full_clean() on what it saved

    def save(self, commit=True):
        return self.instance

    def save_m2m(self):
        pass


class ServiceFormAdmin(admin.ModelAdmin):
    """Hands the request to ServiceForms and leaves saving to them."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def save_model(self, request, obj, form, change):
        pass  # the form's service already saved it


class ScopedServiceAdmin(TreeScopedAdmin, ServiceFormAdmin):
    pass


class ScopedTabularInline(ScopedReferences, admin.TabularInline):
    """An inline whose forms choose only what the user may name."""


class ScopedStackedInline(ScopedReferences, admin.StackedInline):
    """An inline whose forms choose only what the user may name."""


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """The record's history (who, when, each field before → after, with the fields' Chinese
    labels), scoped like the change view: a record outside the user's queryset (`get_queryset`,
    i.e. their part of the tree) gets the change view's answer, a redirect to the admin index,
    never its history. Put it first in the bases: `class XAdmin(ScopedHistoryAdmin, ...)`.

    History is read-only here: simple-history's per-version page offers "revert", which would
    write around the services and their rules, so it sends the user back to the history list."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_view(self, request, object_id, extra_context=None):
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        opts = self.model._meta
        return redirect(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history",
                args=[quote(unquote(object_id))],
                current_app=self.admin_site.name,
            )
        )
