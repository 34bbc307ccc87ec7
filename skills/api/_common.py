"""Pieces shared by every line of work of the skills API: input serializers check the shape and
resolve every reference through the caller's scope (`common.api`), the view calls the entity's
own service through `service_call`, and an output serializer shapes the answer."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from common.api import ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField, service_call
from members.models import Enterprise, Member, Union
from members.permissions import STAFF_PERMISSIONS


def union_input(**kwargs) -> ScopedSlugRelatedField:
    """A union named by its code, one of the caller's tree."""
    return ScopedSlugRelatedField(model=Union, slug_field="code", **kwargs)


def member_input(**kwargs) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(model=Member, **kwargs)


def enterprise_input(**kwargs) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(model=Enterprise, **kwargs)


class RecordOutput(serializers.ModelSerializer):
    """Records are addressed by id; unions by their code."""

    union = serializers.SlugRelatedField(slug_field="code", read_only=True)
    union_name = serializers.CharField(source="union.name", read_only=True)


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and read, scoped by the entity's selector; subclasses add the writes their entity
    has, each through its own service."""

    permission_classes = STAFF_PERMISSIONS
    output_serializer: type[serializers.Serializer]

    def get_serializer_class(self):
        return self.output_serializer

    def read_input(self, serializer_class, **kwargs) -> dict:
        data = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def respond(self, instance, status_code: int = status.HTTP_200_OK) -> Response:
        output = self.output_serializer(instance, context=self.get_serializer_context())
        return Response(output.data, status=status_code)


class RecordViewSet(ReadViewSet):
    """Create and change one entity through its own two services (no deletes: records are
    corrected, never removed). `create_service(**input, by=...)` and
    `update_service(<instance_name>=record, data=input, by=...)`."""

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


def record_schema(input_serializer, output_serializer):
    """The OpenAPI shape of a RecordViewSet: input in, output out."""
    return extend_schema_view(
        create=extend_schema(request=input_serializer, responses={201: output_serializer}),
        update=extend_schema(request=input_serializer, responses={200: output_serializer}),
        partial_update=extend_schema(request=input_serializer, responses={200: output_serializer}),
    )
