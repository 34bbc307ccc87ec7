"""The selection before a model-worker honour in the admin: nominate, then move it through
review, 公示 and conferral on its page (each step through its service, in order); objections
are received and handled in the inline."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from members.admin_mixins import (
    ScopedHistoryAdmin,
    ScopedServiceAdmin,
    ScopedTabularInline,
    ServiceForm,
)
from members.scoping import scope_queryset
from skills import services
from skills.models import HonourSelection, SelectionObjection
from skills.services.selections import SELECTION_FIELDS

NOMINATION_FIELDS = [
    "kind",
    "year",
    "awarding_body",
    "member",
    "collective_name",
    "enterprise",
    "union",
    "nominated_on",
    "nominator",
    "deeds",
]
STEP_FIELDS = ["next_step", "step_on", "step_until", "review_passed", "step_note"]


class SelectionForm(ServiceForm):
    next_step = forms.ChoiceField(
        label=_("办理下一步"),
        required=False,
        choices=[
            ("", "---------"),
            ("review", _("审核")),
            ("notice", _("公示")),
            ("confer", _("授予")),
        ],
        help_text=_("审核、公示、授予须依次进行；公示期间的异议在下方登记和处理"),
    )
    step_on = forms.DateField(label=_("日期（审核/公示开始/授予）"), required=False)
    step_until = forms.DateField(label=_("公示结束日期"), required=False)
    review_passed = forms.BooleanField(label=_("审核通过"), required=False, initial=True)
    step_note = forms.CharField(label=_("审核意见"), widget=forms.Textarea, required=False)

    class Meta:
        model = HonourSelection
        fields = NOMINATION_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "union" in self.fields:
            self.fields["union"].required = False
            self.fields["union"].help_text = _("个人候选人不填，取其所属工会")

    def perform(self):
        by, data = self.request.user, dict(self.cleaned_data)
        step = {name: data.pop(name, None) for name in STEP_FIELDS}
        if not self.instance.pk:
            return services.selection_nominate(by=by, **data)
        selection = self.instance
        edits = {k: v for k, v in data.items() if k in SELECTION_FIELDS and k in self.changed_data}
        if edits:
            selection = services.selection_update(selection=selection, data=edits, by=by)
        if step["next_step"] and step["step_on"] is None:
            raise ValidationError({"step_on": _("请填写日期。")})
        if step["next_step"] == "review":
            selection = services.selection_review(
                selection=selection,
                reviewed_on=step["step_on"],
                passed=bool(step["review_passed"]),
                note=step["step_note"] or "",
                by=by,
            )
        elif step["next_step"] == "notice":
            if step["step_until"] is None:
                raise ValidationError({"step_until": _("请填写公示结束日期。")})
            selection = services.selection_notice(
                selection=selection, starts_on=step["step_on"], ends_on=step["step_until"], by=by
            )
        elif step["next_step"] == "confer":
            selection = services.selection_confer(
                selection=selection, conferred_on=step["step_on"], by=by
            )
        return selection


class ObjectionInline(ScopedTabularInline):
    model = SelectionObjection
    extra = 0
    can_delete = False
    fields = ["received_on", "content", "handled_on", "upheld", "handling"]


@admin.register(HonourSelection)
class HonourSelectionAdmin(ScopedHistoryAdmin, ScopedServiceAdmin):
    form = SelectionForm
    inlines = [ObjectionInline]
    list_display = [
        "__str__",
        "kind",
        "year",
        "union",
        "stage",
        "notice_starts_on",
        "notice_ends_on",
    ]
    list_filter = ["stage", "kind", "year"]
    search_fields = ["member__name", "collective_name", "nominator"]
    list_select_related = ["member", "union"]
    autocomplete_fields = ["member", "enterprise", "union"]

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)

    def get_fields(self, request, obj=None):
        if obj is None:
            return NOMINATION_FIELDS
        shown = ["stage", "reviewed_on", "review_note", "conferred_on", "honour", "stopped_reason"]
        return [*NOMINATION_FIELDS, *shown, *STEP_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fixed = ["kind", "year", "member", "collective_name", "union"]
        shown = ["stage", "reviewed_on", "review_note", "conferred_on", "honour", "stopped_reason"]
        if obj.stage != HonourSelection.Stage.NOMINATED:
            fixed += SELECTION_FIELDS
        return [*fixed, *shown]

    def save_related(self, request, form, formsets, change):
        selection, by = form.instance, request.user
        for formset in formsets:
            for inline_form in formset.forms:
                data = getattr(inline_form, "cleaned_data", None)
                if not inline_form.has_changed() or not data:
                    continue
                try:
                    if inline_form.instance.pk is None:
                        services.selection_objection_receive(
                            selection=selection,
                            received_on=data["received_on"],
                            content=data["content"],
                            by=by,
                        )
                    elif data.get("handled_on") is not None:
                        services.selection_objection_handle(
                            objection=inline_form.instance,
                            handled_on=data["handled_on"],
                            upheld=bool(data.get("upheld")),
                            handling=data.get("handling") or "",
                            by=by,
                        )
                except (ValidationError, PermissionDenied) as exc:
                    from skills.admin._common import _errors

                    self.message_user(request, _errors(exc), level="error")
