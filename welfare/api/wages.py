"""API for labour relations sites, wage collective contracts and grassroots investment."""

from rest_framework import mixins, serializers, viewsets

from members.permissions import STAFF_PERMISSIONS
from members.scoping import scope_queryset
from welfare import services
from welfare.api._common import UNION, ServiceViewSet, scoped_union_input, service_schema
from welfare.models import GrassrootsInvestment, LabourRelationsSite, WageContract


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
    input_class, output_class = SiteInput, SiteOutput
    create_service = services.labour_relations_site_create
    update_service = services.labour_relations_site_update
    instance_kwarg = "site"


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
    input_class, output_class = InvestmentInput, InvestmentOutput
    create_service = services.grassroots_investment_record
    update_service = services.grassroots_investment_update
    instance_kwarg = "investment"


class WageContractOutput(serializers.ModelSerializer):
    union = UNION

    class Meta:
        model = WageContract
        fields = ["id", "enterprise", "union", "signed_on", "expires_on", "employees_covered"]


class WageContractViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Read-only: a contract is signed and corrected in the admin through wage_contract_sign /
    wage_contract_update, where its union follows its enterprise. No create or update is wired
    here, so POST and PUT answer 405 and the schema lists none."""

    serializer_class = WageContractOutput
    permission_classes = STAFF_PERMISSIONS

    def get_queryset(self):
        return scope_queryset(WageContract.objects.all(), self.request.user).order_by("-pk")
