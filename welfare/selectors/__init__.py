"""Reads for welfare and rights. Lists take the viewer (the tree scope cannot be forgotten);
figures take a year and a union (that union and everything under it), per common/figures.py."""

from welfare.selectors._common import MEMBER_COLUMNS
from welfare.selectors.assistance import assistance_funds_raised, hardship_workers_visited
from welfare.selectors.deadlines import (
    DueMatter,
    leadership_visit_list,
    matters_due,
    proposal_list,
)
from welfare.selectors.mutual_aid import (
    PAYOUT_COLUMNS,
    claim_history,
    claim_list,
    claim_queue,
    enrolment_list,
    member_claims,
    member_enrolments,
    mutual_aid_beneficiaries,
    mutual_aid_enrollments,
    mutual_aid_payout,
    payout_list,
)
from welfare.selectors.services import (
    EVENT_COLUMNS,
    STATION_COLUMNS,
    job_fairs,
    legal_aid_events,
    legal_aid_person_times,
    mommy_rooms_upgraded,
    outdoor_station_visits,
    outdoor_stations_total,
    outdoor_stations_upgraded,
    recuperation_participants,
    reemployment_training,
)
from welfare.selectors.voice import concern_list, member_concerns
from welfare.selectors.wages import (
    grassroots_investment,
    labour_relations_model_sites,
    wage_contract_coverage,
    wage_contracts,
)

__all__ = [
    "EVENT_COLUMNS",
    "MEMBER_COLUMNS",
    "PAYOUT_COLUMNS",
    "STATION_COLUMNS",
    "DueMatter",
    "assistance_funds_raised",
    "claim_history",
    "claim_list",
    "claim_queue",
    "concern_list",
    "enrolment_list",
    "grassroots_investment",
    "hardship_workers_visited",
    "job_fairs",
    "labour_relations_model_sites",
    "leadership_visit_list",
    "legal_aid_events",
    "legal_aid_person_times",
    "matters_due",
    "member_claims",
    "member_concerns",
    "member_enrolments",
    "mommy_rooms_upgraded",
    "mutual_aid_beneficiaries",
    "mutual_aid_enrollments",
    "mutual_aid_payout",
    "outdoor_station_visits",
    "outdoor_stations_total",
    "outdoor_stations_upgraded",
    "payout_list",
    "proposal_list",
    "recuperation_participants",
    "reemployment_training",
    "wage_contract_coverage",
    "wage_contracts",
]
