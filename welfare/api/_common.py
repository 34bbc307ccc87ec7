"""API machinery shared by several lines of work: the union field and the plain-record viewsets."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from common.api import service_call
from members.models import Union
from members.permissions import STAFF_PERMISSIONS
from members.scoping import scope_queryset
from welfare import services
from welfare.models import (
    AssistanceFund,
    GrassrootsInvestment,
    HardshipCase,
    JobFair,
    LabourRelationsSite,
    LegalAidEvent,
    LegalConsultation,
    RecuperationProgramme,
    ServiceStation,
    TrainingCourse,
    Visit,
    WageContract,
)

UNION = serializers.SlugRelatedField(slug_field="code", read_only=True)


def union_input(**kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="code", queryset=Union.objects.all(), **kwargs)


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
    ("stations", ServiceStation, True),
    ("recuperation-programmes", RecuperationProgramme, True),
    ("job-fairs", JobFair, True),
    ("training-courses", TrainingCourse, True),
    ("legal-aid-events", LegalAidEvent, True),
    ("legal-consultations", LegalConsultation, True),
    ("labour-relations-sites", LabourRelationsSite, True),
    ("grassroots-investments", GrassrootsInvestment, True),
    # These take their union from the member or enterprise: written through their services in
    # the admin, read here.
    ("hardship-cases", HardshipCase, False),
    ("visits", Visit, False),
    ("wage-contracts", WageContract, False),
]
