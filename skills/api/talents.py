"""Skilled-talent certifications, training sessions and job drills."""

from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from common.api import service_call
from members.permissions import STAFF_PERMISSIONS
from skills import selectors, services
from skills.api._common import RecordSerializer
from skills.models import (
    SkillCertification,
    SkillSession,
)

# --- certifications, sessions ------------------------------------------------------------------


class CertificationSerializer(serializers.ModelSerializer):
    union = serializers.SlugRelatedField(slug_field="code", read_only=True)
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = SkillCertification
        fields = [
            "id",
            "member",
            "member_name",
            "union",
            "level",
            "occupation",
            "certified_on",
            "certificate_no",
        ]
        validators = []


class CertificationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CertificationSerializer
    permission_classes = STAFF_PERMISSIONS
    filterset_fields = ["level", "occupation"]

    def get_queryset(self):
        return selectors.certification_list(viewer=self.request.user).order_by("-id")

    def create(self, request, *args, **kwargs):
        data = CertificationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cert = service_call(
            services.skill_certification_register, by=request.user, **data.validated_data
        )
        return Response(CertificationSerializer(cert).data, status=status.HTTP_201_CREATED)


class SessionSerializer(RecordSerializer):
    headcount = serializers.IntegerField(min_value=1, required=False)

    class Meta:
        model = SkillSession
        fields = [
            "id",
            "kind",
            "title",
            "union",
            "union_name",
            "enterprise",
            "occupation",
            "held_on",
            "headcount",
            "participants",
        ]


class SessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """技术培训 and 岗位练兵 (filter by `kind`)."""

    serializer_class = SessionSerializer
    permission_classes = STAFF_PERMISSIONS
    filterset_fields = ["kind"]
    ordering_fields = ["held_on", "id"]

    def get_queryset(self):
        return (
            selectors.session_list(viewer=self.request.user)
            .prefetch_related("participants")
            .order_by("-held_on", "id")
        )

    def create(self, request, *args, **kwargs):
        data = SessionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = service_call(
            services.skill_session_record, by=request.user, **data.validated_data
        )
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)
