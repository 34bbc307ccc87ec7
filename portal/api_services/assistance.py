"""Member API: applying for hardship aid (a new bank card asks for a fresh SMS code)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from common.api import service_call
from portal.api import (
    LIST_LIMIT,
    STEP_UP_RESPONSES,
    MemberView,
    _step_up_code_field,
    step_up_refusal,
)
from welfare import selectors as welfare_selectors
from welfare import services as welfare_services
from welfare.models import HardshipCase


class MeHardshipInput(serializers.Serializer):
    category = serializers.ChoiceField(choices=HardshipCase.Category.choices)
    application = serializers.CharField(
        max_length=2000, help_text=_("家庭人口、收入、支出和遇到的困难")
    )
    confirm_card = serializers.BooleanField(
        required=False, default=False, help_text=_("已登记银行卡时：确认帮扶金打入该卡")
    )
    bank_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text=_("尚未登记银行卡时填写")
    )
    card_number = serializers.CharField(
        max_length=23, required=False, allow_blank=True, help_text=_("尚未登记银行卡时填写")
    )
    code = _step_up_code_field()


class MeHardshipOutput(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.CharField(source="get_category_display")
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    applied_on = serializers.DateField(allow_null=True)
    application = serializers.CharField()
    refusal_reason = serializers.CharField()
    assessed_on = serializers.DateField(allow_null=True)
    aid_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    aid_paid_on = serializers.DateField(allow_null=True)


class HardshipView(MemberView):
    """The member's hardship applications; POST applies. With a registered card the member
    confirms it; without one the card is registered in the same request, which (like the
    portal's page and bank-card/) needs a fresh SMS code."""

    @extend_schema(tags=["me"], responses={200: MeHardshipOutput(many=True)})
    def get(self, request):
        rows = welfare_selectors.member_hardship_cases(member=request.member)[:LIST_LIMIT]
        return Response(MeHardshipOutput(rows, many=True).data)

    @extend_schema(
        tags=["me"], request=MeHardshipInput, responses={201: MeHardshipOutput, **STEP_UP_RESPONSES}
    )
    def post(self, request):
        data = MeHardshipInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        card = welfare_services.bank_card_current(member=request.member)
        card_fields = None
        if card is not None:
            if not fields["confirm_card"]:
                return Response(
                    {"confirm_card": [_("请确认收款银行卡；如需更换，请先到“收款银行卡”更换。")]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        else:
            card_fields = {
                "bank_name": fields.get("bank_name", ""),
                "card_number": fields.get("card_number", ""),
            }
            missing = {
                name: [_("尚未登记收款银行卡，请填写。")]
                for name, value in card_fields.items()
                if not value
            }
            if missing:
                return Response(missing, status=status.HTTP_400_BAD_REQUEST)
            refusal = step_up_refusal(request, fields.get("code", ""))
            if refusal is not None:
                return refusal
        # One transaction: a refused application leaves no new card behind either.
        with transaction.atomic():
            if card_fields is not None:
                card = service_call(welfare_services.bank_card_set, by=self.actor, **card_fields)
            case = service_call(
                welfare_services.hardship_case_apply,
                by=self.actor,
                bank_card=card,
                category=fields["category"],
                application=fields["application"],
            )
        return Response(MeHardshipOutput(case).data, status=status.HTTP_201_CREATED)
