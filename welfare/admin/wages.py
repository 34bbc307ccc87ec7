"""Admin for labour relations sites, wage collective contracts and grassroots investment."""

from django.contrib import admin

from members.admin_mixins import ScopedServiceAdmin, ServiceForm
from welfare import services
from welfare.models import (
    GrassrootsInvestment,
    LabourRelationsSite,
    WageContract,
)
from welfare.services.wages import CONTRACT_FIELDS, INVESTMENT_FIELDS, SITE_FIELDS


class SiteForm(ServiceForm):
    class Meta:
        model = LabourRelationsSite
        fields = SITE_FIELDS

    def perform(self):
        by, data = self.request.user, dict(self.cleaned_data)
        if self.instance.pk:
            return services.labour_relations_site_update(site=self.instance, data=data, by=by)
        return services.labour_relations_site_create(by=by, **data)


@admin.register(LabourRelationsSite)
class LabourRelationsSiteAdmin(ScopedServiceAdmin):
    form = SiteForm
    list_display = ["name", "level", "union", "recognised_on"]
    list_filter = ["level", "recognised_on"]


class WageContractForm(ServiceForm):
    class Meta:
        model = WageContract
        fields = CONTRACT_FIELDS

    def perform(self):
        if self.instance.pk:
            # The contract's union follows its enterprise inside the service.
            return services.wage_contract_update(
                contract=self.instance, data=dict(self.cleaned_data), by=self.request.user
            )
        return services.wage_contract_sign(by=self.request.user, **self.cleaned_data)


@admin.register(WageContract)
class WageContractAdmin(ScopedServiceAdmin):
    form = WageContractForm
    list_display = ["enterprise", "union", "signed_on", "expires_on", "employees_covered"]
    list_filter = ["signed_on", "enterprise__above_designated_size"]
    search_fields = ["enterprise__name"]
    autocomplete_fields = ["enterprise"]
    list_select_related = ["enterprise", "union"]


class InvestmentForm(ServiceForm):
    class Meta:
        model = GrassrootsInvestment
        fields = INVESTMENT_FIELDS

    def perform(self):
        by, data = self.request.user, dict(self.cleaned_data)
        if self.instance.pk:
            return services.grassroots_investment_update(investment=self.instance, data=data, by=by)
        return services.grassroots_investment_record(by=by, **data)


@admin.register(GrassrootsInvestment)
class GrassrootsInvestmentAdmin(ScopedServiceAdmin):
    form = InvestmentForm
    list_display = ["project", "union", "spent_on", "amount"]
    list_filter = ["spent_on"]
    search_fields = ["project"]
