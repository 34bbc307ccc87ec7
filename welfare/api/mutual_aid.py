"""API for mutual aid (职工医疗互助): plans, benefit lines, enrolments, claims and payouts."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from common.api import ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField, service_call
from members.models import Enterprise, Member
from members.permissions import STAFF_PERMISSIONS
from members.scoping import references
from welfare import selectors, services
from welfare.models import (
    BenefitLine,
    Claim,
    ClaimEvent,
    ClaimReceipt,
    Enrolment,
    MutualAidPlan,
    Payout,
)

UNION = serializers.SlugRelatedField(slug_field="code", read_only=True)

# --- plans --------------------------------------------------------------------------------------


class LineOutput(serializers.ModelSerializer):
    class Meta:
        model = BenefitLine
        fields = [
            "id",
            "kind",
            "name",
            "contribution",
            "deductible",
            "reimbursement_rate",
            "annual_cap",
            "claim_deadline",
        ]


class PlanOutput(serializers.ModelSerializer):
    union = UNION
    lines = LineOutput(many=True, read_only=True)

    class Meta:
        model = MutualAidPlan
        fields = [
            "id",
            "union",
            "year",
            "name",
            "period_start",
            "period_end",
            "enrolment_opens",
            "enrolment_closes",
            "lines",
        ]


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Plans are the rules every union below the organiser applies: staff read the plans that
    reach them (organised at or above their union, or within their tree), by the same rule that
    decides which plans they may name (members.scoping.references)."""

    serializer_class = PlanOutput
    permission_classes = STAFF_PERMISSIONS

    def get_queryset(self):
        return (
            references(MutualAidPlan, self.request.user)
            .select_related("union")
            .prefetch_related("lines")
            .order_by("-year", "union__path")
        )


# --- enrolments ---------------------------------------------------------------------------------


class EnrolmentOutput(serializers.ModelSerializer):
    union = UNION
    member_name = serializers.CharField(source="member.name", read_only=True)
    line_name = serializers.CharField(source="line.name", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "member",
            "member_name",
            "line",
            "line_name",
            "union",
            "payer",
            "enrolled_on",
            "contribution",
        ]


class EnrolmentInput(serializers.Serializer):
    member = ScopedPrimaryKeyRelatedField(model=Member)
    line = ScopedPrimaryKeyRelatedField(model=BenefitLine)
    enrolled_on = serializers.DateField(required=False)
    payer = ScopedSlugRelatedField(
        model=Enterprise, slug_field="credit_code", required=False, allow_null=True
    )


class EnrolmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = EnrolmentOutput
    permission_classes = STAFF_PERMISSIONS
    filterset_fields = ["line", "line__plan__year"]

    def get_queryset(self):
        return selectors.enrolment_list(viewer=self.request.user).order_by("pk")

    @extend_schema(request=EnrolmentInput, responses={201: EnrolmentOutput})
    def create(self, request, *args, **kwargs):
        data = EnrolmentInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        enrolment = service_call(services.enrolment_create, by=request.user, **data.validated_data)
        return Response(EnrolmentOutput(enrolment).data, status=status.HTTP_201_CREATED)


# --- claims -------------------------------------------------------------------------------------


class EventOutput(serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ClaimEvent
        fields = ["at", "by", "by_member", "from_state", "to_state", "amount", "note"]


class ReceiptOutput(serializers.ModelSerializer):
    class Meta:
        model = ClaimReceipt
        fields = ["id", "content_type", "size", "original_name", "uploaded_at"]


class PayoutOutput(serializers.ModelSerializer):
    union = UNION

    class Meta:
        model = Payout
        fields = [
            "id",
            "claim",
            "union",
            "amount",
            "idempotency_key",
            "paid_on",
            "paid_at",
            "bank_reference",
        ]


class ClaimOutput(serializers.ModelSerializer):
    union = UNION
    member_name = serializers.CharField(source="member.name", read_only=True)
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "member",
            "member_name",
            "enrolment",
            "union",
            "admitted_on",
            "discharged_on",
            "hospital",
            "category",
            "diagnosis",
            "total_expenses",
            "eligible_expenses",
            "allowed_amount",
            "state",
            "rejection_reason",
            "submitted_at",
            "reviewer",
            "decided_at",
        ]


class ClaimDetailOutput(ClaimOutput):
    events = EventOutput(many=True, read_only=True)
    receipts = ReceiptOutput(many=True, read_only=True)

    class Meta(ClaimOutput.Meta):
        fields = [*ClaimOutput.Meta.fields, "events", "receipts"]


class ClaimInput(serializers.Serializer):
    enrolment = ScopedPrimaryKeyRelatedField(model=Enrolment)
    admitted_on = serializers.DateField()
    discharged_on = serializers.DateField()
    hospital = serializers.CharField(max_length=100)
    category = serializers.ChoiceField(choices=Claim.Category.choices)
    diagnosis = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    total_expenses = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    eligible_expenses = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class RejectInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class PayInput(serializers.Serializer):
    idempotency_key = serializers.CharField(max_length=64, required=False)
    bank_reference = serializers.CharField(
        max_length=64, required=False, default="", allow_blank=True
    )


class ReceiptInput(serializers.Serializer):
    file = serializers.FileField()


class ClaimViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ClaimOutput
    permission_classes = STAFF_PERMISSIONS
    filterset_fields = ["state", "category", "enrolment__line__plan__year"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.claim_list(viewer=self.request.user).order_by("-submitted_at", "-pk")

    def get_serializer_class(self):
        return ClaimDetailOutput if self.action == "retrieve" else ClaimOutput

    def _detail(self, claim, code=status.HTTP_200_OK) -> Response:
        claim = get_object_or_404(self.get_queryset(), pk=claim.pk)
        return Response(ClaimDetailOutput(claim).data, status=code)

    @extend_schema(request=ClaimInput, responses={201: ClaimDetailOutput})
    def create(self, request, *args, **kwargs):
        data = ClaimInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        claim = service_call(services.claim_submit, by=request.user, **data.validated_data)
        return self._detail(claim, status.HTTP_201_CREATED)

    @extend_schema(responses={200: ClaimOutput(many=True)})
    @action(detail=False, methods=["get"])
    def queue(self, request):
        """The reviewer's queue: open claims, under review first, then oldest first."""
        qs = selectors.claim_queue(viewer=request.user)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ClaimOutput(page, many=True).data)

    @extend_schema(request=None, responses={200: ClaimDetailOutput})
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request, pk=None):
        claim = service_call(services.claim_start_review, claim=self.get_object(), by=request.user)
        return self._detail(claim)

    @extend_schema(request=None, responses={200: ClaimDetailOutput})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        claim = service_call(services.claim_approve, claim=self.get_object(), by=request.user)
        return self._detail(claim)

    @extend_schema(request=RejectInput, responses={200: ClaimDetailOutput})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = RejectInput(data=request.data)
        data.is_valid(raise_exception=True)
        claim = service_call(
            services.claim_reject,
            claim=self.get_object(),
            reason=data.validated_data["reason"],
            by=request.user,
        )
        return self._detail(claim)

    @extend_schema(request=None, responses={200: ClaimDetailOutput})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        claim = service_call(services.claim_withdraw, claim=self.get_object(), by=request.user)
        return self._detail(claim)

    @extend_schema(
        request=PayInput,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
        responses={201: PayoutOutput, 200: PayoutOutput},
    )
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        """Pay the approved claim. Send an Idempotency-Key header (or `idempotency_key`): a retry
        with it, or a doubled request, returns the first payout (200) instead of paying again."""
        data = PayInput(data=request.data)
        data.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key") or data.validated_data.get(
            "idempotency_key", ""
        )
        payout, created = service_call(
            services.claim_pay,
            claim=self.get_object(),
            idempotency_key=key,
            bank_reference=data.validated_data["bank_reference"],
            by=request.user,
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(PayoutOutput(payout).data, status=code)

    @extend_schema(request={"multipart/form-data": ReceiptInput}, responses={201: ReceiptOutput})
    @action(detail=True, methods=["post"])
    def receipts(self, request, pk=None):
        data = ReceiptInput(data=request.data)
        data.is_valid(raise_exception=True)
        receipt = service_call(
            services.receipt_upload,
            claim=self.get_object(),
            upload=data.validated_data["file"],
            by=request.user,
        )
        return Response(ReceiptOutput(receipt).data, status=status.HTTP_201_CREATED)


class PayoutViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PayoutOutput
    permission_classes = STAFF_PERMISSIONS
    filterset_fields = ["paid_on"]

    def get_queryset(self):
        return selectors.payout_list(viewer=self.request.user).order_by("-paid_at", "-pk")
