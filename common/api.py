"""Shared API plumbing: service errors become clear HTTP answers, and every reference a caller
submits resolves through their scope."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response

from members.models import Union
from members.permissions import STAFF_PERMISSIONS
from members.scoping import NOT_IN_SCOPE, city_wide, references, scope_queryset


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


def scoped_union_input(**kwargs) -> ScopedSlugRelatedField:
    """A union of the caller's part of the tree, by code; any other code is answered like one
    that does not exist."""
    return ScopedSlugRelatedField(model=Union, slug_field="code", **kwargs)


# --- the one API pattern: input serializer → the entity's service → output serializer ---------


class ScopedReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and read, scoped to the caller: by `model` through `scope_queryset`, or by the
    subclass's own `get_queryset` (an app's selector). A subclass adds only the writes its entity
    has, each through its own service, so a read-only route has no write method to answer."""

    permission_classes = STAFF_PERMISSIONS
    model: type | None = None
    output_serializer: type[serializers.Serializer]

    def get_serializer_class(self):
        return self.output_serializer

    def get_queryset(self):
        return scope_queryset(self.model.objects.all(), self.request.user).order_by("-pk")

    def read_input(self, serializer_class, **kwargs) -> dict:
        data = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def respond(self, instance, status_code: int = status.HTTP_200_OK) -> Response:
        output = self.output_serializer(instance, context=self.get_serializer_context())
        return Response(output.data, status=status_code)


class ServiceViewSet(ScopedReadViewSet):
    """Create and change one entity through its own two services (no deletes: records are
    corrected, never removed): `create_service(**input, by=...)` and
    `update_service(<instance_name>=record, data=input, by=...)`. The input serializer lists
    exactly the fields the update service may edit; PATCH passes only the keys sent."""

    input_serializer: type[serializers.Serializer]
    create_service = None
    update_service = None
    instance_name = ""

    def create(self, request, *args, **kwargs):
        data = self.read_input(self.input_serializer)
        record = service_call(type(self).create_service, by=request.user, **data)
        return self.respond(record, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        record = self.get_object()
        data = self.read_input(self.input_serializer, partial=partial)
        record = service_call(
            type(self).update_service, **{self.instance_name: record}, data=data, by=request.user
        )
        return self.respond(record)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


def service_schema(input_serializer, output_serializer):
    """The OpenAPI shape of a ServiceViewSet: its own input in, its output out."""
    return extend_schema_view(
        create=extend_schema(request=input_serializer, responses={201: output_serializer}),
        update=extend_schema(request=input_serializer, responses={200: output_serializer}),
        partial_update=extend_schema(request=input_serializer, responses={200: output_serializer}),
    )
