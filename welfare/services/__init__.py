"""Writes for welfare and rights. The admin, the API, the importers and the member portal all call
these: keyword-only arguments, one transaction, a ValidationError a clerk (or a member) can act
on, PermissionDenied when the acting user's part of the tree does not cover the record.
`by=None` is the system, or the member acting for themselves where a `member` is passed."""

from welfare.services._common import ZERO, record_create, record_update
from welfare.services.assistance import (
    assistance_fund_raise,
    assistance_fund_update,
    fund_balance,
    fund_paid_out,
    hardship_aid_pay,
    hardship_case_open,
    visit_record,
)
from welfare.services.mutual_aid import (
    RECEIPT_MAX_BYTES,
    RECEIPT_SIGNATURES,
    benefit_line_create,
    benefit_line_update,
    check_claim_values,
    claim_apply,
    claim_approve,
    claim_pay,
    claim_reject,
    claim_start_review,
    claim_submit,
    claim_withdraw,
    enrolment_create,
    enrolment_problems,
    plan_create,
    plan_update,
    receipt_check,
    receipt_upload,
)
from welfare.services.services import recuperation_participant_add, station_visit_record
from welfare.services.voice import (
    CONCERN_ANSWER_DAYS,
    concern_answer,
    concern_raise,
    concern_record,
    concern_route,
)
from welfare.services.wages import wage_contract_sign

__all__ = [
    "CONCERN_ANSWER_DAYS",
    "RECEIPT_MAX_BYTES",
    "RECEIPT_SIGNATURES",
    "ZERO",
    "assistance_fund_raise",
    "assistance_fund_update",
    "benefit_line_create",
    "benefit_line_update",
    "check_claim_values",
    "claim_apply",
    "claim_approve",
    "claim_pay",
    "claim_reject",
    "claim_start_review",
    "claim_submit",
    "claim_withdraw",
    "concern_answer",
    "concern_raise",
    "concern_record",
    "concern_route",
    "enrolment_create",
    "enrolment_problems",
    "fund_balance",
    "fund_paid_out",
    "hardship_aid_pay",
    "hardship_case_open",
    "plan_create",
    "plan_update",
    "receipt_check",
    "receipt_upload",
    "record_create",
    "record_update",
    "recuperation_participant_add",
    "station_visit_record",
    "visit_record",
    "wage_contract_sign",
]
