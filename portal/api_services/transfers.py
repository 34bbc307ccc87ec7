"""Member API: asking to move to another union (it enters the two-step transfer), and the
township-then-union picker the portal's form offers for choosing the receiving union."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from common.api import service_call
from members import selectors as members_selectors
from members import services as members_services
from portal.api import (
    LIST_LIMIT,
    MemberView,
)

UNION_NOT_FOUND = _("未找到该基层工会，请核对工会代码后重试。")


class MeTransferInput(serializers.Serializer):
    """The receiving union, as on the portal's form: by its code, or by its id in the list of a
    township's unions (transfer-unions/). Union names and codes are not personal: any grassroots
    union of the city may receive (`members.selectors.transfer_receiving_unions`)."""

    code = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text=_("转入基层工会的代码（向新单位工会询问），或 transfer-unions/ 列表中的 code"),
    )
    union = serializers.IntegerField(
        required=False,
        help_text=_("转入基层工会：transfer-unions/ 列表中的 id（与 code 二选一）"),
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)

    def validate(self, attrs: dict) -> dict:
        receiving = members_selectors.transfer_receiving_unions()
        code = attrs.get("code", "").strip()
        by_code = by_id = None
        if code:
            by_code = receiving.filter(code=code).first()
            if by_code is None:
                raise serializers.ValidationError({"code": [UNION_NOT_FOUND]})
        if "union" in attrs:
            by_id = receiving.filter(pk=attrs["union"]).first()
            if by_id is None:
                raise serializers.ValidationError(
                    {"union": [_("未找到该基层工会，请从乡镇/街道的工会列表中重新选择。")]}
                )
        if by_code is None and by_id is None:
            raise serializers.ValidationError(
                {"code": [_("请填写转入工会代码，或从乡镇/街道的工会列表中选择转入的工会。")]}
            )
        if by_code is not None and by_id is not None and by_code != by_id:
            raise serializers.ValidationError(
                {"union": [_("工会代码与所选工会不一致，请只填写其中一项。")]}
            )
        attrs["to_union"] = by_code or by_id
        return attrs


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
    grassroots union, named by its code or picked from a township's list: their union approves
    the move out, the receiving union accepts."""

    @extend_schema(tags=["me"], responses={200: MeTransferOutput(many=True)})
    def get(self, request):
        rows = members_selectors.member_own_transfers(member=request.member)[:LIST_LIMIT]
        return Response(MeTransferOutput(rows, many=True).data)

    @extend_schema(
        tags=["me"],
        request=MeTransferInput,
        responses={
            201: MeTransferOutput,
            400: OpenApiResponse(
                description=_("工会代码或所选工会有误、同一工会或已有进行中的转接")
            ),
        },
    )
    def post(self, request):
        data = MeTransferInput(data=request.data)
        data.is_valid(raise_exception=True)
        transfer = service_call(
            members_services.transfer_request_by_member,
            to_union=data.validated_data["to_union"],
            note=data.validated_data.get("note", ""),
            by=self.actor,
        )
        return Response(MeTransferOutput(transfer).data, status=status.HTTP_201_CREATED)


# --- the receiving-union picker: the same lists as the portal's transfer page ---------------


class MeTownshipOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    district = serializers.CharField(source="parent.name", help_text=_("所属区县总工会"))


class MeReceivingUnionOutput(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("申请转接时作为 union 提交"))
    code = serializers.CharField(help_text=_("也可作为 code 提交"))
    name = serializers.CharField()
    is_joint = serializers.BooleanField(help_text=_("是否联合工会（快递员、骑手、司机等可加入）"))


class MeTownshipInput(serializers.Serializer):
    township = serializers.CharField(
        max_length=32, help_text=_("乡镇/街道工会的代码（transfer-townships/ 列表中的 code）")
    )

    def validate_township(self, value: str):
        township = members_selectors.transfer_townships().filter(code=value.strip()).first()
        if township is None:
            raise serializers.ValidationError(_("未找到该乡镇/街道，请从列表中重新选择。"))
        return township


class TransferTownshipsView(MemberView):
    """Every township or street (乡镇/街道) of the city, by code: the first step of choosing the
    union to move to. Union names are not personal data."""

    @extend_schema(tags=["me"], responses={200: MeTownshipOutput(many=True)})
    def get(self, request):
        return Response(MeTownshipOutput(members_selectors.transfer_townships(), many=True).data)


class TransferUnionsView(MemberView):
    """The grassroots unions (joint unions included) under one township, by code: the second step;
    post the chosen one's id as `union` (or its code as `code`) to transfer/."""

    @extend_schema(
        tags=["me"],
        parameters=[
            OpenApiParameter("township", str, required=True, description=_("乡镇/街道工会的代码"))
        ],
        responses={
            200: MeReceivingUnionOutput(many=True),
            400: OpenApiResponse(description=_("未选择乡镇/街道，或代码有误")),
        },
    )
    def get(self, request):
        data = MeTownshipInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        unions = members_selectors.transfer_receiving_unions(
            township=data.validated_data["township"]
        )[: members_selectors.RECEIVING_UNIONS_SHOWN]
        return Response(MeReceivingUnionOutput(unions, many=True).data)
