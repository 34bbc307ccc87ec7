"""Reads for members' sign-ups to 湖工助业 job fairs (招聘会网上报名)."""

import datetime as dt

from django.db.models import Count, QuerySet

from members.models import Member
from welfare.models import JobFair, JobFairSignUp
from welfare.selectors.services import _member_district_q, member_job_fairs_upcoming


def member_job_fairs_reachable(*, member: Member) -> QuerySet[JobFair]:
    """Every fair, past or coming, held in the member's district or city-wide: the fairs a member
    may ever be shown (and so be told why one is closed to them)."""
    return JobFair.objects.filter(_member_district_q(member))


def member_job_fairs_open(*, member: Member, on: dt.date) -> QuerySet[JobFair]:
    """Fairs a member may sign up for on `on`: in their district or city-wide, not yet over
    (held `on` or later), online sign-up not closed by the organiser. A full fair is still
    listed: the service says it is full."""
    return member_job_fairs_upcoming(member=member, on=on).filter(sign_up_open=True)


def with_sign_up_counts(fairs: QuerySet[JobFair]) -> QuerySet[JobFair]:
    """`taken`: how many have signed up for each fair."""
    return fairs.annotate(taken=Count("sign_ups", distinct=True))


def member_job_fair_sign_ups(*, member: Member) -> QuerySet[JobFairSignUp]:
    """The person's sign-ups (any membership of theirs), the latest fair first."""
    return (
        JobFairSignUp.objects.filter(member__id_number_hash=member.id_number_hash)
        .select_related("fair", "fair__union")
        .order_by("-fair__held_on", "-pk")
    )
