"""Reads of the skills records. Lists take the viewer, so the tree scope cannot be forgotten;
figures take a year and a union (that union and everything under it).

Which year a record counts in:
- a competition counts in the year it starts (开展: a competition launched in December and
  finished in January is one of the year it was launched in, and counted once);
- an honour in its `year` (the year the title was conferred);
- a certification on its date, a session, visit, idea, result or solved problem on its date;
- a craftsman academy in every year it stands at year end (the card counts academies built);
- an innovation studio in the year it was named.
"""

from skills.selectors.competitions import (
    COMPETITION_COLUMNS,
    city_competitions,
    competition_list,
    entry_list,
    hosted_here,
    member_competitions_open,
    member_entries,
    merit_competitions_provincial_demo,
    provincial_competitions_hosted,
)
from skills.selectors.honours import (
    HONOUR_COLUMNS,
    golden_blue_collar,
    great_craftsman_candidates,
    honour_list,
    member_honours,
    national_may_day_medals,
    national_pioneer_teams,
    new_huzhou_craftsmen,
    new_zhejiang_craftsmen,
    provincial_model_collectives,
    provincial_model_workers,
    technical_experts,
)
from skills.selectors.innovation import (
    golden_ideas,
    idea_list,
    innovation_results,
    member_ideas,
    problem_list,
    result_list,
    technical_problems_solved,
)
from skills.selectors.studios import (
    academy_list,
    alliance_list,
    city_innovation_studios,
    craftsman_academies,
    studio_list,
)
from skills.selectors.talents import (
    SESSION_COLUMNS,
    certification_list,
    job_drill_events,
    job_drill_person_times,
    member_certifications,
    new_skilled_talents,
    session_list,
    skill_training_sessions,
)
from skills.selectors.visits import (
    craftsman_enterprise_visits,
    visit_list,
)

__all__ = [
    "COMPETITION_COLUMNS",
    "HONOUR_COLUMNS",
    "SESSION_COLUMNS",
    "academy_list",
    "alliance_list",
    "certification_list",
    "city_competitions",
    "city_innovation_studios",
    "competition_list",
    "craftsman_academies",
    "craftsman_enterprise_visits",
    "entry_list",
    "golden_blue_collar",
    "golden_ideas",
    "great_craftsman_candidates",
    "honour_list",
    "hosted_here",
    "idea_list",
    "innovation_results",
    "job_drill_events",
    "job_drill_person_times",
    "member_certifications",
    "member_competitions_open",
    "member_entries",
    "member_honours",
    "member_ideas",
    "merit_competitions_provincial_demo",
    "national_may_day_medals",
    "national_pioneer_teams",
    "new_huzhou_craftsmen",
    "new_skilled_talents",
    "new_zhejiang_craftsmen",
    "problem_list",
    "provincial_competitions_hosted",
    "provincial_model_collectives",
    "provincial_model_workers",
    "result_list",
    "session_list",
    "skill_training_sessions",
    "studio_list",
    "technical_experts",
    "technical_problems_solved",
    "visit_list",
]
