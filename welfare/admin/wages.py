"""Admin for labour relations sites, wage collective contracts and grassroots investment."""

from django.contrib import admin

from members.admin_mixins import ScopedServiceAdmin, ServiceForm
from welfare import services
from welfare.admin._common import record_form
from welfare.models import (
    GrassrootsInvestment,
    LabourRelationsSite,
    WageContract,
)


@admin.register(LabourRelationsSite)
class LabourRelationsSiteAdmin(ScopedServiceAdmin):
    form = record_form(LabourRelationsSite, ["union", "name", "level", "recognised_on"])
    list_display = ["name", "level", "union", "recognised_on"]
    list_filter = ["level", "recognised_on"]


class WageContractForm(ServiceForm):
    class Meta:
        model = WageContract
        fields = ["enterprise", "signed_on", "expires_on", "employees_covered"]

    def perform(self):
        if self.instance.pk:
            return services.record_update(
                instance=self.instance, data=dict(self.cleaned_data), by=self.request.user
            )
        return services.wage_contract_sign(by=self.request.user, **self.cleaned_data)


@admin.register(WageContract)
class WageContractAdmin(ScopedServiceAdmin):
    form = WageContractForm
    list_display = ["enterprise", "union", "signed_on", "expires_on", "employees_covered"]
    list_filter = ["signed_on", "enterprise__above_designated_size"]
    search_fields = ["enterprise__name"]
    raw_id_fields = ["enterprise"]
    list_select_related = ["enterprise", "union"]


@admin.register(GrassrootsInvestment)
class GrassrootsInvestmentAdmin(ScopedServiceAdmin):
    form = record_form(GrassrootsInvestment, ["union", "project", "spent_on", "amount"])
    list_display = ["project", "union", "spent_on", "amount"]
    list_filter = ["spent_on"]
    search_fields = ["project"]
