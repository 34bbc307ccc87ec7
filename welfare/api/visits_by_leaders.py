"""API for 三访日 leadership visits, 人大代表建议 / 政协提案 and the deadlines they carry."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import (
    ScopedPrimaryKeyRelatedField,
    ServiceViewSet,
    scoped_union_input,
    service_call,
    service_schema,
)
from members.models import Member
from members.permissions import IsScopedStaff
from welfare import selectors, services
from welfare.api._common import UNION
from welfare.api.voice import ConcernOutput
from welfare.models import LeadershipVisit, Proposal

# --- 三访日 leadership visits ---------------------------------------------------------------------


class LeadershipVisitInput(serializers.Serializer):
    union = scoped_union_input()
    leader_name = serializers.CharField(max_length=50)
    leader_post = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=LeadershipVisit.Kind.choices)
    visited_on = serializers.DateField()
    place = serializers.CharField(max_length=200)
    met = serializers.CharField()
    people_met = serializers.IntegerField(min_value=0, required=False, default=0)
    raised = serializers.CharField(required=False, allow_blank=True, default="")
    solved = serializers.CharField(required=False, allow_blank=True, default="")


class VisitMatterOutput(serializers.Serializer):
    concern = serializers.IntegerField(source="concern_id")
    subject = serializers.CharField(source="concern.subject")
    status = serializers.CharField(source="concern.status")
    due_at = serializers.DateTimeField(source="concern.due_at")


class LeadershipVisitOutput(serializers.ModelSerializer):
    union = UNION
    matters = VisitMatterOutput(many=True, read_only=True)

    class Meta:
        model = LeadershipVisit
        fields = [
            "id",
            "union",
            "leader_name",
            "leader_post",
            "kind",
            "visited_on",
            "place",
            "met",
            "people_met",
            "raised",
            "solved",
            "matters",
        ]


class VisitMatterInput(serializers.Serializer):
    raised_by_name = serializers.CharField(max_length=50)
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField()
    member = ScopedPrimaryKeyRelatedField(model=Member, required=False, allow_null=True)
    contact = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)
    answer = serializers.CharField(required=False, default="", allow_blank=True)


@service_schema(LeadershipVisitInput, LeadershipVisitOutput)
class LeadershipVisitViewSet(ServiceViewSet):
    model = LeadershipVisit
    input_serializer, output_serializer = LeadershipVisitInput, LeadershipVisitOutput
    create_service = services.leadership_visit_record
    update_service = services.leadership_visit_update
    instance_name = "visit"
    filterset_fields = ["kind"]

    def get_queryset(self):
        return selectors.leadership_visit_list(viewer=self.request.user).order_by("-pk")

    @extend_schema(request=VisitMatterInput, responses={201: ConcernOutput})
    @action(detail=True, methods=["post"])
    def matters(self, request, pk=None):
        """A matter raised at the visit, followed as a 职工心声 concern."""
        data = VisitMatterInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        concern = service_call(
            services.leadership_visit_matter_raise,
            visit=self.get_object(),
            by=request.user,
            **data.validated_data,
        )
        concern = selectors.concern_list(viewer=request.user).get(pk=concern.pk)
        return Response(ConcernOutput(concern).data, status=status.HTTP_201_CREATED)


# --- 人大代表建议 / 政协提案 ------------------------------------------------------------------------


class ProposalInput(serializers.Serializer):
    union = scoped_union_input()
    source = serializers.ChoiceField(choices=Proposal.Source.choices)
    number = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)
    title = serializers.CharField(max_length=200)
    proposer = serializers.CharField(max_length=100)
    role = serializers.ChoiceField(choices=Proposal.Role.choices)
    lead_unit = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    received_on = serializers.DateField()
    due_on = serializers.DateField()


class ProposalOutput(serializers.ModelSerializer):
    union = UNION

    class Meta:
        model = Proposal
        fields = [
            "id",
            "union",
            "source",
            "number",
            "title",
            "proposer",
            "role",
            "lead_unit",
            "received_on",
            "due_on",
            "reply",
            "replied_on",
            "result",
        ]


class ProposalReplyInput(serializers.Serializer):
    reply = serializers.CharField()
    result = serializers.ChoiceField(choices=Proposal.Result.choices)
    replied_on = serializers.DateField(required=False, allow_null=True, default=None)


@service_schema(ProposalInput, ProposalOutput)
class ProposalViewSet(ServiceViewSet):
    model = Proposal
    input_serializer, output_serializer = ProposalInput, ProposalOutput
    create_service = services.proposal_receive
    update_service = services.proposal_update
    instance_name = "proposal"
    filterset_fields = ["source", "role", "result"]

    @extend_schema(request=ProposalReplyInput, responses={200: ProposalOutput})
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        data = ProposalReplyInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        proposal = service_call(
            services.proposal_reply,
            proposal=self.get_object(),
            by=request.user,
            **data.validated_data,
        )
        return Response(ProposalOutput(proposal).data)


# --- deadlines ---------------------------------------------------------------------------------


class DueMatterOutput(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    union_name = serializers.CharField()
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()


class MattersDueViewSet(viewsets.ViewSet):
    """Open matters of the caller's tree due within `days` (default 14) or overdue: 职工心声 and
    三访日 matters unanswered, 建议/提案 not replied to. Read-only."""

    permission_classes = [IsScopedStaff]

    @extend_schema(responses={200: DueMatterOutput(many=True)})
    def list(self, request):
        try:
            days = max(0, min(int(request.query_params.get("days", 14)), 366))
        except ValueError:
            days = 14
        items = selectors.matters_due(viewer=request.user, within_days=days)
        return Response(DueMatterOutput(items, many=True).data)
