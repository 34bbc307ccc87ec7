"""Admin for service stations, recuperation (疗休养), 湖工助业 job fairs and training, legal aid."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError

from members.admin_mixins import ScopedServiceAdmin, ServiceForm
from members.scoping import scope_q
from welfare import services
from welfare.admin._common import InlinesAdmin, record_form, report_errors
from welfare.models import (
    JobFair,
    JobFairEmployer,
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

# --- stations ------------------------------------------------------------------------------------


class StationUpgradeInline(admin.TabularInline):
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
    form = record_form(
        ServiceStation, ["union", "kind", "name", "address", "built_on", "closed_on"]
    )
    inlines = [StationUpgradeInline]
    list_display = ["name", "kind", "union", "built_on", "closed_on"]
    list_filter = ["kind", "built_on"]
    search_fields = ["name", "address"]
    list_select_related = ["union"]

    def save_formset(self, request, form, formset, change):
        # Upgrades belong to a station already saved through the service and in scope.
        formset.instance = form.instance
        formset.save()


@admin.register(StationVisit)
class StationVisitAdmin(ScopedServiceAdmin):
    form = StationVisitForm
    scope_field = "station__union"
    list_display = ["station", "visited_on", "member", "person_times"]
    list_filter = ["station__kind", "visited_on"]
    raw_id_fields = ["member"]
    list_select_related = ["station", "member"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is ServiceStation:
            kwargs["queryset"] = ServiceStation.objects.filter(scope_q(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)


# --- recuperation, employment, legal aid -----------------------------------------------------------


class ParticipantInline(admin.TabularInline):
    """New participants are added through the service; those already listed stay as they are."""

    model = RecuperationParticipant
    extra = 0
    can_delete = False
    raw_id_fields = ["member"]
    readonly_fields = ["union"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RecuperationProgramme)
class RecuperationProgrammeAdmin(InlinesAdmin):
    form = record_form(
        RecuperationProgramme,
        ["union", "kind", "name", "destination", "starts_on", "ends_on", "capacity"],
    )
    inlines = [ParticipantInline]
    list_display = ["name", "kind", "union", "destination", "starts_on", "ends_on"]
    list_filter = ["kind", "starts_on"]
    search_fields = ["name"]

    def save_formset(self, request, form, formset, change):
        participants = formset.save(commit=False)
        formset.new_objects = []
        for participant in participants:
            try:
                formset.new_objects.append(
                    services.recuperation_participant_add(
                        programme=form.instance, member=participant.member, by=request.user
                    )
                )
            except (ValidationError, PermissionDenied) as exc:
                report_errors(request, participant.member.name, exc)


class EmployerInline(admin.TabularInline):
    model = JobFairEmployer
    extra = 0
    raw_id_fields = ["enterprise"]


@admin.register(JobFair)
class JobFairAdmin(InlinesAdmin):
    form = record_form(JobFair, ["union", "title", "held_on", "place", "online", "attendance"])
    inlines = [EmployerInline]
    list_display = ["title", "union", "held_on", "online", "attendance"]
    list_filter = ["held_on", "online"]
    search_fields = ["title"]

    def save_formset(self, request, form, formset, change):
        formset.instance = form.instance
        formset.save()


class TraineeInline(admin.TabularInline):
    model = Trainee
    extra = 0
    can_delete = False
    raw_id_fields = ["member"]


@admin.register(TrainingCourse)
class TrainingCourseAdmin(InlinesAdmin):
    form = record_form(TrainingCourse, ["union", "title", "trade", "starts_on", "ends_on"])
    inlines = [TraineeInline]
    list_display = ["title", "union", "trade", "starts_on", "ends_on"]
    list_filter = ["starts_on"]
    search_fields = ["title"]

    def save_formset(self, request, form, formset, change):
        formset.instance = form.instance
        formset.save()


@admin.register(LegalAidEvent)
class LegalAidEventAdmin(ScopedServiceAdmin):
    form = record_form(LegalAidEvent, ["union", "kind", "title", "held_on", "person_times"])
    list_display = ["title", "kind", "union", "held_on", "person_times"]
    list_filter = ["kind", "held_on"]
    search_fields = ["title"]


@admin.register(LegalConsultation)
class LegalConsultationAdmin(ScopedServiceAdmin):
    form = record_form(
        LegalConsultation, ["union", "event", "member", "asked_on", "topic", "advice", "lawyer"]
    )
    list_display = ["topic", "union", "asked_on", "lawyer"]
    list_filter = ["asked_on"]
    raw_id_fields = ["member", "event"]
