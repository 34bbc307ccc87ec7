"""REST API for welfare and rights under /api/v1/welfare/. Thin: input serializers check the
shape, services do the work, output serializers shape the answer; every queryset is scoped to
the caller's part of the tree exactly as in the admin."""

from welfare.api._common import RECORD_ROUTES, UNION, record_viewset, union_input
from welfare.api.mutual_aid import (
    ClaimDetailOutput,
    ClaimInput,
    ClaimOutput,
    ClaimViewSet,
    EnrolmentInput,
    EnrolmentOutput,
    EnrolmentViewSet,
    EventOutput,
    LineOutput,
    PayInput,
    PayoutOutput,
    PayoutViewSet,
    PlanOutput,
    PlanViewSet,
    ReceiptInput,
    ReceiptOutput,
    RejectInput,
)
from welfare.api.services import (
    ConsultationViewSet,
    CourseViewSet,
    JobFairViewSet,
    LegalEventViewSet,
    ProgrammeViewSet,
    StationViewSet,
)
from welfare.api.voice import AnswerInput, ConcernInput, ConcernOutput, ConcernViewSet, RouteInput
from welfare.api.wages import InvestmentViewSet, SiteViewSet, WageContractViewSet

__all__ = [
    "RECORD_ROUTES",
    "UNION",
    "AnswerInput",
    "ClaimDetailOutput",
    "ClaimInput",
    "ClaimOutput",
    "ClaimViewSet",
    "ConcernInput",
    "ConcernOutput",
    "ConcernViewSet",
    "ConsultationViewSet",
    "CourseViewSet",
    "EnrolmentInput",
    "EnrolmentOutput",
    "EnrolmentViewSet",
    "EventOutput",
    "InvestmentViewSet",
    "JobFairViewSet",
    "LegalEventViewSet",
    "LineOutput",
    "PayInput",
    "PayoutOutput",
    "PayoutViewSet",
    "PlanOutput",
    "PlanViewSet",
    "ProgrammeViewSet",
    "ReceiptInput",
    "ReceiptOutput",
    "RejectInput",
    "RouteInput",
    "SiteViewSet",
    "StationViewSet",
    "WageContractViewSet",
    "record_viewset",
    "union_input",
]
