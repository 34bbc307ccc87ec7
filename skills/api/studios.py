"""Craftsman academies, studio alliances and innovation studios."""

from skills import selectors
from skills.api._common import record_viewset
from skills.models import (
    CraftsmanAcademy,
    InnovationStudio,
    StudioAlliance,
)

AcademyViewSet = record_viewset(
    CraftsmanAcademy,
    selectors.academy_list,
    ["name", "level", "host", "established_on", "closed_on"],
    ["level"],
)
AllianceViewSet = record_viewset(
    StudioAlliance,
    selectors.alliance_list,
    ["name", "industry_chain", "leader_enterprise", "founded_on"],
)
StudioViewSet = record_viewset(
    InnovationStudio,
    selectors.studio_list,
    ["name", "kind", "level", "recognised_year", "enterprise", "leader", "alliance"],
    ["kind", "level", "recognised_year"],
)
