"""REST API of the skills records under /api/v1/skills/, one module per line of work. Thin:
input serializers check the shape and resolve every reference through the caller's scope, the
view calls the entity's own service, output serializers shape the answer; querysets are the
selectors scoped to the caller's tree exactly as in the admin."""

from skills.api.competitions import CompetitionViewSet, EntryViewSet
from skills.api.honours import HonourViewSet
from skills.api.innovation import IdeaViewSet, ProblemViewSet, ResultViewSet
from skills.api.selections import SelectionViewSet
from skills.api.studios import AcademyViewSet, AllianceViewSet, StudioViewSet
from skills.api.talents import CertificationViewSet, SessionViewSet
from skills.api.visits import VisitViewSet

__all__ = [
    "AcademyViewSet",
    "AllianceViewSet",
    "CertificationViewSet",
    "CompetitionViewSet",
    "EntryViewSet",
    "HonourViewSet",
    "IdeaViewSet",
    "ProblemViewSet",
    "ResultViewSet",
    "SelectionViewSet",
    "SessionViewSet",
    "StudioViewSet",
    "VisitViewSet",
]
