"""API for hardship assistance (帮扶) and visits (慰问): funds, hardship cases and their aid,
visits. Each write goes through its own service (scope, the fund's balance and lock), each
input serializer lists what may be sent, and anything else in the body is refused."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField, service_call
from members.models import Member, Union
from members.permissions import STAFF_PERMISSIONS
from members.scoping import scope_queryset
from welfare import services
from welfare.models import AssistanceFund, HardshipCase, Visit

UNION_CODE = serializers.SlugRelatedField(slug_field="code", read_only=True)


class StrictInput(serializers.Serializer):
    """An input serializer that refuses a field it does not list, instead of ignoring it: a
    client sending `aid_amount` or `union` to a route that sets neither must learn so, and no
    such value can slip through to a write."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("此处不能提交该字段。")] for name in unknown}
                )
        return super().to_internal_value(data)


# --- funds ---------------------------------------------------------------------------------------


class FundOutput(serializers.ModelSerializer):
    union = UNION_CODE
    balance = serializers.SerializerMethodField()

    class Meta:
        model = AssistanceFund
        fields = ["id", "union", "name", "source", "amount", "raised_on", "balance"]

    def get_balance(self, fund) -> str:
        return str(services.fund_balance(fund))


class FundUpdateInput(StrictInput):
    name = serializers.CharField(max_length=100)
    source = serializers.ChoiceField(choices=AssistanceFund.Source.choices)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    raised_on = serializers.DateField()


class FundInput(FundUpdateInput):
    union = ScopedSlugRelatedField(model=Union, slug_field="code")


class FundViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = FundOutput
    permission_classes = STAFF_PERMISSIONS

    def get_queryset(self):
        return scope_queryset(AssistanceFund.objects.select_related("union"), self.request.user)

    @extend_schema(request=FundInput, responses={201: FundOutput})
    def create(self, request, *args, **kwargs):
        data = FundInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fund = service_call(services.assistance_fund_raise, by=request.user, **data.validated_data)
        return Response(FundOutput(fund).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FundUpdateInput, responses={200: FundOutput})
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        fund = self.get_object()
        data = FundUpdateInput(data=request.data, partial=partial, context={"request": request})
        data.is_valid(raise_exception=True)
        fund = service_call(
            services.assistance_fund_update,
            fund=fund,
            data=dict(data.validated_data),
            by=request.user,
        )
        return Response(FundOutput(fund).data)


# --- hardship cases ------------------------------------------------------------------------------


class HardshipCaseOutput(serializers.ModelSerializer):
    union = UNION_CODE

    class Meta:
        model = HardshipCase
        fields = [
            "id",
            "member",
            "union",
            "category",
            "assessed_on",
            "assessment",
            "aid_amount",
            "aid_paid_on",
            "fund",
            "closed_on",
        ]


class HardshipCaseInput(StrictInput):
    member = ScopedPrimaryKeyRelatedField(model=Member)
    category = serializers.ChoiceField(choices=HardshipCase.Category.choices)
    assessed_on = serializers.DateField()
    assessment = serializers.CharField(required=False, default="", allow_blank=True)


class HardshipAidInput(StrictInput):
    fund = ScopedPrimaryKeyRelatedField(model=AssistanceFund)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid_on = serializers.DateField()


class HardshipCaseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Opened through hardship_case_open (the union follows the member), paid through
    hardship_aid_pay (the fund named in scope, its balance under a lock); nothing else."""

    serializer_class = HardshipCaseOutput
    permission_classes = STAFF_PERMISSIONS

    def get_queryset(self):
        return scope_queryset(
            HardshipCase.objects.select_related("union"), self.request.user
        ).order_by("-pk")

    @extend_schema(request=HardshipCaseInput, responses={201: HardshipCaseOutput})
    def create(self, request, *args, **kwargs):
        data = HardshipCaseInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        case = service_call(services.hardship_case_open, by=request.user, **data.validated_data)
        return Response(HardshipCaseOutput(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=HardshipAidInput, responses={200: HardshipCaseOutput})
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        """Pay the case's aid from a fund of the caller's tree, within its balance."""
        data = HardshipAidInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        case = service_call(
            services.hardship_aid_pay,
            case=self.get_object(),
            by=request.user,
            **data.validated_data,
        )
        return Response(HardshipCaseOutput(case).data)


# --- visits --------------------------------------------------------------------------------------


class VisitOutput(serializers.ModelSerializer):
    union = UNION_CODE

    class Meta:
        model = Visit
        fields = [
            "id",
            "member",
            "union",
            "visited_on",
            "occasion",
            "visitor",
            "frontline",
            "in_hardship",
            "given",
            "value",
        ]


class VisitInput(StrictInput):
    member = ScopedPrimaryKeyRelatedField(model=Member)
    visited_on = serializers.DateField()
    occasion = serializers.ChoiceField(choices=Visit.Occasion.choices)
    visitor = serializers.CharField(max_length=100)
    given = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    frontline = serializers.BooleanField(required=False, default=True)
    in_hardship = serializers.BooleanField(required=False, default=False)


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Recorded through visit_record: the visit counts in the worker's own union."""

    serializer_class = VisitOutput
    permission_classes = STAFF_PERMISSIONS

    def get_queryset(self):
        return scope_queryset(Visit.objects.select_related("union"), self.request.user).order_by(
            "-pk"
        )

    @extend_schema(request=VisitInput, responses={201: VisitOutput})
    def create(self, request, *args, **kwargs):
        data = VisitInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        visit = service_call(services.visit_record, by=request.user, **data.validated_data)
        return Response(VisitOutput(visit).data, status=status.HTTP_201_CREATED)


# (prefix, viewset, basename) for welfare/urls.py.
ASSISTANCE_ROUTES = [
    ("funds", FundViewSet, "welfare-assistancefund"),
    ("hardship-cases", HardshipCaseViewSet, "welfare-hardshipcase"),
    ("visits", VisitViewSet, "welfare-visit"),
]
