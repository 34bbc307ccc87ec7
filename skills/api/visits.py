"""劳模工匠助企行 visits."""

from skills import selectors
from skills.api._common import record_viewset
from skills.models import (
    CraftsmanVisit,
)

VisitViewSet = record_viewset(
    CraftsmanVisit, selectors.visit_list, ["title", "enterprise", "held_on", "experts"]
)
