"""Admin pieces every app uses: tree scoping, and forms that save through a service."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError

from members import selectors
from members.models import Enterprise, Union
from members.scoping import scope_queryset


class TreeScopedAdmin(admin.ModelAdmin):
    """Lists, forms, search and exports show only rows in the staff user's part of the tree.
    `scope_field` is the lookup path from the model to its Union."""

    scope_field = "union"

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user, self.scope_field)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Union:
            kwargs["queryset"] = selectors.union_list(viewer=request.user)
        elif db_field.related_model is Enterprise:
            kwargs["queryset"] = selectors.enterprise_list(viewer=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
