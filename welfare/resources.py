"""Spreadsheet exports for the welfare admin (django-import-export): Chinese headers, ID numbers
masked, formulas defused. The rows are the admin's own changelist, so the tree scope holds."""

from import_export import fields

from common.resources import FormulaSafeResource
from welfare.models import Claim, Concern, Enrolment, Payout


class EnrolmentResource(FormulaSafeResource):
    member = fields.Field(attribute="member__name", column_name="姓名")
    id_number = fields.Field(attribute="member__id_number_masked", column_name="公民身份号码")
    line = fields.Field(attribute="line__name", column_name="互助项目")
    year = fields.Field(attribute="line__plan__year", column_name="年度")
    union = fields.Field(attribute="union__name", column_name="所属工会")
    payer = fields.Field(attribute="payer__name", column_name="缴费单位")
    enrolled_on = fields.Field(attribute="enrolled_on", column_name="参保日期")
    contribution = fields.Field(attribute="contribution", column_name="缴费金额（元）")

    class Meta:
        model = Enrolment
        fields = (
            "member",
            "id_number",
            "line",
            "year",
            "union",
            "payer",
            "enrolled_on",
            "contribution",
        )
        export_order = fields


class ClaimResource(FormulaSafeResource):
    number = fields.Field(attribute="pk", column_name="申请编号")
    member = fields.Field(attribute="member__name", column_name="姓名")
    id_number = fields.Field(attribute="member__id_number_masked", column_name="公民身份号码")
    union = fields.Field(attribute="union__name", column_name="所属工会")
    hospital = fields.Field(attribute="hospital", column_name="医院")
    admitted_on = fields.Field(attribute="admitted_on", column_name="入院日期")
    discharged_on = fields.Field(attribute="discharged_on", column_name="出院日期")
    total = fields.Field(attribute="total_expenses", column_name="医疗总费用（元）")
    eligible = fields.Field(attribute="eligible_expenses", column_name="政策范围内费用（元）")
    allowed = fields.Field(attribute="allowed_amount", column_name="核定互助金（元）")
    state = fields.Field(attribute="get_state_display", column_name="状态")
    reason = fields.Field(attribute="rejection_reason", column_name="不予补助理由")

    class Meta:
        model = Claim
        fields = (
            "number",
            "member",
            "id_number",
            "union",
            "hospital",
            "admitted_on",
            "discharged_on",
            "total",
            "eligible",
            "allowed",
            "state",
            "reason",
        )
        export_order = fields


class PayoutResource(FormulaSafeResource):
    claim = fields.Field(attribute="claim_id", column_name="申请编号")
    member = fields.Field(attribute="claim__member__name", column_name="姓名")
    union = fields.Field(attribute="union__name", column_name="所属工会")
    amount = fields.Field(attribute="amount", column_name="发放金额（元）")
    paid_on = fields.Field(attribute="paid_on", column_name="发放日期")
    bank_reference = fields.Field(attribute="bank_reference", column_name="银行流水号")

    class Meta:
        model = Payout
        fields = ("claim", "member", "union", "amount", "paid_on", "bank_reference")
        export_order = fields


class ConcernResource(FormulaSafeResource):
    subject = fields.Field(attribute="subject", column_name="主题")
    raised_by = fields.Field(attribute="raised_by_name", column_name="反映人")
    channel = fields.Field(attribute="get_channel_display", column_name="渠道")
    union = fields.Field(attribute="union__name", column_name="承办工会")
    raised_at = fields.Field(attribute="raised_at", column_name="反映时间")
    due_at = fields.Field(attribute="due_at", column_name="答复期限")
    status = fields.Field(attribute="get_status_display", column_name="状态")
    answered_at = fields.Field(attribute="answered_at", column_name="答复时间")
    answer = fields.Field(attribute="answer", column_name="回声（答复）")

    class Meta:
        model = Concern
        fields = (
            "subject",
            "raised_by",
            "channel",
            "union",
            "raised_at",
            "due_at",
            "status",
            "answered_at",
            "answer",
        )
        export_order = fields
