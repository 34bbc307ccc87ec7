"""REST API of the skills records under /api/v1/skills/, one module per line of work. Thin:
serializers check the shape, services (skills/services.py) do the work, querysets are the
selectors scoped to the caller's tree exactly as in the admin."""

from skills.api._common import RecordSerializer, RecordViewSet, UnionCodeField, record_viewset
from skills.api.competitions import (
    AwardOutput,
    CompetitionSerializer,
    CompetitionViewSet,
    EnterInput,
    EntryResultInput,
    EntrySerializer,
    EntryViewSet,
    ExpertsAwardInput,
    ImportReportOutput,
    RankOutput,
    ResultsUploadInput,
)
from skills.api.honours import HonourSerializer, HonourViewSet
from skills.api.innovation import (
    IdeaSerializer,
    IdeaStatusInput,
    IdeaViewSet,
    ProblemViewSet,
    ResultViewSet,
)
from skills.api.studios import AcademyViewSet, AllianceViewSet, StudioViewSet
from skills.api.talents import (
    CertificationSerializer,
    CertificationViewSet,
    SessionSerializer,
    SessionViewSet,
)
from skills.api.visits import VisitViewSet

__all__ = [
    "AcademyViewSet",
    "AllianceViewSet",
    "AwardOutput",
    "CertificationSerializer",
    "CertificationViewSet",
    "CompetitionSerializer",
    "CompetitionViewSet",
    "EnterInput",
    "EntryResultInput",
    "EntrySerializer",
    "EntryViewSet",
    "ExpertsAwardInput",
    "HonourSerializer",
    "HonourViewSet",
    "IdeaSerializer",
    "IdeaStatusInput",
    "IdeaViewSet",
    "ImportReportOutput",
    "ProblemViewSet",
    "RankOutput",
    "RecordSerializer",
    "RecordViewSet",
    "ResultViewSet",
    "ResultsUploadInput",
    "SessionSerializer",
    "SessionViewSet",
    "StudioViewSet",
    "UnionCodeField",
    "VisitViewSet",
    "record_viewset",
]
