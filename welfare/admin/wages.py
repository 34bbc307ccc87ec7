"""Admin for labour relations sites, wage collective contracts and grassroots investment."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.admin_mixins import (
    ScopedHistoryAdmin,
    ScopedServiceAdmin,
    ScopedTabularInline,
    ServiceForm,
)
from members.models import EnterpriseYear
from welfare import services
from welfare.admin._common import InlinesAdmin, save_inline_through
from welfare.models import (
    GrassrootsInvestment,
    LabourRelationsSite,
    WageContract,
    WageNegotiation,
    WageNegotiationCoverage,
    WageNegotiationRound,
)
from welfare.services.wages import (
    CONTRACT_FIELDS,
    ENTERPRISE_YEAR_FIELDS,
    INVESTMENT_FIELDS,
    NEGOTIATION_FIELDS,
    SITE_FIELDS,
    STAGE_ORDER,
)


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
    """An enterprise's own contract names the enterprise; a 区域性 or 行业性 one names the union
    that signed it and lists the enterprises it covers (each of that union's tree)."""

    class Meta:
        model = WageContract
        fields = ["scope", "union", *CONTRACT_FIELDS, "covered_enterprises"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "union" in self.fields:
            self.fields["union"].required = False
            self.fields["union"].help_text = _(
                "区域性、行业性合同填签订工会；单个企业合同取企业所属工会"
            )

    def perform(self):
        by, data = self.request.user, dict(self.cleaned_data)
        covered = list(data.pop("covered_enterprises", None) or [])
        if self.instance.pk:
            edits = {
                k: v for k, v in data.items() if k in CONTRACT_FIELDS and k in self.changed_data
            }
            # The contract's union follows its enterprise inside the service.
            contract = services.wage_contract_update(contract=self.instance, data=edits, by=by)
            if "covered_enterprises" in self.changed_data:
                contract = services.wage_contract_cover(
                    contract=contract, enterprises=covered, by=by
                )
            return contract
        return services.wage_contract_sign(by=by, covered_enterprises=covered, **data)


@admin.register(WageContract)
class WageContractAdmin(ScopedHistoryAdmin, ScopedServiceAdmin):
    form = WageContractForm
    list_display = ["__str__", "scope", "union", "signed_on", "expires_on", "employees_covered"]
    list_filter = ["scope", "signed_on", "enterprise__above_designated_size"]
    search_fields = ["enterprise__name", "covered_enterprises__name"]
    autocomplete_fields = ["enterprise", "union", "covered_enterprises"]
    list_select_related = ["enterprise", "union"]

    def get_readonly_fields(self, request, obj=None):
        # The scope and a regional contract's union are the contract's identity (see the service).
        return ["scope", "union"] if obj is not None else []

    def get_search_results(self, request, queryset, search_term):
        queryset, _may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False


class EnterpriseYearForm(ServiceForm):
    class Meta:
        model = EnterpriseYear
        fields = ["enterprise", "year", *ENTERPRISE_YEAR_FIELDS]

    def perform(self):
        by, data = self.request.user, dict(self.cleaned_data)
        if self.instance.pk:
            edits = {k: data[k] for k in ENTERPRISE_YEAR_FIELDS if k in self.changed_data}
            return services.enterprise_year_update(enterprise_year=self.instance, data=edits, by=by)
        row, _created = services.enterprise_year_record(by=by, **data)
        return row


# Registered with the wage records: 规上 and 建会 per year are what the coverage figure's
# denominator reads, and the clerks who keep contracts bring in the year's list.
@admin.register(EnterpriseYear)
class EnterpriseYearAdmin(ScopedHistoryAdmin, ScopedServiceAdmin):
    form = EnterpriseYearForm
    scope_field = "enterprise__union"
    change_list_template = "admin/members/enterpriseyear/change_list.html"  # adds 从表格导入
    list_display = ["enterprise", "year", "above_designated_size", "has_union", "union_name"]
    list_filter = ["year", "above_designated_size", "has_union"]
    search_fields = ["enterprise__name", "=enterprise__credit_code"]
    autocomplete_fields = ["enterprise"]
    list_select_related = ["enterprise__union"]

    @admin.display(description=_("所属工会"), ordering="enterprise__union__path")
    def union_name(self, obj):
        return obj.enterprise.union.name

    def get_readonly_fields(self, request, obj=None):
        return ["enterprise", "year"] if obj is not None else []

    def get_urls(self):
        from welfare.admin.imports import import_url

        return [import_url(self, "enterpriseyear"), *super().get_urls()]


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


# --- 能级工资集体协商 as a process -------------------------------------------------------------------


class WageNegotiationForm(ServiceForm):
    """The negotiation's terms (while talks go on) and, on a saved one, the next stage."""

    topics = forms.MultipleChoiceField(
        label=_("协商议题（6+X）"),
        choices=WageNegotiation.Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    next_stage = forms.ChoiceField(
        label=_("推进至下一阶段"),
        choices=[("", "---------"), *[(s.value, s.label) for s in STAGE_ORDER[2:]]],
        required=False,
        help_text=_("协商轮次在下方登记；职代会审议、签订、备案须依次进行"),
    )
    stage_on = forms.DateField(label=_("该阶段日期"), required=False)
    expires_on = forms.DateField(label=_("合同到期日期（签订时填）"), required=False)
    filed_with = forms.CharField(label=_("备案机关（备案时填）"), required=False)

    class Meta:
        model = WageNegotiation
        fields = ["union", "level", *NEGOTIATION_FIELDS]

    def perform(self):
        by, data = self.request.user, dict(self.cleaned_data)
        step = {
            n: data.pop(n, None) for n in ("next_stage", "stage_on", "expires_on", "filed_with")
        }
        if not self.instance.pk:
            return services.wage_negotiation_offer(by=by, **data)
        negotiation = self.instance
        edits = {
            k: v for k, v in data.items() if k in NEGOTIATION_FIELDS and k in self.changed_data
        }
        if edits:
            negotiation = services.wage_negotiation_update(
                negotiation=negotiation, data=edits, by=by
            )
        stage, on = step["next_stage"], step["stage_on"]
        if stage and on is None:
            raise ValidationError({"stage_on": _("请填写该阶段日期。")})
        if stage == WageNegotiation.Stage.CONGRESS:
            negotiation = services.wage_negotiation_congress(
                negotiation=negotiation, reviewed_on=on, by=by
            )
        elif stage == WageNegotiation.Stage.SIGNED:
            if step["expires_on"] is None:
                raise ValidationError({"expires_on": _("请填写合同到期日期。")})
            negotiation = services.wage_negotiation_sign(
                negotiation=negotiation, signed_on=on, expires_on=step["expires_on"], by=by
            )
        elif stage == WageNegotiation.Stage.FILED:
            negotiation = services.wage_negotiation_file(
                negotiation=negotiation, filed_on=on, filed_with=step["filed_with"] or "", by=by
            )
        return negotiation


class CoverageInline(ScopedTabularInline):
    model = WageNegotiationCoverage
    extra = 0
    can_delete = False
    fields = ["enterprise", "employees", "contract"]
    readonly_fields = ["contract"]
    autocomplete_fields = ["enterprise"]


class RoundInline(ScopedTabularInline):
    model = WageNegotiationRound
    extra = 0
    can_delete = False
    fields = ["number", "held_on", "summary", "agreed"]
    readonly_fields = ["number"]

    def has_change_permission(self, request, obj=None):
        return False  # a round is a record of talks held: added, never rewritten


@admin.register(WageNegotiation)
class WageNegotiationAdmin(ScopedHistoryAdmin, InlinesAdmin):
    form = WageNegotiationForm
    inlines = [CoverageInline, RoundInline]
    list_display = ["title", "level", "contract_type", "union", "stage", "offered_on", "signed_on"]
    list_filter = ["stage", "level", "contract_type"]
    search_fields = ["title"]
    list_select_related = ["union"]
    autocomplete_fields = ["union"]

    def get_fields(self, request, obj=None):
        base = ["union", "level", *NEGOTIATION_FIELDS]
        if obj is None:
            return base
        return [
            *base,
            "stage",
            "congress_on",
            "signed_on",
            "filed_on",
            "next_stage",
            "stage_on",
            "expires_on",
            "filed_with",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        shown = ["union", "level", "stage", "congress_on", "signed_on", "filed_on"]
        if obj.stage not in (WageNegotiation.Stage.OFFER, WageNegotiation.Stage.ROUNDS):
            shown += NEGOTIATION_FIELDS
        return shown

    def save_formset(self, request, form, formset, change):
        negotiation, by = form.instance, request.user
        if formset.model is WageNegotiationCoverage:
            add = lambda values: services.wage_negotiation_cover(  # noqa: E731
                negotiation=negotiation, by=by, **values
            )
        else:
            add = lambda values: services.wage_negotiation_round_add(  # noqa: E731
                negotiation=negotiation, by=by, **values
            )
        save_inline_through(request, formset, add=add)
