"""REST API of activities, under /api/v1/activities/: activities (list, detail, create, update,
the check-in token), kinds, attendance, the check-in endpoint, culture positions and shared
centres. Thin: input serializers check the shape, services write, selectors read (scoped to the
caller's tree exactly as in the admin)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from activities import selectors, services
from activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    CulturePosition,
    SharedCultureCentre,
)
from common.api import ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField, service_call
from members.filters import UnionSubtreeFilter
from members.models import Enterprise, Member, Union
from members.permissions import STAFF_PERMISSIONS, IsScopedStaff


# --- kinds -------------------------------------------------------------------------------------
class ActivityKindOutput(serializers.ModelSerializer):
    class Meta:
        model = ActivityKind
        fields = ["code", "name", "has_speaker", "is_builtin"]


class ActivityKindViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ActivityKindOutput
    permission_classes = STAFF_PERMISSIONS
    queryset = ActivityKind.objects.all()
    lookup_field = "code"
    pagination_class = None


# --- activities --------------------------------------------------------------------------------
class ReachOutput(serializers.Serializer):
    enterprise = serializers.CharField(source="enterprise.credit_code")
    enterprise_name = serializers.CharField(source="enterprise.name")
    team = serializers.CharField()


class ActivityOutput(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    union = serializers.SlugRelatedField(slug_field="code", read_only=True)
    union_name = serializers.CharField(source="union.name", read_only=True)
    named_count = serializers.IntegerField(read_only=True, default=None)
    person_times = serializers.IntegerField(read_only=True, default=None)
    reaches = ReachOutput(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "kind_name",
            "title",
            "union",
            "union_name",
            "starts_at",
            "ends_at",
            "place",
            "is_online",
            "speaker",
            "speaker_kind",
            "headcount",
            "named_count",
            "person_times",
            "reaches",
            "note",
        ]


class ReachInput(serializers.Serializer):
    enterprise = ScopedSlugRelatedField(model=Enterprise, slug_field="credit_code")
    team = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ActivityInput(serializers.Serializer):
    kind = ScopedSlugRelatedField(model=ActivityKind, slug_field="code")
    title = serializers.CharField(max_length=200)
    union = ScopedSlugRelatedField(model=Union, slug_field="code")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    is_online = serializers.BooleanField(required=False, default=False)
    speaker = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    speaker_kind = serializers.ChoiceField(
        choices=Activity.SpeakerKind.choices, required=False, allow_blank=True, default=""
    )
    headcount = serializers.IntegerField(min_value=0, required=False, default=0)
    reaches = ReachInput(many=True, required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ActivityUpdateInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_online = serializers.BooleanField(required=False)
    speaker = serializers.CharField(max_length=100, required=False, allow_blank=True)
    speaker_kind = serializers.ChoiceField(
        choices=Activity.SpeakerKind.choices, required=False, allow_blank=True
    )
    headcount = serializers.IntegerField(min_value=0, required=False)
    reaches = ReachInput(many=True, required=False)
    note = serializers.CharField(required=False, allow_blank=True)


def _reach_pairs(items) -> list[tuple[Enterprise, str]] | None:
    if items is None:
        return None
    return [(item["enterprise"], item.get("team", "")) for item in items]


class CheckInCodeOutput(serializers.Serializer):
    token = serializers.CharField()
    url = serializers.CharField()
    closes_at = serializers.DateTimeField()


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.CharFilter(field_name="kind__code", label=_("活动类型编码"))
    union = UnionSubtreeFilter(label=_("主办工会（含下级）编码"))
    date_from = django_filters.DateFilter(method="filter_date_from", label=_("开始日期不早于"))
    date_to = django_filters.DateFilter(method="filter_date_to", label=_("开始日期不晚于"))

    class Meta:
        model = Activity
        fields = ["is_online", "speaker_kind"]

    def filter_date_from(self, qs, name, value):
        return qs.filter(selectors.local_date_q(value, None))

    def filter_date_to(self, qs, name, value):
        return qs.filter(selectors.local_date_q(None, value))


class ActivityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ActivityOutput
    permission_classes = STAFF_PERMISSIONS
    filterset_class = ActivityFilter
    ordering_fields = ["starts_at", "id", "person_times"]
    ordering = ["-starts_at", "-id"]

    def get_queryset(self):
        return selectors.activity_list(viewer=self.request.user).prefetch_related(
            "reaches__enterprise"
        )

    def _fresh(self, activity: Activity) -> Activity:
        return self.get_queryset().get(pk=activity.pk)

    @extend_schema(request=ActivityInput, responses={201: ActivityOutput})
    def create(self, request, *args, **kwargs):
        data = ActivityInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        reaches = _reach_pairs(values.pop("reaches", None))
        activity = service_call(
            services.activity_create, by=request.user, reaches=reaches, **values
        )
        return Response(ActivityOutput(self._fresh(activity)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ActivityUpdateInput, responses={200: ActivityOutput})
    def update(self, request, *args, **kwargs):
        activity = self.get_object()
        data = ActivityUpdateInput(data=request.data, context={"request": request}, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        reaches = _reach_pairs(values.pop("reaches", None))
        activity = service_call(
            services.activity_update,
            activity=activity,
            data=values,
            reaches=reaches,
            by=request.user,
        )
        return Response(ActivityOutput(self._fresh(activity)).data)

    @extend_schema(
        responses={200: CheckInCodeOutput},
        description=_(
            "签到码（供海报或其他系统生成二维码）：token、扫码打开的地址、签到截止时间。"
        ),
    )
    @action(detail=True, methods=["get"], url_path="check-in-code")
    def check_in_code(self, request, pk=None):
        activity = self.get_object()
        token = services.check_in_token(activity=activity)
        return Response(
            {
                "token": token,
                "url": request.build_absolute_uri(f"{services.CHECK_IN_PATH}?token={token}"),
                "closes_at": services.check_in_closes_at(activity),
            }
        )


# --- check-in and attendance -------------------------------------------------------------------
class CanRecordAttendance(BasePermission):
    message = _("您没有登记活动签到的权限。")

    def has_permission(self, request, view) -> bool:
        return request.user.has_perm("activities.add_attendance")


class CheckInInput(serializers.Serializer):
    token = serializers.CharField(max_length=500)
    # Staff check in members of their own part of the tree only: anyone else gets the answer a
    # missing id gets. A worker from elsewhere checks in with their own portal sign-in or e-card.
    member = ScopedPrimaryKeyRelatedField(model=Member, help_text=_("会员编号"))


class AttendanceOutput(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    activity_title = serializers.CharField(source="activity.title", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "activity", "activity_title", "member", "member_name", "method"]
        fields += ["recorded_at"]


class CheckInOutput(serializers.Serializer):
    created = serializers.BooleanField()
    message = serializers.CharField()
    attendance = AttendanceOutput()


class CheckInViewSet(viewsets.ViewSet):
    """POST a scanned token and the member checking in. 201 for a new check-in, 200 (with a
    polite message) if the member had already checked in; 400 for a forged or expired code."""

    permission_classes = [IsScopedStaff, CanRecordAttendance]

    @extend_schema(
        request=CheckInInput,
        responses={
            201: CheckInOutput,
            200: CheckInOutput,
            400: OpenApiResponse(description=_("签到码无效、已过期或尚未开始")),
        },
    )
    def create(self, request):
        data = CheckInInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        result = service_call(
            services.attendance_check_in,
            token=data.validated_data["token"],
            member=data.validated_data["member"],
            by=request.user,
        )
        body = {
            "created": result.created,
            "message": result.message,
            "attendance": AttendanceOutput(result.attendance).data,
        }
        return Response(body, status=status.HTTP_201_CREATED if result.created else 200)


class AttendanceFilter(django_filters.FilterSet):
    # Plain numbers, not model choices: a choice filter would answer "not a valid choice" for an
    # id that exists outside the caller's tree and an empty list for one inside it.
    activity = django_filters.NumberFilter(field_name="activity_id", label=_("活动编号"))
    member = django_filters.NumberFilter(field_name="member_id", label=_("会员编号"))

    class Meta:
        model = Attendance
        fields = ["activity", "member", "method"]


class AttendanceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AttendanceOutput
    permission_classes = STAFF_PERMISSIONS
    filterset_class = AttendanceFilter
    ordering_fields = ["recorded_at", "id"]
    ordering = ["-recorded_at", "-id"]

    def get_queryset(self):
        return selectors.attendance_list(viewer=self.request.user)


# --- culture positions and shared centres ------------------------------------------------------
class CulturePositionOutput(serializers.ModelSerializer):
    union = serializers.SlugRelatedField(slug_field="code", read_only=True)
    union_name = serializers.CharField(source="union.name", read_only=True)

    class Meta:
        model = CulturePosition
        fields = ["id", "name", "union", "union_name", "address", "opened_on", "note"]


class CulturePositionInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    union = ScopedSlugRelatedField(model=Union, slug_field="code")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    opened_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CulturePositionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CulturePositionOutput
    permission_classes = STAFF_PERMISSIONS
    ordering = ["-opened_on", "id"]

    def get_queryset(self):
        return selectors.culture_position_list(viewer=self.request.user)

    @extend_schema(request=CulturePositionInput, responses={201: CulturePositionOutput})
    def create(self, request, *args, **kwargs):
        data = CulturePositionInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        position = service_call(
            services.culture_position_create, by=request.user, **data.validated_data
        )
        return Response(CulturePositionOutput(position).data, status=status.HTTP_201_CREATED)


class SharedCultureCentreOutput(serializers.ModelSerializer):
    union = serializers.SlugRelatedField(slug_field="code", read_only=True)
    co_builders = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    enterprises = serializers.SlugRelatedField(slug_field="credit_code", many=True, read_only=True)

    class Meta:
        model = SharedCultureCentre
        fields = ["id", "name", "union", "co_builders", "enterprises", "workers_served"]
        fields += ["address", "opened_on"]


class SharedCultureCentreViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SharedCultureCentreOutput
    permission_classes = STAFF_PERMISSIONS
    ordering = ["-opened_on", "id"]

    def get_queryset(self):
        return selectors.shared_centre_list(viewer=self.request.user).prefetch_related(
            "co_builders", "enterprises"
        )
