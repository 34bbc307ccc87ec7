"""API machinery shared by several lines of work: the union fields and the base of the viewsets
that write through one named service per action."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from common.api import ScopedSlugRelatedField, service_call
from members.models import Union
from members.permissions import STAFF_PERMISSIONS
from members.scoping import scope_queryset

UNION = serializers.SlugRelatedField(slug_field="code", read_only=True)


def union_input(**kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="code", queryset=Union.objects.all(), **kwargs)


def scoped_union_input(**kwargs) -> ScopedSlugRelatedField:
    """A union of the caller's part of the tree, by code; any other code is answered like one
    that does not exist."""
    return ScopedSlugRelatedField(model=Union, slug_field="code", **kwargs)


def service_schema(input_class, output_class):
    """Document a ServiceViewSet's writes with its own input and output serializers."""
    return extend_schema_view(
        create=extend_schema(request=input_class, responses={201: output_class}),
        update=extend_schema(request=input_class, responses={200: output_class}),
        partial_update=extend_schema(request=input_class, responses={200: output_class}),
    )


class ServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and read a scoped model; create and change it only through the two services a
    subclass names. The input serializer lists exactly the fields the update service may edit;
    `create` gets them as keywords, `update` as `data` (only the keys sent, for PATCH)."""

    permission_classes = STAFF_PERMISSIONS
    model: type
    input_class: type[serializers.Serializer]
    output_class: type[serializers.Serializer]
    create_service = None  # a service function: (**fields, by) -> instance
    update_service = None  # a service function: (<instance_kwarg>=..., data=..., by) -> instance
    instance_kwarg: str

    def get_serializer_class(self):
        return self.output_class

    def get_queryset(self):
        return scope_queryset(self.model.objects.all(), self.request.user).order_by("-pk")

    def _input(self, request, *, partial=False):
        data = self.input_class(data=request.data, partial=partial, context={"request": request})
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def create(self, request, *args, **kwargs):
        values = self._input(request)
        obj = service_call(type(self).create_service, by=request.user, **values)
        return Response(self.output_class(obj).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        instance = self.get_object()
        values = self._input(request, partial=partial)
        obj = service_call(
            type(self).update_service,
            **{self.instance_kwarg: instance},
            data=values,
            by=request.user,
        )
        return Response(self.output_class(obj).data)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)
