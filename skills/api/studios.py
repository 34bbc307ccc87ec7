"""Craftsman academies, studio alliances and innovation studios."""

from rest_framework import serializers

from common.api import (
    ScopedPrimaryKeyRelatedField,
    ServiceViewSet,
    scoped_union_input,
    service_schema,
)
from skills import selectors, services
from skills.api._common import RecordOutput, enterprise_input, member_input
from skills.models import CraftsmanAcademy, InnovationStudio, StudioAlliance


class AcademyInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    level = serializers.ChoiceField(choices=CraftsmanAcademy.Level.choices)
    union = scoped_union_input()
    host = serializers.CharField(max_length=200, required=False, allow_blank=True)
    established_on = serializers.DateField()
    closed_on = serializers.DateField(required=False, allow_null=True)


class AcademyOutput(RecordOutput):
    class Meta:
        model = CraftsmanAcademy
        fields = [
            "id",
            "name",
            "level",
            "host",
            "established_on",
            "closed_on",
            "union",
            "union_name",
        ]
        read_only_fields = fields


@service_schema(AcademyInput, AcademyOutput)
class AcademyViewSet(ServiceViewSet):
    """工匠学院"""

    output_serializer = AcademyOutput
    input_serializer = AcademyInput
    create_service = staticmethod(services.academy_create)
    update_service = staticmethod(services.academy_update)
    instance_name = "academy"
    filterset_fields = ["level"]

    def get_queryset(self):
        return selectors.academy_list(viewer=self.request.user).order_by("-id")


class AllianceInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    industry_chain = serializers.CharField(max_length=100)
    leader_enterprise = enterprise_input()
    union = scoped_union_input()
    founded_on = serializers.DateField()


class AllianceOutput(RecordOutput):
    class Meta:
        model = StudioAlliance
        fields = [
            "id",
            "name",
            "industry_chain",
            "leader_enterprise",
            "founded_on",
            "union",
            "union_name",
        ]
        read_only_fields = fields


@service_schema(AllianceInput, AllianceOutput)
class AllianceViewSet(ServiceViewSet):
    """创新工作室联盟"""

    output_serializer = AllianceOutput
    input_serializer = AllianceInput
    create_service = staticmethod(services.alliance_create)
    update_service = staticmethod(services.alliance_update)
    instance_name = "alliance"

    def get_queryset(self):
        return selectors.alliance_list(viewer=self.request.user).order_by("-id")


class StudioInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=InnovationStudio.Kind.choices)
    level = serializers.ChoiceField(choices=InnovationStudio.Level.choices)
    recognised_year = serializers.IntegerField(min_value=1900, max_value=2100)
    union = scoped_union_input()
    enterprise = enterprise_input(required=False, allow_null=True)
    leader = member_input(required=False, allow_null=True)
    # An alliance led from above (a city alliance) is joined from below.
    alliance = ScopedPrimaryKeyRelatedField(model=StudioAlliance, required=False, allow_null=True)


class StudioOutput(RecordOutput):
    class Meta:
        model = InnovationStudio
        fields = [
            "id",
            "name",
            "kind",
            "level",
            "recognised_year",
            "enterprise",
            "leader",
            "alliance",
            "union",
            "union_name",
        ]
        read_only_fields = fields


@service_schema(StudioInput, StudioOutput)
class StudioViewSet(ServiceViewSet):
    """创新工作室"""

    output_serializer = StudioOutput
    input_serializer = StudioInput
    create_service = staticmethod(services.studio_create)
    update_service = staticmethod(services.studio_update)
    instance_name = "studio"
    filterset_fields = ["kind", "level", "recognised_year"]

    def get_queryset(self):
        return selectors.studio_list(viewer=self.request.user).order_by("-id")
