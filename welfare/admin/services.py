"""Admin for service stations, recuperation (疗休养), 湖工助业 job fairs and training, legal aid.

Every form and inline saves through the entity's services; every choice is narrowed to what the
clerk may name (scoped forms and inlines), members and enterprises by scoped autocomplete."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from members.admin_mixins import ScopedServiceAdmin, ScopedTabularInline, ServiceForm
from welfare import services
from welfare.admin._common import InlinesAdmin, save_inline_through
from welfare.models import (
    JobFair,
    JobFairEmployer,
    JobFairSignUp,
    LegalAidEvent,
    LegalConsultation,
    RecuperationParticipant,
    RecuperationProgramme,
    ServiceStation,
    StationUpgrade,
    StationVisit,
    Trainee,
    TrainingCourse,
)
from welfare.services.services import (
    CONSULTATION_FIELDS,
    COURSE_FIELDS,
    JOB_FAIR_FIELDS,
    LEGAL_EVENT_FIELDS,
    PROGRAMME_FIELDS,
    STATION_FIELDS,
)

# --- stations ------------------------------------------------------------------------------------


class StationForm(ServiceForm):
    class Meta:
        model = ServiceStation
        fields = STATION_FIELDS

    def perform(self):
        by, data = self.request.user, dict(self.cleaned_data)
        if self.instance.pk:
            return services.station_update(station=self.instance, data=data, by=by)
        return services.station_create(by=by, **data)


class StationUpgradeInline(ScopedTabularInline):
    model = StationUpgrade
    extra = 0
    can_delete = False


class StationVisitForm(ServiceForm):
    class Meta:
        model = StationVisit
        fields = ["station", "visited_on", "member", "person_times", "note"]

    def perform(self):
        return services.station_visit_record(by=self.request.user, **self.cleaned_data)


@admin.register(ServiceStation)
class ServiceStationAdmin(InlinesAdmin):
    form = StationForm
    inlines = [StationUpgradeInline]
    list_display = ["name", "kind", "union", "opening_hours", "built_on", "closed_on"]
    list_filter = ["kind", "built_on"]
    search_fields = ["name", "address"]
    list_select_related = ["union"]

    def save_formset(self, request, form, formset, change):
        station, by = form.instance, request.user
        save_inline_through(
            request,
            formset,
            add=lambda values: services.station_upgrade_add(station=station, by=by, **values),
            update=lambda upgrade, data: services.station_upgrade_update(
                upgrade=upgrade, data=data, by=by
            ),
        )


@admin.register(StationVisit)
class StationVisitAdmin(ScopedServiceAdmin):
    form = StationVisitForm
    scope_field = "station__union"
    list_display = ["station", "visited_on", "member", "person_times"]
    list_filter = ["station__kind", "visited_on"]
    autocomplete_fields = ["member"]
    list_select_related = ["station", "member"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)


# --- recuperation --------------------------------------------------------------------------------


class ProgrammeForm(ServiceForm):
    class Meta:
        model = RecuperationProgramme
        fields = PROGRAMME_FIELDS

    def perform(self):
        by, data = self.request.user, dict(self.cleaned_data)
        if self.instance.pk:
            return services.recuperation_programme_update(programme=self.instance, data=data, by=by)
        return services.recuperation_programme_create(by=by, **data)


class ParticipantInline(ScopedTabularInline):
    """New participants are added through the service (scope, duplicates, 名额); those already
    listed stay as they are."""

    model = RecuperationParticipant
    fields = ["member", "union"]
    extra = 0
    can_delete = False
    autocomplete_fields = ["member"]
    readonly_fields = ["union"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RecuperationProgramme)
class RecuperationProgrammeAdmin(InlinesAdmin):
    form = ProgrammeForm
    inlines = [ParticipantInline]
    list_display = ["name", "kind", "union", "destination", "starts_on", "ends_on", "capacity"]
    list_filter = ["kind", "starts_on"]
    search_fields = ["name"]

    def save_formset(self, request, form, formset, change):
        programme, by = form.instance, request.user
        save_inline_through(
            request,
            formset,
            add=lambda values: services.recuperation_participant_add(
                programme=programme, member=values["member"], by=by
            ),
        )


# --- 湖工助业 --------------------------------------------------------------------------------------


class JobFairForm(ServiceForm):
    class Meta:
        model = JobFair
        fields = JOB_FAIR_FIELDS

    def perform(self):
        by, data = self.request.user, dict(self.cleaned_data)
        if self.instance.pk:
            return services.job_fair_update(fair=self.instance, data=data, by=by)
        return services.job_fair_create(by=by, **data)


class EmployerInline(ScopedTabularInline):
    model = JobFairEmployer
    fields = ["enterprise", "name", "positions"]
    extra = 0
    can_delete = False
    autocomplete_fields = ["enterprise"]


class SignUpInline(ScopedTabularInline):
    """Who signed up from the portal (网上报名): members write these themselves, through
    `job_fair_sign_up`; the organiser reads them. Shown only on a fair of the clerk's tree."""

    model = JobFairSignUp
    fields = ["member_name", "union", "phone_masked", "signed_up_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("网上报名")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member", "union")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("姓名"))
    def member_name(self, sign_up):
        return sign_up.member.name

    @admin.display(description=_("手机号码"))
    def phone_masked(self, sign_up):
        # Enough to recognise the caller; the full number stays on the member's record.
        phone = sign_up.member.phone
        return f"{phone[:3]}****{phone[-4:]}" if phone else ""


@admin.register(JobFair)
class JobFairAdmin(InlinesAdmin):
    form = JobFairForm
    inlines = [EmployerInline, SignUpInline]
    list_display = [
        "title",
        "union",
        "held_on",
        "online",
        "attendance",
        "sign_up_open",
        "capacity",
        "signed_up",
    ]
    list_filter = ["held_on", "online", "sign_up_open"]
    search_fields = ["title"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(signed_up_count=Count("sign_ups"))

    @admin.display(description=_("网上报名人数"), ordering="signed_up_count")
    def signed_up(self, fair):
        return fair.signed_up_count

    def save_formset(self, request, form, formset, change):
        if formset.model is JobFairSignUp:
            return  # read-only: members sign up through the portal
        fair, by = form.instance, request.user
        save_inline_through(
            request,
            formset,
            add=lambda values: services.job_fair_employer_add(fair=fair, by=by, **values),
            update=lambda employer, data: services.job_fair_employer_update(
                employer=employer, data=data, by=by
            ),
        )


class CourseForm(ServiceForm):
    class Meta:
        model = TrainingCourse
        fields = COURSE_FIELDS

    def perform(self):
        by, data = self.request.user, dict(self.cleaned_data)
        if self.instance.pk:
            return services.training_course_update(course=self.instance, data=data, by=by)
        return services.training_course_create(by=by, **data)


class TraineeInline(ScopedTabularInline):
    model = Trainee
    fields = ["member", "name", "completed"]
    extra = 0
    can_delete = False
    autocomplete_fields = ["member"]


@admin.register(TrainingCourse)
class TrainingCourseAdmin(InlinesAdmin):
    form = CourseForm
    inlines = [TraineeInline]
    list_display = ["title", "union", "trade", "starts_on", "ends_on"]
    list_filter = ["starts_on"]
    search_fields = ["title"]

    def save_formset(self, request, form, formset, change):
        course, by = form.instance, request.user
        save_inline_through(
            request,
            formset,
            add=lambda values: services.trainee_add(course=course, by=by, **values),
            update=lambda trainee, data: services.trainee_update(trainee=trainee, data=data, by=by),
        )


# --- legal aid -----------------------------------------------------------------------------------


class LegalEventForm(ServiceForm):
    class Meta:
        model = LegalAidEvent
        fields = LEGAL_EVENT_FIELDS

    def perform(self):
        by, data = self.request.user, dict(self.cleaned_data)
        if self.instance.pk:
            return services.legal_aid_event_update(event=self.instance, data=data, by=by)
        return services.legal_aid_event_create(by=by, **data)


@admin.register(LegalAidEvent)
class LegalAidEventAdmin(ScopedServiceAdmin):
    form = LegalEventForm
    list_display = ["title", "kind", "union", "held_on", "person_times"]
    list_filter = ["kind", "held_on"]
    search_fields = ["title"]


class ConsultationForm(ServiceForm):
    class Meta:
        model = LegalConsultation
        fields = CONSULTATION_FIELDS

    def perform(self):
        by, data = self.request.user, dict(self.cleaned_data)
        if self.instance.pk:
            return services.legal_consultation_update(consultation=self.instance, data=data, by=by)
        return services.legal_consultation_create(by=by, **data)


@admin.register(LegalConsultation)
class LegalConsultationAdmin(ScopedServiceAdmin):
    form = ConsultationForm
    list_display = ["topic", "union", "asked_on", "lawyer"]
    list_filter = ["asked_on"]
    # The event is a small scoped select; a member is found by scoped autocomplete.
    autocomplete_fields = ["member"]
