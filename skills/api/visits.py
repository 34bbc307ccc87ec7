"""劳模工匠助企行 visits."""

from rest_framework import serializers

from common.api import ServiceViewSet, scoped_union_input, service_schema
from skills import selectors, services
from skills.api._common import RecordOutput, enterprise_input
from skills.models import CraftsmanVisit


class CraftsmanVisitInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    union = scoped_union_input()
    enterprise = enterprise_input(required=False, allow_null=True)
    held_on = serializers.DateField()
    experts = serializers.CharField(max_length=500, required=False, allow_blank=True)


class CraftsmanVisitOutput(RecordOutput):
    class Meta:
        model = CraftsmanVisit
        fields = ["id", "title", "enterprise", "held_on", "experts", "union", "union_name"]
        read_only_fields = fields


@service_schema(CraftsmanVisitInput, CraftsmanVisitOutput)
class VisitViewSet(ServiceViewSet):
    """劳模工匠助企行"""

    output_serializer = CraftsmanVisitOutput
    input_serializer = CraftsmanVisitInput
    create_service = staticmethod(services.visit_record)
    update_service = staticmethod(services.visit_update)
    instance_name = "visit"

    def get_queryset(self):
        return selectors.visit_list(viewer=self.request.user).order_by("-id")
