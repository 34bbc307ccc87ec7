"""Golden ideas, innovation results and technical problems solved."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action

from common.api import (
    ScopedPrimaryKeyRelatedField,
    ScopedReadViewSet,
    ServiceViewSet,
    scoped_union_input,
    service_call,
    service_schema,
)
from skills import selectors, services
from skills.api._common import RecordOutput, enterprise_input, member_input
from skills.models import (
    CraftsmanVisit,
    GoldenIdea,
    InnovationResult,
    InnovationStudio,
    TechnicalProblem,
)

# --- golden ideas ------------------------------------------------------------------------------


class IdeaInput(serializers.Serializer):
    member = member_input()
    title = serializers.CharField(max_length=200, allow_blank=True)
    content = serializers.CharField(allow_blank=True)
    submitted_on = serializers.DateField(required=False)


class IdeaOutput(serializers.ModelSerializer):
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
        read_only_fields = fields


class IdeaStatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=GoldenIdea.Status.choices)


class IdeaViewSet(ScopedReadViewSet):
    output_serializer = IdeaOutput
    filterset_fields = ["status"]
    ordering_fields = ["submitted_on", "id"]

    def get_queryset(self):
        return selectors.idea_list(viewer=self.request.user).order_by("-submitted_on", "id")

    @extend_schema(request=IdeaInput, responses={201: IdeaOutput})
    def create(self, request, *args, **kwargs):
        """Record a member's 金点子 (handed in to staff; the portal submits a member's own)."""
        data = self.read_input(IdeaInput)
        idea = service_call(services.golden_idea_record, by=request.user, **data)
        return self.respond(idea, status.HTTP_201_CREATED)

    @extend_schema(request=IdeaStatusInput, responses={200: IdeaOutput})
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        data = self.read_input(IdeaStatusInput)
        idea = service_call(
            services.golden_idea_set_status,
            idea=self.get_object(),
            status=data["status"],
            by=request.user,
        )
        return self.respond(idea)


# --- results and problems ----------------------------------------------------------------------


class ResultInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=InnovationResult.Kind.choices)
    union = scoped_union_input(required=False, allow_null=True)
    enterprise = enterprise_input(required=False, allow_null=True)
    member = member_input(required=False, allow_null=True)
    studio = ScopedPrimaryKeyRelatedField(model=InnovationStudio, required=False, allow_null=True)
    idea = ScopedPrimaryKeyRelatedField(model=GoldenIdea, required=False, allow_null=True)
    achieved_on = serializers.DateField()


class ResultOutput(RecordOutput):
    class Meta:
        model = InnovationResult
        fields = [
            "id",
            "title",
            "kind",
            "enterprise",
            "member",
            "studio",
            "idea",
            "achieved_on",
            "union",
            "union_name",
        ]
        read_only_fields = fields


@service_schema(ResultInput, ResultOutput)
class ResultViewSet(ServiceViewSet):
    """职工创新成果"""

    output_serializer = ResultOutput
    input_serializer = ResultInput
    create_service = staticmethod(services.result_record)
    update_service = staticmethod(services.result_update)
    instance_name = "result"
    filterset_fields = ["kind"]

    def get_queryset(self):
        return selectors.result_list(viewer=self.request.user).order_by("-id")


class ProblemInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    enterprise = enterprise_input()
    union = scoped_union_input(required=False, allow_null=True)
    solved_on = serializers.DateField()
    solver = serializers.CharField(max_length=200, required=False, allow_blank=True)
    visit = ScopedPrimaryKeyRelatedField(model=CraftsmanVisit, required=False, allow_null=True)
    studio = ScopedPrimaryKeyRelatedField(model=InnovationStudio, required=False, allow_null=True)


class ProblemOutput(RecordOutput):
    class Meta:
        model = TechnicalProblem
        fields = [
            "id",
            "title",
            "enterprise",
            "solved_on",
            "solver",
            "visit",
            "studio",
            "union",
            "union_name",
        ]
        read_only_fields = fields


@service_schema(ProblemInput, ProblemOutput)
class ProblemViewSet(ServiceViewSet):
    """为企业解决技术难题"""

    output_serializer = ProblemOutput
    input_serializer = ProblemInput
    create_service = staticmethod(services.problem_record)
    update_service = staticmethod(services.problem_update)
    instance_name = "problem"

    def get_queryset(self):
        return selectors.problem_list(viewer=self.request.user).order_by("-id")
