"""Member API: correction requests, and who viewed my full ID number."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from common.api import service_call
from portal import pipl
from portal.api import (
    LIST_LIMIT,
    MemberView,
)
from portal.models_account import CorrectionRequest


class MeCorrectionInput(serializers.Serializer):
    item = serializers.CharField(max_length=100, help_text=_("哪项信息有误，如：姓名、手机号"))
    body = serializers.CharField(max_length=1000, help_text=_("正确的内容"))


class MeCorrectionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    item = serializers.CharField()
    body = serializers.CharField()
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    submitted_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True, help_text=_("未处理时为 null"))
    resolution = serializers.CharField(help_text=_("工会的处理说明"))


class CorrectionsView(MemberView):
    """The member's own correction requests (PIPL art. 46); POST asks their union to correct
    an item of their record (at most 5 open at once)."""

    @extend_schema(tags=["me"], responses={200: MeCorrectionOutput(many=True)})
    def get(self, request):
        rows = CorrectionRequest.objects.filter(
            member__id_number_hash=request.member.id_number_hash
        )[:LIST_LIMIT]
        return Response(MeCorrectionOutput(rows, many=True).data)

    @extend_schema(
        tags=["me"],
        request=MeCorrectionInput,
        responses={201: MeCorrectionOutput, 400: OpenApiResponse(description=_("内容不完整"))},
    )
    def post(self, request):
        data = MeCorrectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        correction = service_call(
            pipl.correction_request_submit, by=self.actor, **data.validated_data
        )
        return Response(MeCorrectionOutput(correction).data, status=status.HTTP_201_CREATED)


class MeIdViewOutput(serializers.Serializer):
    union = serializers.CharField(help_text=_("查看人所在工会"))
    role = serializers.CharField(help_text=_("查看人的角色（不显示账号）"))
    at = serializers.DateTimeField()
    channel = serializers.CharField()


class IdViewsView(MemberView):
    """Who viewed the member's full ID number: the viewer's union and role, newest first."""

    @extend_schema(tags=["me"], responses={200: MeIdViewOutput(many=True)})
    def get(self, request):
        views = pipl.id_number_views(member=request.member)[:LIST_LIMIT]
        return Response(MeIdViewOutput(views, many=True).data)
