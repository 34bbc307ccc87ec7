"""The demo as it stood on a day: `seed_demo --as-of DATE` seeds the full years, then trims every
record that did not exist yet, or had not yet reached the state it was seeded in, at the end of
DATE (a local day in the project's time zone).

One rule, for every model: a record is kept only if every date of what happened to it is on or
before DATE; otherwise it is not seeded at all, and neither is any record that cannot be without
it (a non-null reference to it); a nullable reference to it is cleared (a studio before its
alliance was founded, a trainee before they joined). A claim submitted in June and paid in
August is therefore absent on 30 June rather than rolled back to "submitted": a status with a
date of its own is never rewritten, so no record is left in a state its dates contradict. The
exceptions, ROLLED_BACK, are single steps that leave a record which was there before them, undone
field by field: a closing or a replacement (a station closed in August was open on 30 June), and
a state with no date of its own reached on a date kept on another record (a trainee's
completion, on the course's last day; a competitor's score and award, on the competition's).

EVENT_DATES lists, per model, those dates: its own (joined, held, submitted, decided, paid) and
those of the later steps of its history kept on other rows (a claim's payout and log). Every
other date of a record is NOT an event: a deadline or a period fixed when the record was made (a
notice's end, a plan's cover, a contract's expiry, an activity's scheduled end), or the portal's
and the roll-up's own bookkeeping. tests/members/test_seed_demo_as_of.py checks that each date
field of the project's models is in one list or the other, so a new one cannot be forgotten.
A record stamped only with a year (an honour's year, a plan's year) is trimmed when that year is
after DATE's. Write-time stamps (created_at, updated_at, history rows) say when the demo was
written, not when anything happened, and are left as they are; the history rows of a trimmed
record go with it.

This deletes rows from every app's tables: it is for a demo database only (seed_demo's).
"""

import datetime as dt
from collections import defaultdict

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

# "app.Model": the lookups (from the model) of every date at which something happened to it.
EVENT_DATES: dict[str, tuple[str, ...]] = {
    "members.Member": ("birth_date", "joined_on", "left_on", "deidentified_on"),
    "members.MemberTransfer": ("requested_at", "out_decided_at", "in_decided_at"),
    "activities.Activity": ("starts_at",),
    "activities.CulturePosition": ("opened_on",),
    "activities.SharedCultureCentre": ("opened_on",),
    "skills.Competition": ("start_date",),
    # An honour is earned when it is conferred, or when the competition that gave it ends.
    "skills.Honour": ("selection__conferred_on", "competition__end_date"),
    "skills.CraftsmanAcademy": ("established_on",),
    "skills.StudioAlliance": ("founded_on",),
    "skills.CraftsmanVisit": ("held_on",),
    "skills.GoldenIdea": ("submitted_on",),
    "skills.InnovationResult": ("achieved_on",),
    "skills.TechnicalProblem": ("solved_on",),
    "skills.HonourSelection": ("nominated_on", "reviewed_on", "notice_starts_on", "conferred_on"),
    "skills.SelectionObjection": ("received_on", "handled_on"),
    "skills.SkillCertification": ("certified_on",),
    "skills.SkillSession": ("held_on",),
    "welfare.AssistanceFund": ("raised_on",),
    "welfare.HardshipCase": ("applied_on", "assessed_on", "aid_paid_on", "closed_on"),
    "welfare.Visit": ("visited_on",),
    "welfare.Enrolment": ("enrolled_on",),
    "welfare.Claim": (
        "admitted_on",
        "discharged_on",
        "submitted_at",
        "decided_at",
        "events__at",
        "payout__paid_on",
        "payout__paid_at",
    ),
    "welfare.ClaimEvent": ("at",),
    "welfare.Payout": ("paid_on", "paid_at"),
    "welfare.Proposal": ("received_on", "replied_on"),
    "welfare.ServiceStation": ("built_on",),
    "welfare.StationUpgrade": ("upgraded_on",),
    "welfare.StationVisit": ("visited_on",),
    "welfare.RecuperationProgramme": ("starts_on",),
    "welfare.JobFair": ("held_on",),
    "welfare.JobFairSignUp": ("signed_up_at",),
    "welfare.TrainingCourse": ("starts_on",),
    "welfare.LegalAidEvent": ("held_on",),
    "welfare.LegalConsultation": ("asked_on",),
    "welfare.Concern": ("raised_at", "answered_at"),
    "welfare.LeadershipVisit": ("visited_on",),
    "welfare.LabourRelationsSite": ("recognised_on",),
    "welfare.WageContract": ("signed_on",),
    "welfare.GrassrootsInvestment": ("spent_on",),
    "welfare.WageNegotiation": ("offered_on", "congress_on", "signed_on", "filed_on"),
    "welfare.WageNegotiationRound": ("held_on",),
    "portal.Consent": ("consented_at", "withdrawn_at"),
    "portal.JoinApplication": ("submitted_at", "decided_at"),
    "portal.CorrectionRequest": ("submitted_at", "resolved_at"),
}

# "app.Model": its integer year fields that place the whole record in a year (trimmed when after
# DATE's year). Not a mark on a record that exists anyway (an enterprise's reform pilot year).
EVENT_YEARS: dict[str, tuple[str, ...]] = {
    "members.EnterpriseYear": ("year",),
    "skills.Honour": ("year",),
    "skills.HonourSelection": ("year",),
    "welfare.MutualAidPlan": ("year",),
}

# "app.Model": (the lookup of the date a step is taken on, the record's fields before it).
ROLLED_BACK: dict[str, tuple[tuple[str, dict], ...]] = {
    "skills.CraftsmanAcademy": (("closed_on", {"closed_on": None}),),
    "welfare.BankCard": (("replaced_at", {"replaced_at": None}),),
    "welfare.ServiceStation": (("closed_on", {"closed_on": None}),),
    "welfare.Trainee": (("course__ends_on", {"completed": False}),),
    "skills.CompetitionEntry": (
        ("competition__end_date", {"score": None, "rank": None, "award": ""}),
    ),
}

# Every other date field of the project's models, and why it is not an event.
NOT_EVENTS: dict[str, tuple[str, ...]] = {
    # A schedule or a period fixed when the record is made: an activity counts as held when it
    # starts, a competition, course or programme when it begins (the figures date them so).
    "activities.Activity": ("ends_at",),
    "skills.Competition": ("end_date",),
    "welfare.RecuperationProgramme": ("ends_on",),
    "welfare.TrainingCourse": ("ends_on",),
    "skills.HonourSelection": ("notice_ends_on",),
    # Deadlines and expiries: set in advance, nothing happens on them.
    "welfare.MutualAidPlan": ("period_start", "period_end", "enrolment_opens", "enrolment_closes"),
    "welfare.BenefitLine": ("claim_deadline",),
    "welfare.Proposal": ("due_on",),
    "welfare.Concern": ("due_at",),
    "welfare.WageContract": ("expires_on",),
    "welfare.WageNegotiation": ("expires_on",),
    # The portal's, the API's and the roll-up's own bookkeeping, not the union's records.
    "members.AccessToken": ("expires_at", "last_used_at", "revoked_at"),
    "portal.PortalAccount": ("last_sign_in_at",),
    "portal.PortalDevice": ("signed_in_until", "last_seen_at"),
    "portal.SmsCode": ("created_at", "expires_at", "used_at", "voided_at"),
    "portal.RateHit": ("window_start",),
    "common.ExportJob": (
        "started_at",
        "heartbeat_at",
        "finished_at",
        "expires_at",
        "last_downloaded_at",
    ),
    "dashboard.Indicator": ("cumulative_since",),
    "dashboard.RollupRun": ("started_at", "heartbeat_at", "finished_at"),
    "dashboard.RollupLock": ("heartbeat_at",),
    "dashboard.Snapshot": ("computed_at", "as_of"),
}


def after_q(model: type[models.Model], lookup: str, day: dt.date) -> Q:
    """ "`lookup` is after the local day `day`": a datetime from the start of the next local day
    (23:30 on `day` in Huzhou is 15:30 UTC and still counts on `day`), a date after `day`."""
    from common.figures import date_field_of

    if isinstance(date_field_of(model, lookup), models.DateTimeField):
        next_day = dt.datetime.combine(
            day + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_default_timezone()
        )
        return Q(**{f"{lookup}__gte": next_day})
    return Q(**{f"{lookup}__gt": day})


def after_day_q(model: type[models.Model], day: dt.date) -> Q | None:
    """The records of `model` with an event after `day` (None: the model has no event)."""
    label = model._meta.label
    q = Q()
    for lookup in EVENT_DATES.get(label, ()):
        q |= after_q(model, lookup, day)
    for name in EVENT_YEARS.get(label, ()):
        q |= Q(**{f"{name}__gt": day.year})
    return q or None


@transaction.atomic
def trim_to(day: dt.date) -> dict[str, int]:
    """Delete every record that had not happened yet, or had not reached its state, by the end of
    `day`, and every record that refers to one (a record cannot point at one that is not there),
    with their history rows (they describe records that this demo never had); reset the dateless
    states reached after `day` (ROLLED_BACK). Returns the rows deleted per model label."""
    deleted: dict[type[models.Model], set] = defaultdict(set)
    for label in sorted({*EVENT_DATES, *EVENT_YEARS}):
        model = apps.get_model(label)
        q = after_day_q(model, day)
        if q is not None:
            pks = set(model._base_manager.filter(q).values_list("pk", flat=True))
            _delete(model, pks, deleted)
    for label, rules in ROLLED_BACK.items():
        model = apps.get_model(label)
        for lookup, before in rules:
            model._base_manager.filter(after_q(model, lookup, day)).update(**before)
    for model, pks in deleted.items():
        history = _history_model(model)
        if history is not None and pks:
            history._base_manager.filter(id__in=pks).delete()
    return {m._meta.label: len(pks) for m, pks in sorted(deleted.items(), key=_label) if pks}


def _label(item: tuple[type[models.Model], set]) -> str:
    return item[0]._meta.label


def _delete(model: type[models.Model], pks: set, deleted: dict[type[models.Model], set]) -> None:
    """Delete `pks` of `model` after every row that cannot be without them (a non-null reference,
    whatever its on_delete: the project's foreign keys PROTECT); a nullable reference to them is
    cleared. Nothing is left pointing at a missing record."""
    pks = pks - deleted[model]
    if not pks:
        return
    deleted[model] |= pks  # before recursing: a row that refers back is not visited twice
    for rel in model._meta.get_fields(include_hidden=True):
        # The reverse side of every foreign key and one-to-one to `model`, "+" ones too (as
        # Django's own deletion collects them); a many-to-many's link rows come through the
        # foreign keys of their own model.
        if not isinstance(rel, models.ManyToOneRel):
            continue
        if rel.on_delete in (models.SET_NULL, models.SET_DEFAULT, models.DO_NOTHING):
            continue  # history rows (DO_NOTHING) go below; SET_NULL: the pointer is dropped
        related, name = rel.related_model, rel.field.name
        referring = related._base_manager.filter(**{f"{name}__in": pks})
        if rel.field.null:
            # A record that may be without this reference was there without it: a studio
            # before its alliance was founded, a trainee before they joined the union.
            referring.update(**{name: None})
            continue
        _delete(related, set(referring.values_list("pk", flat=True)), deleted)
    model._base_manager.filter(pk__in=pks).delete()


def _history_model(model: type[models.Model]) -> type[models.Model] | None:
    name = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, name).model if name else None
