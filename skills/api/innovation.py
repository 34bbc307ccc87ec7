"""Golden ideas, innovation results and technical problems solved."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import service_call
from members.permissions import STAFF_PERMISSIONS
from skills import selectors, services
from skills.api._common import record_viewset
from skills.models import (
    GoldenIdea,
    InnovationResult,
    TechnicalProblem,
)

# --- golden ideas ------------------------------------------------------------------------------


class IdeaSerializer(serializers.ModelSerializer):
    union = serializers.SlugRelatedField(slug_field="code", read_only=True)
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = GoldenIdea
        fields = [
            "id",
            "member",
            "member_name",
            "union",
            "title",
            "content",
            "submitted_on",
            "status",
        ]
        read_only_fields = ["status"]
        extra_kwargs = {"submitted_on": {"required": False}}


class IdeaStatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=GoldenIdea.Status.choices)


class IdeaViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = IdeaSerializer
    permission_classes = STAFF_PERMISSIONS
    filterset_fields = ["status"]
    ordering_fields = ["submitted_on", "id"]

    def get_queryset(self):
        return selectors.idea_list(viewer=self.request.user).order_by("-submitted_on", "id")

    def create(self, request, *args, **kwargs):
        data = IdeaSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        idea = service_call(services.golden_idea_submit, by=request.user, **data.validated_data)
        return Response(IdeaSerializer(idea).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=IdeaStatusInput, responses={200: IdeaSerializer})
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        data = IdeaStatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        idea = service_call(
            services.golden_idea_set_status,
            idea=self.get_object(),
            status=data.validated_data["status"],
            by=request.user,
        )
        return Response(IdeaSerializer(idea).data)


ResultViewSet = record_viewset(
    InnovationResult,
    selectors.result_list,
    ["title", "kind", "enterprise", "member", "studio", "idea", "achieved_on"],
    ["kind"],
)
ProblemViewSet = record_viewset(
    TechnicalProblem,
    selectors.problem_list,
    ["title", "enterprise", "solved_on", "solver", "visit", "studio"],
)
