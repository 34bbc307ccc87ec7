"""API for the workers' voice (职工心声 → 回声)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import ScopedPrimaryKeyRelatedField, scoped_union_input, service_call
from members.models import Member
from members.permissions import STAFF_PERMISSIONS
from welfare import selectors, services
from welfare.api._common import UNION
from welfare.models import (
    Concern,
)

# --- the workers' voice -------------------------------------------------------------------------


class ConcernOutput(serializers.ModelSerializer):
    union = UNION
    answered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    time_to_answer = serializers.DurationField(read_only=True, allow_null=True)

    class Meta:
        model = Concern
        fields = [
            "id",
            "member",
            "raised_by_name",
            "contact",
            "channel",
            "union",
            "subject",
            "body",
            "raised_at",
            "due_at",
            "status",
            "answer",
            "answered_at",
            "answered_by",
            "overdue",
            "time_to_answer",
        ]


class ConcernInput(serializers.Serializer):
    union = scoped_union_input()
    raised_by_name = serializers.CharField(max_length=50)
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField()
    channel = serializers.ChoiceField(
        choices=Concern.Channel.choices, default=Concern.Channel.THREE_VISITS
    )
    member = ScopedPrimaryKeyRelatedField(model=Member, required=False, allow_null=True)
    contact = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)


class AnswerInput(serializers.Serializer):
    answer = serializers.CharField()


class RouteInput(serializers.Serializer):
    union = scoped_union_input()


class ConcernViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ConcernOutput
    permission_classes = STAFF_PERMISSIONS
    filterset_fields = ["status", "channel"]

    def get_queryset(self):
        return selectors.concern_list(viewer=self.request.user).order_by("due_at", "pk")

    def _detail(self, concern, code=status.HTTP_200_OK) -> Response:
        concern = get_object_or_404(self.get_queryset(), pk=concern.pk)  # with its annotations
        return Response(ConcernOutput(concern).data, status=code)

    @extend_schema(request=ConcernInput, responses={201: ConcernOutput})
    def create(self, request, *args, **kwargs):
        data = ConcernInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        concern = service_call(services.concern_record, by=request.user, **data.validated_data)
        return self._detail(concern, status.HTTP_201_CREATED)

    @extend_schema(request=AnswerInput, responses={200: ConcernOutput})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        data = AnswerInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        concern = service_call(
            services.concern_answer,
            concern=self.get_object(),
            answer=data.validated_data["answer"],
            by=request.user,
        )
        return self._detail(concern)

    @extend_schema(request=RouteInput, responses={200: ConcernOutput})
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        data = RouteInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        concern = service_call(
            services.concern_route,
            concern=self.get_object(),
            union=data.validated_data["union"],
            by=request.user,
        )
        return self._detail(concern)
