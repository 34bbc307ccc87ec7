"""API of 会员关系转接: request, approve, accept and refuse through the transfer services; the receiving
union and enterprise are chosen city-wide (a named exception)."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import (
    CityWideUnionField,
    ScopedPrimaryKeyRelatedField,
    service_call,
)
from members import selectors, services
from members.models import Enterprise, Member, MemberTransfer
from members.permissions import STAFF_PERMISSIONS
from members.scoping import NOT_IN_SCOPE, city_wide

TRANSFER_TO_UNION_REASON = "转入工会可以是全市任一基层工会：工会名称不是个人信息"


TRANSFER_TO_ENTERPRISE_REASON = "转入单位可以是全市任一企业：企业名称不是个人信息"


class CityWideEnterpriseField(serializers.SlugRelatedField):
    """An enterprise chosen from the whole city, by credit code: a transfer's new employer
    (enterprise names are not personal data). The reason is listed for the permission matrix."""

    def __init__(self, *, reason: str, **kwargs):
        self.reason = reason
        kwargs.setdefault("slug_field", "credit_code")
        kwargs.setdefault("queryset", Enterprise.objects.none())
        super().__init__(**kwargs)
        self.error_messages["does_not_exist"] = NOT_IN_SCOPE

    def get_queryset(self):
        request = self.context.get("request")
        return city_wide(Enterprise, getattr(request, "user", None))


class TransferInput(serializers.Serializer):
    """Either `member` (the union left names its own member by id) or `id_number` and `name`
    (the union joined names a member from elsewhere; the answer shows nothing of them until the
    union left approves the move out). Sent in the POST body, never in a URL."""

    member = ScopedPrimaryKeyRelatedField(
        model=Member, required=False, help_text="会员编号（转出工会发起时）"
    )
    id_number = serializers.CharField(
        max_length=32, required=False, help_text="完整公民身份号码（转入工会发起时）"
    )
    name = serializers.CharField(max_length=50, required=False, help_text="姓名（转入工会发起时）")
    to_union = CityWideUnionField(reason=TRANSFER_TO_UNION_REASON)
    to_enterprise = CityWideEnterpriseField(
        reason=TRANSFER_TO_ENTERPRISE_REASON, required=False, allow_null=True
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        by_id = "member" in attrs
        by_person = bool(attrs.get("id_number")) or bool(attrs.get("name"))
        if by_id == by_person:
            raise serializers.ValidationError(
                "请填写会员编号（本工会会员转出），或填写完整公民身份号码和姓名（外单位会员转入），二者选一。"
            )
        if by_person and not (attrs.get("id_number") and attrs.get("name")):
            raise serializers.ValidationError(
                "转入工会发起转接，须同时填写完整公民身份号码和姓名。"
            )
        return attrs


class TransferDecisionInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class TransferOutput(serializers.ModelSerializer):
    """A transfer. `member`, `member_name`, `member_id_number_masked`, `from_union`,
    `from_union_name` and `from_enterprise` are null for the union joined until the union left
    approves the move out."""

    member = serializers.SerializerMethodField()
    member_name = serializers.SerializerMethodField()
    member_id_number_masked = serializers.SerializerMethodField()
    from_union = serializers.SerializerMethodField()
    from_union_name = serializers.SerializerMethodField()
    from_enterprise = serializers.SerializerMethodField()
    to_union = serializers.SlugRelatedField(slug_field="code", read_only=True)
    to_union_name = serializers.CharField(source="to_union.name", read_only=True)
    to_enterprise = serializers.SlugRelatedField(
        slug_field="credit_code", read_only=True, allow_null=True
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = MemberTransfer
        fields = [
            "id",
            "member",
            "member_name",
            "member_id_number_masked",
            "from_union",
            "from_union_name",
            "from_enterprise",
            "to_union",
            "to_union_name",
            "to_enterprise",
            "status",
            "status_display",
            "note",
            "requested_at",
            "out_decided_at",
            "in_decided_at",
            "refusal_reason",
        ]

    def _shown(self, transfer) -> bool:
        request = self.context.get("request")
        return selectors.transfer_shows_member(transfer, viewer=getattr(request, "user", None))

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_member(self, transfer) -> int | None:
        return transfer.member_id if self._shown(transfer) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_member_name(self, transfer) -> str | None:
        return transfer.member.name if self._shown(transfer) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_member_id_number_masked(self, transfer) -> str | None:
        return transfer.member.id_number_masked if self._shown(transfer) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_from_union(self, transfer) -> str | None:
        return transfer.from_union.code if self._shown(transfer) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_from_union_name(self, transfer) -> str | None:
        return transfer.from_union.name if self._shown(transfer) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_from_enterprise(self, transfer) -> str | None:
        if not self._shown(transfer) or transfer.from_enterprise is None:
            return None
        return transfer.from_enterprise.credit_code


class TransferViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """会员关系转接: both sides list their transfers; the union left starts one by member id,
    the union joined by full ID number and name (POST body); each side approves or refuses its
    step."""

    serializer_class = TransferOutput
    permission_classes = STAFF_PERMISSIONS
    ordering_fields = ["requested_at", "id"]
    ordering = ["-requested_at", "-id"]

    def get_queryset(self):
        return selectors.transfer_list(viewer=self.request.user).select_related(
            "from_enterprise", "to_enterprise"
        )

    def _answer(self, transfer, code=status.HTTP_200_OK):
        transfer = self.get_queryset().get(pk=transfer.pk)
        return Response(TransferOutput(transfer, context={"request": self.request}).data, code)

    @extend_schema(request=TransferInput, responses={201: TransferOutput})
    def create(self, request, *args, **kwargs):
        data = TransferInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        common = {
            "to_union": values["to_union"],
            "to_enterprise": values.get("to_enterprise"),
            "note": values.get("note", ""),
            "by": request.user,
        }
        if "member" in values:
            transfer = service_call(services.transfer_request, member=values["member"], **common)
        else:
            transfer = service_call(
                services.transfer_request_incoming,
                id_number=values["id_number"],
                name=values["name"],
                **common,
            )
        return self._answer(transfer, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: TransferOutput})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The side whose step it is agrees: the union left lets the member go, then the union
        joined takes them in."""
        transfer = self.get_object()
        if transfer.status == MemberTransfer.Status.PENDING_OUT:
            transfer = service_call(
                services.transfer_approve_out, transfer=transfer, by=request.user
            )
        else:
            transfer = service_call(services.transfer_accept_in, transfer=transfer, by=request.user)
        return self._answer(transfer)

    @extend_schema(request=TransferDecisionInput, responses={200: TransferOutput})
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        transfer = self.get_object()
        data = TransferDecisionInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        transfer = service_call(
            services.transfer_refuse,
            transfer=transfer,
            reason=data.validated_data["reason"],
            by=request.user,
        )
        return self._answer(transfer)
