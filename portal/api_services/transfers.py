"""Member API: asking to move to another union (it enters the two-step transfer)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from common.api import service_call
from members import selectors as members_selectors
from members import services as members_services
from members.models import Union
from portal.api import (
    LIST_LIMIT,
    MemberView,
)


class MeTransferInput(serializers.Serializer):
    code = serializers.CharField(
        max_length=32, help_text=_("转入基层工会的代码（向新单位工会询问）")
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)

    def validate_code(self, value: str) -> Union:
        # Union names and codes are not personal: any grassroots union of the city may receive.
        found = Union.objects.filter(level=Union.Level.GRASSROOTS, code=value.strip()).first()
        if found is None:
            raise serializers.ValidationError(_("未找到该基层工会，请核对工会代码后重试。"))
        return found


class MeTransferOutput(serializers.Serializer):
    id = serializers.IntegerField()
    from_union = serializers.CharField(source="from_union.name")
    to_union = serializers.CharField(source="to_union.name")
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    note = serializers.CharField()
    requested_at = serializers.DateTimeField()
    refusal_reason = serializers.CharField()


class TransferView(MemberView):
    """The member's own transfer requests; POST asks to move the membership to another
    grassroots union, named by its code: their union approves the move out, the receiving union
    accepts."""

    @extend_schema(tags=["me"], responses={200: MeTransferOutput(many=True)})
    def get(self, request):
        rows = members_selectors.member_own_transfers(member=request.member)[:LIST_LIMIT]
        return Response(MeTransferOutput(rows, many=True).data)

    @extend_schema(
        tags=["me"],
        request=MeTransferInput,
        responses={
            201: MeTransferOutput,
            400: OpenApiResponse(description=_("工会代码有误、同一工会或已有进行中的转接")),
        },
    )
    def post(self, request):
        data = MeTransferInput(data=request.data)
        data.is_valid(raise_exception=True)
        transfer = service_call(
            members_services.transfer_request_by_member,
            to_union=data.validated_data["code"],
            note=data.validated_data.get("note", ""),
            by=self.actor,
        )
        return Response(MeTransferOutput(transfer).data, status=status.HTTP_201_CREATED)
