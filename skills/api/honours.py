"""Titles and honours under /api/v1/skills/honours/."""

from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from common.api import service_call
from members.models import Enterprise, Union
from members.permissions import STAFF_PERMISSIONS
from skills import selectors, services
from skills.models import (
    Honour,
)

# --- honours -----------------------------------------------------------------------------------


class HonourSerializer(serializers.ModelSerializer):
    union = serializers.SlugRelatedField(
        slug_field="code", queryset=Union.objects.all(), required=False, allow_null=True
    )
    enterprise = serializers.SlugRelatedField(
        slug_field="credit_code",
        queryset=Enterprise.objects.all(),
        required=False,
        allow_null=True,
    )
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
        validators = []  # the service says, in Chinese, when a person already holds the title


class HonourViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = HonourSerializer
    permission_classes = STAFF_PERMISSIONS
    filterset_fields = ["kind", "year", "competition"]
    ordering_fields = ["year", "id"]

    def get_queryset(self):
        return selectors.honour_list(viewer=self.request.user).order_by("-year", "id")

    def create(self, request, *args, **kwargs):
        data = HonourSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        honour = service_call(services.honour_award, by=request.user, **data.validated_data)
        return Response(HonourSerializer(honour).data, status=status.HTTP_201_CREATED)
