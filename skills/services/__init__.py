"""Writes to the skills records, one module per line of work. The admin, the API, the importers
and the portal all call these: keyword-only arguments, one transaction, a ValidationError a
clerk can act on, PermissionDenied when the actor may not act on the record.

Every service names its actor (`members.actors`): a staff `User` acts within their part of the
tree, the system (`system("...")`) anywhere, and a member (`MemberActor`) only on their own
records (entering a competition, submitting a golden idea). A reference the actor may not name
is answered like one that does not exist, before any duplicate or business rule."""

from skills.services.competitions import (
    COMPETITION_FIELDS,
    TECHNICAL_EXPERT_BODY,
    competition_create,
    competition_enter,
    competition_rank,
    competition_update,
    entry_record,
    entry_set_result,
    standard_competition_ranks,
    technical_experts_award,
)
from skills.services.honours import HONOUR_FIELDS, honour_award, honour_update
from skills.services.innovation import (
    IDEA_TRANSITIONS,
    PROBLEM_FIELDS,
    RESULT_FIELDS,
    golden_idea_record,
    golden_idea_set_status,
    golden_idea_submit,
    problem_record,
    problem_update,
    result_record,
    result_update,
)
from skills.services.selections import (
    SELECTION_FIELDS,
    selection_confer,
    selection_nominate,
    selection_notice,
    selection_objection_handle,
    selection_objection_receive,
    selection_review,
    selection_update,
)
from skills.services.studios import (
    ACADEMY_FIELDS,
    ALLIANCE_FIELDS,
    STUDIO_FIELDS,
    academy_create,
    academy_update,
    alliance_create,
    alliance_update,
    studio_create,
    studio_update,
)
from skills.services.talents import (
    CERTIFICATION_FIELDS,
    SESSION_FIELDS,
    skill_certification_register,
    skill_certification_update,
    skill_session_record,
    skill_session_update,
)
from skills.services.visits import VISIT_FIELDS, visit_record, visit_update

__all__ = [
    "ACADEMY_FIELDS",
    "ALLIANCE_FIELDS",
    "CERTIFICATION_FIELDS",
    "COMPETITION_FIELDS",
    "HONOUR_FIELDS",
    "IDEA_TRANSITIONS",
    "PROBLEM_FIELDS",
    "RESULT_FIELDS",
    "SELECTION_FIELDS",
    "SESSION_FIELDS",
    "STUDIO_FIELDS",
    "TECHNICAL_EXPERT_BODY",
    "VISIT_FIELDS",
    "academy_create",
    "academy_update",
    "alliance_create",
    "alliance_update",
    "competition_create",
    "competition_enter",
    "competition_rank",
    "competition_update",
    "entry_record",
    "entry_set_result",
    "golden_idea_record",
    "golden_idea_set_status",
    "golden_idea_submit",
    "honour_award",
    "honour_update",
    "problem_record",
    "problem_update",
    "result_record",
    "result_update",
    "selection_confer",
    "selection_nominate",
    "selection_notice",
    "selection_objection_handle",
    "selection_objection_receive",
    "selection_review",
    "selection_update",
    "skill_certification_register",
    "skill_certification_update",
    "skill_session_record",
    "skill_session_update",
    "standard_competition_ranks",
    "studio_create",
    "studio_update",
    "technical_experts_award",
    "visit_record",
    "visit_update",
]
