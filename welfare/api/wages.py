"""API for labour relations sites, wage collective contracts and grassroots investment."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import (
    ScopedReadViewSet,
    ScopedSlugRelatedField,
    ServiceViewSet,
    scoped_union_input,
    service_call,
    service_schema,
)
from members.models import Enterprise, EnterpriseYear
from members.permissions import STAFF_PERMISSIONS
from members.scoping import scope_queryset
from welfare import services
from welfare.api._common import UNION
from welfare.models import (
    GrassrootsInvestment,
    LabourRelationsSite,
    WageContract,
    WageNegotiation,
    WageNegotiationCoverage,
    WageNegotiationRound,
)


class SiteInput(serializers.Serializer):
    union = scoped_union_input()
    name = serializers.CharField(max_length=200)
    level = serializers.ChoiceField(choices=LabourRelationsSite.Level.choices)
    recognised_on = serializers.DateField()


class SiteOutput(serializers.ModelSerializer):
    union = UNION

    class Meta:
        model = LabourRelationsSite
        fields = ["id", "union", "name", "level", "recognised_on"]


@service_schema(SiteInput, SiteOutput)
class SiteViewSet(ServiceViewSet):
    model = LabourRelationsSite
    input_serializer, output_serializer = SiteInput, SiteOutput
    create_service = services.labour_relations_site_create
    update_service = services.labour_relations_site_update
    instance_name = "site"


class InvestmentInput(serializers.Serializer):
    union = scoped_union_input()
    project = serializers.CharField(max_length=200)
    spent_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class InvestmentOutput(serializers.ModelSerializer):
    union = UNION

    class Meta:
        model = GrassrootsInvestment
        fields = ["id", "union", "project", "spent_on", "amount"]


@service_schema(InvestmentInput, InvestmentOutput)
class InvestmentViewSet(ServiceViewSet):
    model = GrassrootsInvestment
    input_serializer, output_serializer = InvestmentInput, InvestmentOutput
    create_service = services.grassroots_investment_record
    update_service = services.grassroots_investment_update
    instance_name = "investment"


class WageContractOutput(serializers.ModelSerializer):
    union = UNION
    enterprise = serializers.SlugRelatedField(slug_field="credit_code", read_only=True)
    covered_enterprises = serializers.SlugRelatedField(
        slug_field="credit_code", many=True, read_only=True
    )

    class Meta:
        model = WageContract
        fields = [
            "id",
            "scope",
            "enterprise",
            "union",
            "covered_enterprises",
            "signed_on",
            "expires_on",
            "employees_covered",
        ]


def _enterprise_input(**kwargs) -> ScopedSlugRelatedField:
    """An enterprise of the caller's tree, by its unified social credit code."""
    return ScopedSlugRelatedField(model=Enterprise, slug_field="credit_code", **kwargs)


class WageContractInput(serializers.Serializer):
    scope = serializers.ChoiceField(
        choices=WageContract.Scope.choices, default=WageContract.Scope.ENTERPRISE
    )
    enterprise = _enterprise_input(required=False, allow_null=True)
    union = scoped_union_input(required=False, allow_null=True)
    covered_enterprises = serializers.ListField(
        child=_enterprise_input(), required=False, default=list
    )
    signed_on = serializers.DateField()
    expires_on = serializers.DateField()
    employees_covered = serializers.IntegerField(min_value=0)


class WageContractChangeInput(serializers.Serializer):
    """What a correction may change (CONTRACT_FIELDS); the scope and union are fixed."""

    enterprise = _enterprise_input(required=False)
    signed_on = serializers.DateField(required=False)
    expires_on = serializers.DateField(required=False)
    employees_covered = serializers.IntegerField(min_value=0, required=False)


class CoveredEnterprisesInput(serializers.Serializer):
    covered_enterprises = serializers.ListField(child=_enterprise_input(), allow_empty=False)


@extend_schema_view(
    create=extend_schema(request=WageContractInput, responses={201: WageContractOutput}),
    partial_update=extend_schema(
        request=WageContractChangeInput, responses={200: WageContractOutput}
    ),
)
class WageContractViewSet(ScopedReadViewSet):
    """能级工资集体合同: an enterprise's own (its union follows the enterprise) or a 区域性 / 行业性
    one signed by a union and covering enterprises of its tree. Create, correct (PATCH) and set
    the covered enterprises, each through its service; no PUT, no DELETE."""

    output_serializer = WageContractOutput
    filterset_fields = ["scope"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = WageContract.objects.select_related("enterprise", "union").prefetch_related(
            "covered_enterprises"
        )
        return scope_queryset(qs, self.request.user).order_by("-pk")

    def respond(self, contract, status_code: int = status.HTTP_200_OK) -> Response:
        # Read back with its covered enterprises, as the list shows it.
        return super().respond(self.get_queryset().get(pk=contract.pk), status_code)

    def create(self, request, *args, **kwargs):
        values = self.read_input(WageContractInput)
        contract = service_call(services.wage_contract_sign, by=request.user, **values)
        return self.respond(contract, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        contract = self.get_object()
        values = self.read_input(WageContractChangeInput, partial=True)
        contract = service_call(
            services.wage_contract_update, contract=contract, data=values, by=request.user
        )
        return self.respond(contract)

    @extend_schema(request=CoveredEnterprisesInput, responses={200: WageContractOutput})
    @action(detail=True, methods=["post"], url_path="covered-enterprises")
    def covered_enterprises(self, request, pk=None):
        contract = self.get_object()
        values = self.read_input(CoveredEnterprisesInput)
        contract = service_call(
            services.wage_contract_cover,
            contract=contract,
            enterprises=values["covered_enterprises"],
            by=request.user,
        )
        return self.respond(contract)


# --- enterprises' standing per year (规上, 建会) -----------------------------------------------------


class EnterpriseYearInput(serializers.Serializer):
    enterprise = _enterprise_input()
    year = serializers.IntegerField()
    above_designated_size = serializers.BooleanField()
    has_union = serializers.BooleanField()


class EnterpriseYearChangeInput(serializers.Serializer):
    above_designated_size = serializers.BooleanField(required=False)
    has_union = serializers.BooleanField(required=False)


class EnterpriseYearOutput(serializers.ModelSerializer):
    enterprise = serializers.SlugRelatedField(slug_field="credit_code", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    union = serializers.SlugRelatedField(
        source="enterprise.union", slug_field="code", read_only=True
    )

    class Meta:
        model = EnterpriseYear
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "union",
            "year",
            "above_designated_size",
            "has_union",
        ]


@extend_schema_view(
    create=extend_schema(request=EnterpriseYearInput, responses={201: EnterpriseYearOutput}),
    partial_update=extend_schema(
        request=EnterpriseYearChangeInput, responses={200: EnterpriseYearOutput}
    ),
)
class EnterpriseYearViewSet(ScopedReadViewSet):
    """企业年度信息: 规上 and 建会 of an enterprise in a year (the coverage figure's denominator).
    POST records a year (again: corrects it, 200); PATCH corrects 规上 / 建会."""

    output_serializer = EnterpriseYearOutput
    filterset_fields = ["year", "above_designated_size", "has_union"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = EnterpriseYear.objects.select_related("enterprise__union")
        return scope_queryset(qs, self.request.user, "enterprise__union").order_by("-year", "-pk")

    def create(self, request, *args, **kwargs):
        values = self.read_input(EnterpriseYearInput)
        row, created = service_call(services.enterprise_year_record, by=request.user, **values)
        return self.respond(row, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def partial_update(self, request, *args, **kwargs):
        row = self.get_object()
        values = self.read_input(EnterpriseYearChangeInput, partial=True)
        row = service_call(
            services.enterprise_year_update, enterprise_year=row, data=values, by=request.user
        )
        return self.respond(row)


# --- 能级工资集体协商 as a process -------------------------------------------------------------------


class NegotiationInput(serializers.Serializer):
    union = scoped_union_input()
    title = serializers.CharField(max_length=200)
    level = serializers.ChoiceField(choices=WageNegotiation.Level.choices)
    contract_type = serializers.ChoiceField(choices=WageNegotiation.ContractType.choices)
    offered_on = serializers.DateField()
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=WageNegotiation.Topic.choices), required=False
    )
    other_topics = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )


class CoverageOutput(serializers.ModelSerializer):
    enterprise = serializers.SlugRelatedField(slug_field="credit_code", read_only=True)

    class Meta:
        model = WageNegotiationCoverage
        fields = ["enterprise", "employees", "contract"]


class RoundOutput(serializers.ModelSerializer):
    class Meta:
        model = WageNegotiationRound
        fields = ["number", "held_on", "summary", "agreed"]


class NegotiationOutput(serializers.ModelSerializer):
    union = UNION
    coverage = CoverageOutput(many=True, read_only=True)
    rounds = RoundOutput(many=True, read_only=True)

    class Meta:
        model = WageNegotiation
        fields = [
            "id",
            "union",
            "title",
            "level",
            "contract_type",
            "topics",
            "other_topics",
            "stage",
            "offered_on",
            "congress_on",
            "signed_on",
            "expires_on",
            "filed_on",
            "filed_with",
            "coverage",
            "rounds",
        ]


class CoverInput(serializers.Serializer):
    enterprise = ScopedSlugRelatedField(model=Enterprise, slug_field="credit_code")
    employees = serializers.IntegerField(min_value=0)


class RoundInput(serializers.Serializer):
    held_on = serializers.DateField()
    summary = serializers.CharField()
    agreed = serializers.BooleanField(required=False, default=False)


class CongressInput(serializers.Serializer):
    reviewed_on = serializers.DateField()


class SignInput(serializers.Serializer):
    signed_on = serializers.DateField()
    expires_on = serializers.DateField()


class FileInput(serializers.Serializer):
    filed_on = serializers.DateField()
    filed_with = serializers.CharField(max_length=100)


def _stage_action(name, input_class, service):
    @extend_schema(request=input_class, responses={200: NegotiationOutput})
    def step(self, request, pk=None):
        data = input_class(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        service_call(service, negotiation=self.get_object(), by=request.user, **data.validated_data)
        return Response(NegotiationOutput(self.get_queryset().get(pk=pk)).data)

    step.__name__ = name
    return step


@extend_schema_view(
    create=extend_schema(request=NegotiationInput, responses={201: NegotiationOutput})
)
class WageNegotiationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """要约 (create), then each stage in order: cover, rounds, congress, sign, file. A stage
    that would skip one is refused with 400."""

    serializer_class = NegotiationOutput
    permission_classes = STAFF_PERMISSIONS
    filterset_fields = ["stage", "level", "contract_type"]

    def get_queryset(self):
        qs = WageNegotiation.objects.prefetch_related("coverage__enterprise", "rounds")
        return scope_queryset(qs, self.request.user).order_by("-pk")

    def create(self, request, *args, **kwargs):
        data = NegotiationInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        obj = service_call(services.wage_negotiation_offer, by=request.user, **data.validated_data)
        return Response(NegotiationOutput(obj).data, status=status.HTTP_201_CREATED)

    cover = action(detail=True, methods=["post"])(
        _stage_action("cover", CoverInput, services.wage_negotiation_cover)
    )
    rounds = action(detail=True, methods=["post"])(
        _stage_action("rounds", RoundInput, services.wage_negotiation_round_add)
    )
    congress = action(detail=True, methods=["post"])(
        _stage_action("congress", CongressInput, services.wage_negotiation_congress)
    )
    sign = action(detail=True, methods=["post"])(
        _stage_action("sign", SignInput, services.wage_negotiation_sign)
    )
    file = action(detail=True, methods=["post"])(
        _stage_action("file", FileInput, services.wage_negotiation_file)
    )
