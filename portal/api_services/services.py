"""Member API: recuperation sign-up, 湖工助业 job fairs and training courses, legal questions, and
stations near me."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from common.api import service_call
from members.models import Union
from portal.api import (
    LIST_LIMIT,
    MemberView,
)
from portal.api_services._common import NOT_FOUND
from welfare import selectors as welfare_selectors
from welfare import services as welfare_services


def signed_up(
    request, *, actor, input_class, field: str, offered, service, output_class, missing: str
):
    """POST {<field>: id} to sign up for one of `offered` (any other id: not found): the one shape
    of the recuperation, course and job-fair sign-ups. The service holds the place's lock."""
    data = input_class(data=request.data)
    data.is_valid(raise_exception=True)
    item = offered.filter(pk=data.validated_data[field]).first()
    if item is None:
        return Response({"detail": missing}, status=status.HTTP_404_NOT_FOUND)
    place = service_call(service, **{field: item}, by=actor)
    return Response(output_class(place).data, status=status.HTTP_201_CREATED)


class MeProgrammeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField(source="get_kind_display")
    union = serializers.CharField(source="union.name")
    destination = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    capacity = serializers.IntegerField()
    places_left = serializers.SerializerMethodField()
    signed_up = serializers.SerializerMethodField()

    def get_places_left(self, programme) -> int:
        return max(programme.capacity - programme.taken, 0)

    def get_signed_up(self, programme) -> bool:
        return programme.pk in self.context["taken"]


class MeRecuperationPlaceOutput(serializers.Serializer):
    programme = serializers.IntegerField(source="programme_id")
    name = serializers.CharField(source="programme.name")
    destination = serializers.CharField(source="programme.destination")
    starts_on = serializers.DateField(source="programme.starts_on")
    ends_on = serializers.DateField(source="programme.ends_on")


class MeRecuperationOutput(serializers.Serializer):
    open = MeProgrammeOutput(many=True)
    mine = MeRecuperationPlaceOutput(many=True)


class MeSignUpInput(serializers.Serializer):
    programme = serializers.IntegerField(help_text=_("向本人开放报名的疗休养项目"))


class RecuperationView(MemberView):
    """Programmes open to the member (organised by their union or one above, not yet started),
    with the places left, and the member's own places; POST signs up for one of the open ones
    (any other id: not found). Places go first come first served under the programme's lock."""

    def _offered(self):
        return welfare_selectors.member_recuperation_programmes_open(
            member=self.request.member, on=timezone.localdate()
        )

    @extend_schema(tags=["me"], responses={200: MeRecuperationOutput})
    def get(self, request):
        mine = welfare_selectors.member_recuperation_sign_ups(member=request.member)
        taken = set(mine.values_list("programme_id", flat=True))
        offered = self._offered().annotate(taken=Count("participants")).select_related("union")
        return Response(
            {
                "open": MeProgrammeOutput(
                    offered[:LIST_LIMIT], many=True, context={"taken": taken}
                ).data,
                "mine": MeRecuperationPlaceOutput(mine[:LIST_LIMIT], many=True).data,
            }
        )

    @extend_schema(
        tags=["me"],
        request=MeSignUpInput,
        responses={
            201: MeRecuperationPlaceOutput,
            400: OpenApiResponse(description=_("名额已满或已报名")),
            404: NOT_FOUND,
        },
    )
    def post(self, request):
        return signed_up(
            request,
            actor=self.actor,
            input_class=MeSignUpInput,
            field="programme",
            offered=self._offered(),
            service=welfare_services.recuperation_sign_up,
            output_class=MeRecuperationPlaceOutput,
            missing=_("没有找到可报名的疗休养项目。"),
        )


class MeJobFairEmployerOutput(serializers.Serializer):
    name = serializers.CharField()
    positions = serializers.IntegerField()


class MeJobFairOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    union = serializers.CharField(source="union.name")
    held_on = serializers.DateField()
    place = serializers.CharField()
    online = serializers.BooleanField()
    employers = MeJobFairEmployerOutput(many=True, source="employers.all")
    sign_up_open = serializers.BooleanField(help_text=_("是否接受网上报名；否则当天直接到现场"))
    capacity = serializers.IntegerField(allow_null=True, help_text=_("报名名额；null 为不限"))
    places_left = serializers.SerializerMethodField(help_text=_("剩余名额；不限时为 null"))
    signed_up = serializers.SerializerMethodField()

    def get_places_left(self, fair) -> int | None:
        return None if fair.capacity is None else max(fair.capacity - fair.taken, 0)

    def get_signed_up(self, fair) -> bool:
        return fair.pk in self.context["fairs_taken"]


class MeFairSignUpOutput(serializers.Serializer):
    fair = serializers.IntegerField(source="fair_id")
    title = serializers.CharField(source="fair.title")
    held_on = serializers.DateField(source="fair.held_on")
    place = serializers.CharField(source="fair.place")
    online = serializers.BooleanField(source="fair.online")
    signed_up_at = serializers.DateTimeField()


class MeCourseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    trade = serializers.CharField()
    union = serializers.CharField(source="union.name")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    signed_up = serializers.SerializerMethodField()

    def get_signed_up(self, course) -> bool:
        return course.pk in self.context["taken"]


class MeTraineeOutput(serializers.Serializer):
    course = serializers.IntegerField(source="course_id")
    title = serializers.CharField(source="course.title")
    starts_on = serializers.DateField(source="course.starts_on")
    ends_on = serializers.DateField(source="course.ends_on")
    completed = serializers.BooleanField()


class MeJobsOutput(serializers.Serializer):
    fairs = MeJobFairOutput(many=True)
    courses = MeCourseOutput(many=True)
    mine = MeTraineeOutput(many=True)
    fair_sign_ups = MeFairSignUpOutput(many=True)


class MeCourseSignUpInput(serializers.Serializer):
    course = serializers.IntegerField(help_text=_("向本人开放报名的培训班"))


class JobsView(MemberView):
    """湖工助业: upcoming job fairs and open training courses in the member's district or
    city-wide, the member's own course places (`mine`) and their sign-ups to fairs not yet
    held (`fair_sign_ups`)."""

    @extend_schema(tags=["me"], responses={200: MeJobsOutput})
    def get(self, request):
        member = request.member
        today = timezone.localdate()
        mine = welfare_selectors.member_training_sign_ups(member=member)
        taken = set(mine.values_list("course_id", flat=True))
        courses = welfare_selectors.member_training_courses_open(member=member, on=today)
        my_fairs = welfare_selectors.member_job_fair_sign_ups(member=member)
        fairs_taken = set(my_fairs.values_list("fair_id", flat=True))
        fairs = welfare_selectors.with_sign_up_counts(
            welfare_selectors.member_job_fairs_upcoming(member=member, on=today)
        )
        return Response(
            {
                "fairs": MeJobFairOutput(
                    fairs[:LIST_LIMIT], many=True, context={"fairs_taken": fairs_taken}
                ).data,
                "courses": MeCourseOutput(
                    courses[:LIST_LIMIT], many=True, context={"taken": taken}
                ).data,
                "mine": MeTraineeOutput(mine[:LIST_LIMIT], many=True).data,
                "fair_sign_ups": MeFairSignUpOutput(
                    my_fairs.filter(fair__held_on__gte=today)[:LIST_LIMIT], many=True
                ).data,
            }
        )


class MeFairSignUpInput(serializers.Serializer):
    fair = serializers.IntegerField(help_text=_("向本人开放报名的招聘会"))


class FairSignUpView(MemberView):
    """Sign up for one of the job fairs open to the member: in their district or city-wide, not
    yet held, taking sign-ups (any other id: not found). Places, where a fair has a limit, go
    first come first served under the fair's lock."""

    @extend_schema(
        tags=["me"],
        request=MeFairSignUpInput,
        responses={
            201: MeFairSignUpOutput,
            400: OpenApiResponse(description=_("已报名或名额已满")),
            404: NOT_FOUND,
        },
    )
    def post(self, request):
        return signed_up(
            request,
            actor=self.actor,
            input_class=MeFairSignUpInput,
            field="fair",
            offered=welfare_selectors.member_job_fairs_open(
                member=request.member, on=timezone.localdate()
            ),
            service=welfare_services.job_fair_sign_up,
            output_class=MeFairSignUpOutput,
            missing=_("没有找到可报名的招聘会。"),
        )


class CourseSignUpView(MemberView):
    """Sign up for one of the courses open to the member (any other id: not found)."""

    @extend_schema(
        tags=["me"],
        request=MeCourseSignUpInput,
        responses={
            201: MeTraineeOutput,
            400: OpenApiResponse(description=_("已报名或已开班")),
            404: NOT_FOUND,
        },
    )
    def post(self, request):
        return signed_up(
            request,
            actor=self.actor,
            input_class=MeCourseSignUpInput,
            field="course",
            offered=welfare_selectors.member_training_courses_open(
                member=request.member, on=timezone.localdate()
            ),
            service=welfare_services.training_sign_up,
            output_class=MeTraineeOutput,
            missing=_("没有找到可报名的培训班。"),
        )


class MeLegalInput(serializers.Serializer):
    topic = serializers.CharField(max_length=200, help_text=_("事由，如：拖欠工资、工伤认定"))
    question = serializers.CharField(
        max_length=3000, help_text=_("具体情况：时间、单位和经过，不要填写他人的个人信息")
    )


class MeLegalOutput(serializers.Serializer):
    id = serializers.IntegerField()
    union = serializers.CharField(source="union.name")
    asked_on = serializers.DateField()
    topic = serializers.CharField()
    question = serializers.CharField()
    answered = serializers.SerializerMethodField()
    advice = serializers.CharField(help_text=_("律师的解答，未解答时为空"))
    lawyer = serializers.CharField()

    def get_answered(self, consultation) -> bool:
        return bool(consultation.advice)


class LegalView(MemberView):
    """The member's own legal questions with the lawyers' answers; POST asks a new one of the
    member's union (at most 5 a day)."""

    @extend_schema(tags=["me"], responses={200: MeLegalOutput(many=True)})
    def get(self, request):
        rows = welfare_selectors.member_legal_consultations(member=request.member).select_related(
            "union"
        )
        return Response(MeLegalOutput(rows[:LIST_LIMIT], many=True).data)

    @extend_schema(
        tags=["me"],
        request=MeLegalInput,
        responses={
            201: MeLegalOutput,
            400: OpenApiResponse(description=_("内容不完整或超出当日次数")),
        },
    )
    def post(self, request):
        data = MeLegalInput(data=request.data)
        data.is_valid(raise_exception=True)
        consultation = service_call(
            welfare_services.legal_consultation_ask, by=self.actor, **data.validated_data
        )
        return Response(MeLegalOutput(consultation).data, status=status.HTTP_201_CREATED)


class LegalDetailView(MemberView):
    """One of the member's own questions (another's id: not found)."""

    @extend_schema(tags=["me"], responses={200: MeLegalOutput, 404: NOT_FOUND})
    def get(self, request, pk: int):
        consultation = get_object_or_404(
            welfare_selectors.member_legal_consultations(member=request.member), pk=pk
        )
        return Response(MeLegalOutput(consultation).data)


class MeStationsInput(serializers.Serializer):
    # Union names are not personal data: every district may be asked for.
    district = serializers.PrimaryKeyRelatedField(
        queryset=Union.objects.filter(level=Union.Level.DISTRICT),
        required=False,
        help_text=_("区县工会的 id；不填为全市"),
        error_messages={
            "does_not_exist": _("没有这个区县。"),
            "incorrect_type": _("区县应填写编号。"),
        },
    )


class MeStationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(source="get_kind_display")
    name = serializers.CharField()
    address = serializers.CharField()
    union = serializers.CharField(source="union.name")
    opening_hours = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    open_now = serializers.SerializerMethodField(
        help_text=_("现在是否开放；开放时间无法识别时为 null")
    )

    def get_open_now(self, station) -> bool | None:
        return welfare_selectors.station_open_at(station, self.context["now"])


class StationsView(MemberView):
    """Outdoor workers' stations and 妈咪暖心小屋, city-wide or in one district, open now first."""

    @extend_schema(
        tags=["me"],
        parameters=[
            OpenApiParameter("district", int, required=False, description=_("区县工会 id"))
        ],
        responses={
            200: MeStationOutput(many=True),
            400: OpenApiResponse(description=_("区县有误")),
        },
    )
    def get(self, request):
        data = MeStationsInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        now = timezone.now()
        stations = welfare_selectors.stations_near_me(district=data.validated_data.get("district"))
        rows = MeStationOutput(stations[:200], many=True, context={"now": now}).data
        order = {True: 0, None: 1, False: 2}
        return Response(sorted(rows, key=lambda row: order[row["open_now"]]))
