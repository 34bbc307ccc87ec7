"""Admin for 三访日 leadership visits and 人大代表建议 / 政协提案: each written through its service;
a matter raised at a visit is entered on the visit's page and becomes a 职工心声 concern."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from members.admin_mixins import (
    ScopedHistoryAdmin,
    ScopedServiceAdmin,
    ScopedTabularInline,
    ServiceForm,
)
from members.models import Member
from welfare import selectors, services
from welfare.models import Concern, LeadershipVisit, LeadershipVisitMatter, Proposal
from welfare.services.proposals import PROPOSAL_FIELDS
from welfare.services.visits_by_leaders import VISIT_FIELDS

MATTER_FIELDS = ["matter_by", "matter_subject", "matter_body", "matter_member", "matter_answer"]


class LeadershipVisitForm(ServiceForm):
    """The visit's fields, and on a saved visit one new matter raised at it (optional)."""

    matter_by = forms.CharField(label=_("反映人"), max_length=50, required=False)
    matter_subject = forms.CharField(label=_("反映事项"), max_length=200, required=False)
    matter_body = forms.CharField(label=_("事项内容"), widget=forms.Textarea, required=False)
    # A select of every member would be city-sized: the member autocomplete (scoped by the
    # member admin) serves it, as on the concern's own page.
    matter_member = forms.ModelChoiceField(
        label=_("反映人会籍（可选）"),
        queryset=Member.objects.all(),
        required=False,
        widget=AutocompleteSelect(Concern._meta.get_field("member"), admin.site),
    )
    matter_answer = forms.CharField(
        label=_("当场解决（答复）"),
        widget=forms.Textarea,
        required=False,
        help_text=_("当场解决的填写答复；留空则按职工心声期限跟踪办理"),
    )

    class Meta:
        model = LeadershipVisit
        fields = VISIT_FIELDS

    def perform(self):
        by, data = self.request.user, dict(self.cleaned_data)
        matter = {name: data.pop(name, None) for name in MATTER_FIELDS}
        if self.instance.pk:
            visit = services.leadership_visit_update(visit=self.instance, data=data, by=by)
        else:
            visit = services.leadership_visit_record(by=by, **data)
        if matter["matter_subject"]:
            services.leadership_visit_matter_raise(
                visit=visit,
                raised_by_name=matter["matter_by"] or _("职工"),
                subject=matter["matter_subject"],
                body=matter["matter_body"] or matter["matter_subject"],
                member=matter["matter_member"],
                answer=matter["matter_answer"] or "",
                by=by,
            )
        return visit


class LeadershipVisitMatterInline(ScopedTabularInline):
    model = LeadershipVisitMatter
    extra = 0
    can_delete = False
    fields = ["concern_link", "status", "due_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # a matter is raised through the visit's form (a concern is created)

    @admin.display(description=_("反映事项"))
    def concern_link(self, obj):
        from django.urls import reverse

        url = reverse("admin:welfare_concern_change", args=[obj.concern_id])
        return format_html('<a href="{}">{}</a>', url, obj.concern.subject)

    @admin.display(description=_("状态"))
    def status(self, obj):
        return obj.concern.get_status_display()

    @admin.display(description=_("答复期限"))
    def due_at(self, obj):
        return obj.concern.due_at


@admin.register(LeadershipVisit)
class LeadershipVisitAdmin(ScopedHistoryAdmin, ScopedServiceAdmin):
    form = LeadershipVisitForm
    change_list_template = "admin/welfare/leadershipvisit/change_list.html"  # adds 从表格导入
    inlines = [LeadershipVisitMatterInline]
    list_display = ["visited_on", "leader_name", "leader_post", "kind", "union", "people_met"]
    list_filter = ["kind", "visited_on"]
    search_fields = ["leader_name", "place", "met"]
    list_select_related = ["union"]
    autocomplete_fields = ["union"]

    def get_queryset(self, request):
        return selectors.leadership_visit_list(viewer=request.user)

    def get_fields(self, request, obj=None):
        return [*VISIT_FIELDS, *MATTER_FIELDS]

    def get_urls(self):
        from welfare.admin.imports import import_url

        return [import_url(self, "leadershipvisit"), *super().get_urls()]

    def save_related(self, request, form, formsets, change):
        # The matters are written by the form's service call; the read-only inline saves nothing,
        # but the admin's change message still reads what each formset saved.
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class ProposalForm(ServiceForm):
    class Meta:
        model = Proposal
        fields = [*PROPOSAL_FIELDS, "reply", "result", "replied_on"]

    def perform(self):
        by, data = self.request.user, dict(self.cleaned_data)
        reply = {name: data.pop(name, None) for name in ("reply", "result", "replied_on")}
        if self.instance.pk:
            proposal = services.proposal_update(proposal=self.instance, data=data, by=by)
        else:
            proposal = services.proposal_receive(by=by, **data)
        changed = any(name in self.changed_data for name in reply)
        if reply["reply"] and changed:
            proposal = services.proposal_reply(
                proposal=proposal,
                reply=reply["reply"],
                result=reply["result"] or "",
                replied_on=reply["replied_on"],
                by=by,
            )
        return proposal


@admin.register(Proposal)
class ProposalAdmin(ScopedHistoryAdmin, ScopedServiceAdmin):
    form = ProposalForm
    change_list_template = "admin/welfare/proposal/change_list.html"  # adds 从表格导入
    list_display = [
        "title",
        "source",
        "number",
        "proposer",
        "role",
        "union",
        "received_on",
        "due_on",
        "replied_on",
        "result",
        "overdue_display",
    ]
    list_filter = ["source", "role", "result", "due_on"]
    search_fields = ["title", "proposer", "number"]
    list_select_related = ["union"]
    autocomplete_fields = ["union"]

    def get_queryset(self, request):
        return selectors.proposal_list(viewer=request.user)

    @admin.display(description=_("超期"), boolean=True)
    def overdue_display(self, obj):
        from django.utils import timezone

        end = obj.replied_on or timezone.localdate()
        return end > obj.due_on

    def get_urls(self):
        from welfare.admin.imports import import_url

        return [import_url(self, "proposal"), *super().get_urls()]
