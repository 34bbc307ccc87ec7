"""Titles and honours under /api/v1/skills/honours/."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status

from common.api import (
    ScopedPrimaryKeyRelatedField,
    ScopedReadViewSet,
    ScopedSlugRelatedField,
    scoped_union_input,
    service_call,
)
from members.models import Enterprise
from skills import selectors, services
from skills.api._common import member_input
from skills.models import Competition, Honour


class HonourInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Honour.Kind.choices)
    year = serializers.IntegerField(min_value=1900, max_value=2100)
    awarding_body = serializers.CharField(max_length=200)
    member = member_input(required=False, allow_null=True)
    collective_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    enterprise = ScopedSlugRelatedField(
        model=Enterprise, slug_field="credit_code", required=False, allow_null=True
    )
    union = scoped_union_input(required=False, allow_null=True)
    competition = ScopedPrimaryKeyRelatedField(model=Competition, required=False, allow_null=True)


class HonourOutput(serializers.ModelSerializer):
    union = serializers.SlugRelatedField(slug_field="code", read_only=True)
    enterprise = serializers.SlugRelatedField(slug_field="credit_code", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    member_name = serializers.CharField(source="member.name", read_only=True, default=None)

    class Meta:
        model = Honour
        fields = [
            "id",
            "kind",
            "kind_display",
            "year",
            "awarding_body",
            "member",
            "member_name",
            "collective_name",
            "enterprise",
            "union",
            "competition",
        ]
        read_only_fields = fields


class HonourViewSet(ScopedReadViewSet):
    output_serializer = HonourOutput
    filterset_fields = ["kind", "year", "competition"]
    ordering_fields = ["year", "id"]

    def get_queryset(self):
        return selectors.honour_list(viewer=self.request.user).order_by("-year", "id")

    @extend_schema(request=HonourInput, responses={201: HonourOutput})
    def create(self, request, *args, **kwargs):
        data = self.read_input(HonourInput)
        honour = service_call(services.honour_award, by=request.user, **data)
        return self.respond(honour, status.HTTP_201_CREATED)
