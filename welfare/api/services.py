"""API for service stations, recuperation (疗休养), 湖工助业 job fairs and training, legal aid.

Each route: an input serializer whose fields are what its services take (every reference resolved
through the caller's scope), the entity's create and update services, an output serializer."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import (
    ScopedPrimaryKeyRelatedField,
    ServiceViewSet,
    scoped_union_input,
    service_call,
    service_schema,
)
from members.models import Member
from members.scoping import references
from welfare import services
from welfare.api._common import UNION
from welfare.models import (
    JobFair,
    LegalAidEvent,
    LegalConsultation,
    RecuperationParticipant,
    RecuperationProgramme,
    ServiceStation,
    TrainingCourse,
)
from welfare.services.services import JOB_FAIR_FIELDS

# --- stations ------------------------------------------------------------------------------------


class StationInput(serializers.Serializer):
    union = scoped_union_input()
    kind = serializers.ChoiceField(choices=ServiceStation.Kind.choices)
    name = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=200)
    built_on = serializers.DateField()
    closed_on = serializers.DateField(required=False, allow_null=True)


class StationOutput(serializers.ModelSerializer):
    union = UNION

    class Meta:
        model = ServiceStation
        fields = ["id", "union", "kind", "name", "address", "built_on", "closed_on"]


@service_schema(StationInput, StationOutput)
class StationViewSet(ServiceViewSet):
    model = ServiceStation
    input_serializer, output_serializer = StationInput, StationOutput
    create_service = services.station_create
    update_service = services.station_update
    instance_name = "station"


# --- recuperation --------------------------------------------------------------------------------


class ProgrammeInput(serializers.Serializer):
    union = scoped_union_input()
    kind = serializers.ChoiceField(choices=RecuperationProgramme.Kind.choices)
    name = serializers.CharField(max_length=100)
    destination = serializers.CharField(max_length=100)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    capacity = serializers.IntegerField(min_value=1)


class ProgrammeOutput(serializers.ModelSerializer):
    union = UNION

    class Meta:
        model = RecuperationProgramme
        fields = [
            "id",
            "union",
            "kind",
            "name",
            "destination",
            "starts_on",
            "ends_on",
            "capacity",
        ]


class ParticipantInput(serializers.Serializer):
    member = ScopedPrimaryKeyRelatedField(model=Member)


class ParticipantOutput(serializers.ModelSerializer):
    union = UNION

    class Meta:
        model = RecuperationParticipant
        fields = ["id", "programme", "member", "union"]


@service_schema(ProgrammeInput, ProgrammeOutput)
class ProgrammeViewSet(ServiceViewSet):
    model = RecuperationProgramme
    input_serializer, output_serializer = ProgrammeInput, ProgrammeOutput
    create_service = services.recuperation_programme_create
    update_service = services.recuperation_programme_update
    instance_name = "programme"

    def get_queryset(self):
        # A programme organised above is one the caller's unions send workers to (reaching scope);
        # changing it stays with its organiser's tree (the update service checks).
        return references(RecuperationProgramme, self.request.user).order_by("-pk")

    @extend_schema(request=ParticipantInput, responses={201: ParticipantOutput})
    @action(detail=True, methods=["post"])
    def participants(self, request, pk=None):
        """Put a member of the caller's tree on the programme, while it has places left."""
        data = ParticipantInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        participant = service_call(
            services.recuperation_participant_add,
            programme=self.get_object(),
            member=data.validated_data["member"],
            by=request.user,
        )
        return Response(ParticipantOutput(participant).data, status=status.HTTP_201_CREATED)


# --- 湖工助业 --------------------------------------------------------------------------------------


class JobFairInput(serializers.Serializer):
    union = scoped_union_input()
    title = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    online = serializers.BooleanField(required=False)
    attendance = serializers.IntegerField(min_value=0, required=False)
    sign_up_open = serializers.BooleanField(required=False)
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class JobFairOutput(serializers.ModelSerializer):
    union = UNION

    class Meta:
        model = JobFair
        fields = ["id", *JOB_FAIR_FIELDS]


@service_schema(JobFairInput, JobFairOutput)
class JobFairViewSet(ServiceViewSet):
    model = JobFair
    input_serializer, output_serializer = JobFairInput, JobFairOutput
    create_service = services.job_fair_create
    update_service = services.job_fair_update
    instance_name = "fair"


class CourseInput(serializers.Serializer):
    union = scoped_union_input()
    title = serializers.CharField(max_length=200)
    trade = serializers.CharField(max_length=100, required=False, allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class CourseOutput(serializers.ModelSerializer):
    union = UNION

    class Meta:
        model = TrainingCourse
        fields = ["id", "union", "title", "trade", "starts_on", "ends_on"]


@service_schema(CourseInput, CourseOutput)
class CourseViewSet(ServiceViewSet):
    model = TrainingCourse
    input_serializer, output_serializer = CourseInput, CourseOutput
    create_service = services.training_course_create
    update_service = services.training_course_update
    instance_name = "course"


# --- legal aid -----------------------------------------------------------------------------------


class LegalEventInput(serializers.Serializer):
    union = scoped_union_input()
    kind = serializers.ChoiceField(choices=LegalAidEvent.Kind.choices)
    title = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    person_times = serializers.IntegerField(min_value=0, required=False)


class LegalEventOutput(serializers.ModelSerializer):
    union = UNION

    class Meta:
        model = LegalAidEvent
        fields = ["id", "union", "kind", "title", "held_on", "person_times"]


@service_schema(LegalEventInput, LegalEventOutput)
class LegalEventViewSet(ServiceViewSet):
    model = LegalAidEvent
    input_serializer, output_serializer = LegalEventInput, LegalEventOutput
    create_service = services.legal_aid_event_create
    update_service = services.legal_aid_event_update
    instance_name = "event"


class ConsultationInput(serializers.Serializer):
    union = scoped_union_input()
    event = ScopedPrimaryKeyRelatedField(model=LegalAidEvent, required=False, allow_null=True)
    member = ScopedPrimaryKeyRelatedField(model=Member, required=False, allow_null=True)
    asked_on = serializers.DateField()
    topic = serializers.CharField(max_length=200)
    advice = serializers.CharField(required=False, allow_blank=True)
    lawyer = serializers.CharField(max_length=50, required=False, allow_blank=True)


class ConsultationOutput(serializers.ModelSerializer):
    union = UNION

    class Meta:
        model = LegalConsultation
        fields = ["id", "union", "event", "member", "asked_on", "topic", "advice", "lawyer"]


@service_schema(ConsultationInput, ConsultationOutput)
class ConsultationViewSet(ServiceViewSet):
    model = LegalConsultation
    input_serializer, output_serializer = ConsultationInput, ConsultationOutput
    create_service = services.legal_consultation_create
    update_service = services.legal_consultation_update
    instance_name = "consultation"
