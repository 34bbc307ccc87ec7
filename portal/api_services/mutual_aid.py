"""Member API: claims (list, apply with the separate consent to medical receipts), a claim's
detail and withdrawal, and the year's mutual-aid cover."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from common.api import service_call
from portal import selectors, services
from portal.api import (
    LIST_LIMIT,
    STEP_UP_RESPONSES,
    MemberView,
    _step_up_code_field,
    step_up_refusal,
)
from portal.api_services._common import NOT_FOUND
from portal.views_services import (
    MEDICAL_NOTICE,
    MEDICAL_NOTICE_VERSION,
    medical_consent,
    medical_consent_record,
)
from welfare import selectors as welfare_selectors
from welfare import services as welfare_services
from welfare.models import Claim


class MeClaimOutput(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    submitted_at = serializers.DateTimeField()
    plan = serializers.CharField(source="enrolment.line.plan")


class MeClaimInput(serializers.Serializer):
    code = _step_up_code_field()
    line = serializers.IntegerField(help_text=_("参加的互助项目（本人参保的项目之一）"))
    category = serializers.ChoiceField(choices=Claim.Category.choices)
    hospital = serializers.CharField(max_length=100)
    admitted_on = serializers.DateField()
    discharged_on = serializers.DateField()
    total_expenses = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    eligible_expenses = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    diagnosis = serializers.CharField(max_length=200, required=False, allow_blank=True)
    receipts = serializers.ListField(
        child=serializers.FileField(), min_length=1, help_text=_("票据照片或PDF，可多张")
    )
    consent = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "尚未同意时必填 true：会员阅读医疗健康信息告知书后，明确同意收集医疗票据（单独同意）"
        ),
    )
    consent_version = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=_("可选：会员阅读的告知书版本号；与当前版本不一致时拒绝，请重新展示告知书"),
    )


def medical_consent_refusal(*, agreed: bool, version: str) -> Response | None:
    """For a person who has not consented to the notice on medical receipts: the 400 that shows
    the notice, unless this request says `consent: true` (to the current version, if it names
    one). Consent is never inferred from a claim being sent (PIPL art. 29: separate consent)."""
    if agreed and version in ("", MEDICAL_NOTICE_VERSION):
        return None
    if agreed:
        problem = {
            "consent_version": [_("告知书已更新，请重新阅读后再同意。")],
            "error": "consent_outdated",
        }
    else:
        problem = {
            "consent": [_("请先阅读医疗健康信息处理告知书，同意后再提交（需单独同意）。")],
            "error": "consent_required",
        }
    problem |= {"notice": MEDICAL_NOTICE, "notice_version": MEDICAL_NOTICE_VERSION}
    return Response(problem, status=status.HTTP_400_BAD_REQUEST)


class ClaimsView(MemberView):
    @extend_schema(tags=["me"], responses={200: MeClaimOutput(many=True)})
    def get(self, request):
        rows = welfare_selectors.member_claims(member=request.member)[:LIST_LIMIT]
        return Response(MeClaimOutput(rows, many=True).data)

    @extend_schema(
        tags=["me"],
        request={"multipart/form-data": MeClaimInput},
        responses={
            201: MeClaimOutput,
            **STEP_UP_RESPONSES,
            400: OpenApiResponse(
                description=_(
                    "尚未同意医疗健康信息告知书（error: consent_required，答复中附告知书全文和"
                    "版本号）、项目或银行卡有误、验证码不正确或已失效"
                )
            ),
        },
    )
    def post(self, request):
        """Apply for mutual aid, as on the portal's page: the separate consent to medical
        receipts (once, given explicitly with `consent: true`), receipts, the member's
        registered bank card, and a fresh SMS code. Every check that writes nothing runs before
        the code is spent."""
        data = MeClaimInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        member = request.member
        consent = medical_consent(member)
        agreed = fields.pop("consent", False)
        version = fields.pop("consent_version", "")
        if consent is None:
            refusal = medical_consent_refusal(agreed=agreed, version=version)
            if refusal is not None:
                return refusal
        line = next(
            (
                line
                for line in selectors.member_claimable_lines(member=member)
                if line.pk == fields["line"]
            ),
            None,
        )
        if line is None:
            return Response(
                {"line": [_("没有找到可申请的互助项目。")]}, status=status.HTTP_400_BAD_REQUEST
            )
        card = welfare_services.bank_card_current(member=member)
        if card is None:
            return Response(
                {"bank_card": [_("请先登记收款银行卡（bank-card/）。")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        refusal = step_up_refusal(request, fields.pop("code", ""))
        if refusal is not None:
            return refusal
        service_call(
            services.rate_limit,
            key=f"claim-apply:{member.id_number_hash}",
            limit=10,
            window=dt.timedelta(days=1),
        )
        if consent is None:
            medical_consent_record(member)
        fields["line"] = line
        # A refusal raises, and the request's transaction takes the consent and the code back.
        claim = service_call(welfare_services.claim_apply, by=self.actor, bank_card=card, **fields)
        return Response(MeClaimOutput(claim).data, status=status.HTTP_201_CREATED)


class MeClaimEventOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    from_state = serializers.CharField(source="get_from_state_display")
    to_state = serializers.CharField(source="get_to_state_display")
    by_member = serializers.BooleanField(help_text=_("是否会员本人操作"))
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    note = serializers.CharField()


class MeClaimDetailOutput(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    plan = serializers.CharField(source="enrolment.line.plan")
    line = serializers.CharField(source="enrolment.line")
    category = serializers.CharField(source="get_category_display")
    hospital = serializers.CharField()
    admitted_on = serializers.DateField()
    discharged_on = serializers.DateField()
    total_expenses = serializers.DecimalField(max_digits=12, decimal_places=2)
    eligible_expenses = serializers.DecimalField(max_digits=12, decimal_places=2)
    allowed_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    rejection_reason = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True, help_text=_("未审核时为 null"))
    can_withdraw = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    def get_can_withdraw(self, claim) -> bool:
        return claim.state in claim.OPEN_STATES

    @extend_schema_field(MeClaimEventOutput(many=True))
    def get_events(self, claim) -> list:
        events = sorted(claim.events.all(), key=lambda event: event.at)
        return MeClaimEventOutput(events, many=True).data


class MeWithdrawInput(serializers.Serializer):
    confirm = serializers.BooleanField(help_text=_("确认撤回，须为 true"))


class ClaimDetailView(MemberView):
    """One of the member's own claims with its history; POST withdraws it while it is open."""

    def _claim(self, pk: int):
        # Whatever id is in the URL, only the person's own claims are looked in.
        return get_object_or_404(welfare_selectors.member_claims(member=self.request.member), pk=pk)

    @extend_schema(tags=["me"], responses={200: MeClaimDetailOutput, 404: NOT_FOUND})
    def get(self, request, pk: int):
        return Response(MeClaimDetailOutput(self._claim(pk)).data)

    @extend_schema(
        tags=["me"],
        operation_id="v1_me_claims_withdraw",
        request=MeWithdrawInput,
        responses={
            200: MeClaimDetailOutput,
            400: OpenApiResponse(description=_("未确认，或申请已不能撤回")),
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk: int):
        claim = self._claim(pk)
        data = MeWithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["confirm"]:
            return Response(
                {"confirm": [_("请确认撤回这份申请。")]}, status=status.HTTP_400_BAD_REQUEST
            )
        claim = service_call(welfare_services.claim_withdraw, claim=claim, by=self.actor)
        return Response(MeClaimDetailOutput(self._claim(claim.pk)).data)


class MeCoverInput(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=2000, max_value=2100, required=False, help_text=_("年度，默认今年")
    )


class MeCoverOutput(serializers.Serializer):
    plan = serializers.CharField(source="line.plan")
    year = serializers.IntegerField(source="line.plan.year")
    line = serializers.CharField(source="line.name")
    kind = serializers.CharField(source="line.get_kind_display")
    period_start = serializers.DateField(source="line.plan.period_start")
    period_end = serializers.DateField(source="line.plan.period_end")
    enrolled_on = serializers.DateField()


class CoverView(MemberView):
    """The mutual-aid lines the member is enrolled in for a year (this year by default)."""

    @extend_schema(
        tags=["me"],
        parameters=[OpenApiParameter("year", int, required=False, description=_("年度"))],
        responses={200: MeCoverOutput(many=True), 400: OpenApiResponse(description=_("年度有误"))},
    )
    def get(self, request):
        data = MeCoverInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        year = data.validated_data.get("year", timezone.localdate().year)
        rows = (
            welfare_selectors.member_enrolments(member=request.member)
            .filter(line__plan__year=year)
            .order_by("line__plan__period_start", "pk")[:LIST_LIMIT]
        )
        return Response(MeCoverOutput(rows, many=True).data)
