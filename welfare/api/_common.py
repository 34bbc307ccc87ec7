"""API machinery shared by several lines of work: the union fields and the base of the viewsets
that write through one named service per action."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from common.api import ScopedSlugRelatedField, service_call
from members.models import Union
from members.permissions import STAFF_PERMISSIONS
from members.scoping import scope_queryset
from welfare import services
from welfare.models import (
    AssistanceFund,
    HardshipCase,
    Visit,
)

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


# --- plain records: list, read, create, change (through record_create / record_update) ----------


def record_viewset(model, writable: bool = True):
    """A scoped viewset for a record with its own `union` and no rule beyond its fields. Writable
    ones take the union by code and save through services.record_create/record_update."""

    class Output(serializers.ModelSerializer):
        union = UNION

        class Meta:
            fields = "__all__"

    Output.Meta.model = model
    Output.__name__ = f"{model.__name__}Output"

    class Input(serializers.ModelSerializer):
        union = union_input()

        class Meta:
            exclude = ["id", "created_at", "updated_at"]

    Input.Meta.model = model
    Input.__name__ = f"{model.__name__}Input"

    bases = [mixins.ListModelMixin, mixins.RetrieveModelMixin]
    if writable:
        bases += [mixins.CreateModelMixin, mixins.UpdateModelMixin]

    class RecordViewSet(*bases, viewsets.GenericViewSet):
        serializer_class = Output
        permission_classes = STAFF_PERMISSIONS

        def get_queryset(self):
            return scope_queryset(model.objects.all(), self.request.user).order_by("-pk")

        @extend_schema(request=Input, responses={201: Output})
        def create(self, request, *args, **kwargs):
            data = Input(data=request.data)
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
            union = values.pop("union")
            obj = service_call(
                services.record_create, model=model, union=union, data=values, by=request.user
            )
            return Response(Output(obj).data, status=status.HTTP_201_CREATED)

        @extend_schema(request=Input, responses={200: Output})
        def update(self, request, *args, **kwargs):
            instance = self.get_object()
            data = Input(instance, data=request.data, partial=True)
            data.is_valid(raise_exception=True)
            obj = service_call(
                services.record_update,
                instance=instance,
                data=dict(data.validated_data),
                by=request.user,
            )
            return Response(Output(obj).data)

    RecordViewSet.__name__ = f"{model.__name__}ViewSet"
    return RecordViewSet


RECORD_ROUTES = [
    ("funds", AssistanceFund, True),
    # These take their union from the member: written through their services in the admin,
    # read here.
    ("hardship-cases", HardshipCase, False),
    ("visits", Visit, False),
]
