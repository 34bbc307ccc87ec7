"""Records of the industrial-workforce reform line (深化产改): competitions and their entries,
titles and honours, skilled-talent certifications, training sessions and job drills, craftsman
academies, innovation studios and their alliances, 劳模工匠助企行 visits, golden ideas, innovation
results and technical problems solved for enterprises.

Every record carries the `union` it is counted under, fixed when it is recorded (for a member's
record: the member's union at the time). A member who later transfers does not carry last
year's titles from one district's figures into another's, and every record scopes by one field.
"""

from skills.models.competitions import BAIYE_QIANJIANG, Competition, CompetitionEntry
from skills.models.honours import Honour
from skills.models.innovation import GoldenIdea, InnovationResult, TechnicalProblem
from skills.models.selections import HonourSelection, SelectionObjection
from skills.models.studios import CraftsmanAcademy, InnovationStudio, StudioAlliance
from skills.models.talents import SkillCertification, SkillSession
from skills.models.visits import CraftsmanVisit

__all__ = [
    "BAIYE_QIANJIANG",
    "Competition",
    "CompetitionEntry",
    "CraftsmanAcademy",
    "CraftsmanVisit",
    "GoldenIdea",
    "Honour",
    "HonourSelection",
    "InnovationResult",
    "InnovationStudio",
    "SelectionObjection",
    "SkillCertification",
    "SkillSession",
    "StudioAlliance",
    "TechnicalProblem",
]
