"""More of the member API (/api/v1/me/): a claim's detail and withdrawal, the year's
mutual-aid cover, hardship aid, recuperation sign-up, job fairs and training courses, legal
consultation, transfer requests, honours and certificates, golden ideas, stations near me,
corrections and who viewed my full ID number.

Built like portal/api.py: input and output serializers, the same service the portal's page calls
with `MemberActor`, and lookups among the member's own rows only, so another member's id answers
404 exactly like one that does not exist."""

from portal.api_services._common import (
    NOT_FOUND,
)
from portal.api_services.assistance import (
    HardshipView,
    MeHardshipInput,
    MeHardshipOutput,
)
from portal.api_services.mutual_aid import (
    ClaimDetailView,
    CoverView,
    MeClaimDetailOutput,
    MeClaimEventOutput,
    MeCoverInput,
    MeCoverOutput,
    MeWithdrawInput,
)
from portal.api_services.pipl import (
    CorrectionsView,
    IdViewsView,
    MeCorrectionInput,
    MeCorrectionOutput,
    MeIdViewOutput,
)
from portal.api_services.services import (
    CourseSignUpView,
    FairSignUpView,
    JobsView,
    LegalDetailView,
    LegalView,
    MeCourseOutput,
    MeCourseSignUpInput,
    MeFairSignUpInput,
    MeFairSignUpOutput,
    MeJobFairEmployerOutput,
    MeJobFairOutput,
    MeJobsOutput,
    MeLegalInput,
    MeLegalOutput,
    MeProgrammeOutput,
    MeRecuperationOutput,
    MeRecuperationPlaceOutput,
    MeSignUpInput,
    MeStationOutput,
    MeStationsInput,
    MeTraineeOutput,
    RecuperationView,
    StationsView,
)
from portal.api_services.skills import (
    HonoursView,
    IdeasView,
    MeCertificationOutput,
    MeHonourOutput,
    MeHonoursOutput,
    MeIdeaInput,
    MeIdeaOutput,
)
from portal.api_services.transfers import (
    MeTransferInput,
    MeTransferOutput,
    TransferView,
)

__all__ = [
    "NOT_FOUND",
    "ClaimDetailView",
    "CorrectionsView",
    "CourseSignUpView",
    "CoverView",
    "FairSignUpView",
    "HardshipView",
    "HonoursView",
    "IdViewsView",
    "IdeasView",
    "JobsView",
    "LegalDetailView",
    "LegalView",
    "MeCertificationOutput",
    "MeClaimDetailOutput",
    "MeClaimEventOutput",
    "MeCorrectionInput",
    "MeCorrectionOutput",
    "MeCourseOutput",
    "MeCourseSignUpInput",
    "MeCoverInput",
    "MeCoverOutput",
    "MeFairSignUpInput",
    "MeFairSignUpOutput",
    "MeHardshipInput",
    "MeHardshipOutput",
    "MeHonourOutput",
    "MeHonoursOutput",
    "MeIdViewOutput",
    "MeIdeaInput",
    "MeIdeaOutput",
    "MeJobFairEmployerOutput",
    "MeJobFairOutput",
    "MeJobsOutput",
    "MeLegalInput",
    "MeLegalOutput",
    "MeProgrammeOutput",
    "MeRecuperationOutput",
    "MeRecuperationPlaceOutput",
    "MeSignUpInput",
    "MeStationOutput",
    "MeStationsInput",
    "MeTraineeOutput",
    "MeTransferInput",
    "MeTransferOutput",
    "MeWithdrawInput",
    "RecuperationView",
    "StationsView",
    "TransferView",
]
