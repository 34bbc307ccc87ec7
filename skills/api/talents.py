"""Skilled-talent certifications, training sessions and job drills."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status

from common.api import (
    ScopedPrimaryKeyRelatedField,
    ScopedReadViewSet,
    scoped_union_input,
    service_call,
)
from members.models import Member
from skills import selectors, services
from skills.api._common import RecordOutput, enterprise_input, member_input
from skills.models import SkillCertification, SkillSession


class CertificationInput(serializers.Serializer):
    member = member_input()
    level = serializers.ChoiceField(choices=SkillCertification.Level.choices)
    occupation = serializers.CharField(max_length=100)
    certified_on = serializers.DateField()
    certificate_no = serializers.CharField(max_length=64, required=False, allow_blank=True)


class CertificationOutput(serializers.ModelSerializer):
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
        read_only_fields = fields


class CertificationViewSet(ScopedReadViewSet):
    output_serializer = CertificationOutput
    filterset_fields = ["level", "occupation"]

    def get_queryset(self):
        return selectors.certification_list(viewer=self.request.user).order_by("-id")

    @extend_schema(request=CertificationInput, responses={201: CertificationOutput})
    def create(self, request, *args, **kwargs):
        data = self.read_input(CertificationInput)
        cert = service_call(services.skill_certification_register, by=request.user, **data)
        return self.respond(cert, status.HTTP_201_CREATED)


class SessionInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SkillSession.Kind.choices)
    title = serializers.CharField(max_length=200)
    union = scoped_union_input()
    enterprise = enterprise_input(required=False, allow_null=True)
    occupation = serializers.CharField(max_length=100, required=False, allow_blank=True)
    held_on = serializers.DateField()
    headcount = serializers.IntegerField(min_value=1, required=False)
    participants = ScopedPrimaryKeyRelatedField(model=Member, many=True, required=False)


class SessionOutput(RecordOutput):
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
        read_only_fields = fields


class SessionViewSet(ScopedReadViewSet):
    """技术培训 and 岗位练兵 (filter by `kind`)."""

    output_serializer = SessionOutput
    filterset_fields = ["kind"]
    ordering_fields = ["held_on", "id"]

    def get_queryset(self):
        return (
            selectors.session_list(viewer=self.request.user)
            .prefetch_related("participants")
            .order_by("-held_on", "id")
        )

    @extend_schema(request=SessionInput, responses={201: SessionOutput})
    def create(self, request, *args, **kwargs):
        data = self.read_input(SessionInput)
        session = service_call(services.skill_session_record, by=request.user, **data)
        return self.respond(session, status.HTTP_201_CREATED)
