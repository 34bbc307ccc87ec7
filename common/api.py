"""Shared API plumbing: service errors become clear HTTP answers, and every reference a caller
submits resolves through their scope."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers

from members.models import Union
from members.scoping import NOT_IN_SCOPE, city_wide, references


def service_call(func, /, **kwargs):
    """Call a service; a Django ValidationError becomes a 400 with the same messages, a
    PermissionDenied a 403."""
    try:
        return func(**kwargs)
    except DjangoValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        raise exceptions.ValidationError(detail) from None
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None) from None


def _viewer(field: serializers.Field):
    request = field.context.get("request")
    return getattr(request, "user", None)


class ScopedReferenceMixin:
    """A related field whose choices are `members.scoping.references(model, request.user)`: an id
    outside the caller's part of the tree is answered exactly like one that does not exist, and
    the check runs while the input is parsed, before any duplicate or business rule."""

    scoped_error_messages = {
        "does_not_exist": NOT_IN_SCOPE,
        "incorrect_type": NOT_IN_SCOPE,
        "invalid": NOT_IN_SCOPE,
    }

    def __init__(self, *, model, **kwargs):
        self.model = model
        if not kwargs.get("read_only"):
            # The schema reads the model from here; rows always come from get_queryset().
            kwargs.setdefault("queryset", model._default_manager.none())
        super().__init__(**kwargs)
        self.error_messages.update(self.scoped_error_messages)

    def get_queryset(self):
        return references(self.model, _viewer(self))


class ScopedPrimaryKeyRelatedField(ScopedReferenceMixin, serializers.PrimaryKeyRelatedField):
    pass


class ScopedSlugRelatedField(ScopedReferenceMixin, serializers.SlugRelatedField):
    pass


class CityWideUnionField(serializers.SlugRelatedField):
    """A union chosen from the whole city, by code. Only for the workflows that reach across the
    tree by design (a transfer's receiving union, a joint union); each use names its reason,
    which the permission matrix test lists."""

    def __init__(self, *, reason: str, **kwargs):
        self.reason = reason
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", Union.objects.none())
        super().__init__(**kwargs)
        self.error_messages["does_not_exist"] = NOT_IN_SCOPE

    def get_queryset(self):
        return city_wide(Union, _viewer(self))
