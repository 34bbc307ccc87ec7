"""Welfare and rights (维权服务): mutual aid with its claims and payouts, hardship assistance and
visits, service stations, recuperation, job fairs and training, legal aid, wage collective
contracts, and the workers' voice. Every record reaches a Union (its own `union`, or through its
member or enterprise) so the tree rule of members/scoping.py applies to it."""

from welfare.models._common import ZERO, money
from welfare.models.assistance import AssistanceFund, HardshipCase, Visit
from welfare.models.mutual_aid import (
    BankCard,
    BenefitLine,
    Claim,
    ClaimEvent,
    ClaimReceipt,
    ClaimReviewQueue,
    Enrolment,
    MutualAidPlan,
    Payout,
    PayoutBatch,
    PayoutBatchExport,
    receipt_path,
)
from welfare.models.proposals import Proposal
from welfare.models.services import (
    JobFair,
    JobFairEmployer,
    JobFairSignUp,
    LegalAidEvent,
    LegalConsultation,
    RecuperationParticipant,
    RecuperationProgramme,
    ServiceStation,
    StationUpgrade,
    StationVisit,
    Trainee,
    TrainingCourse,
)
from welfare.models.visits_by_leaders import LeadershipVisit, LeadershipVisitMatter
from welfare.models.voice import Concern
from welfare.models.wages import (
    GrassrootsInvestment,
    LabourRelationsSite,
    WageContract,
    WageNegotiation,
    WageNegotiationCoverage,
    WageNegotiationRound,
)

__all__ = [
    "ZERO",
    "AssistanceFund",
    "BankCard",
    "BenefitLine",
    "Claim",
    "ClaimEvent",
    "ClaimReceipt",
    "ClaimReviewQueue",
    "Concern",
    "Enrolment",
    "GrassrootsInvestment",
    "HardshipCase",
    "JobFair",
    "JobFairEmployer",
    "JobFairSignUp",
    "LabourRelationsSite",
    "LeadershipVisit",
    "LeadershipVisitMatter",
    "LegalAidEvent",
    "LegalConsultation",
    "MutualAidPlan",
    "Payout",
    "PayoutBatch",
    "PayoutBatchExport",
    "Proposal",
    "RecuperationParticipant",
    "RecuperationProgramme",
    "ServiceStation",
    "StationUpgrade",
    "StationVisit",
    "Trainee",
    "TrainingCourse",
    "Visit",
    "WageContract",
    "WageNegotiation",
    "WageNegotiationCoverage",
    "WageNegotiationRound",
    "money",
    "receipt_path",
]
