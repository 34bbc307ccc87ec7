"""Reads for the portal, the signed-in member being the viewer. Most come from the owning apps'
`member_*` selectors; what no app offers yet is here, filtered to the person's own rows."""

from django.db.models import QuerySet
from django.utils import timezone

from activities.models import Activity, Attendance
from members.models import Member
from portal.models import Consent, JoinApplication
from welfare import selectors as welfare_selectors
from welfare.models import BenefitLine


def member_attendances(*, member: Member) -> QuerySet[Attendance]:
    """Sessions the person attended, in any of their memberships, newest first.
    (activities/selectors.py has no member-facing selector yet: move it there when it does.)"""
    return (
        Attendance.objects.filter(member__id_number_hash=member.id_number_hash)
        .select_related("activity", "activity__union")
        .order_by("-activity__starts_at")
    )


def member_attended(*, member: Member, activity: Activity) -> Attendance | None:
    return member_attendances(member=member).filter(activity=activity).first()


def member_consents(*, member: Member) -> QuerySet[Consent]:
    """The consents the person gave (and withdrew), newest first, whatever number they used."""
    return Consent.objects.filter(person_hash=member.id_number_hash).order_by("-consented_at")


def join_applications_for_phone(*, phone: str) -> QuerySet[JoinApplication]:
    """The applications made from a phone number the visitor just proved with an SMS code."""
    return (
        JoinApplication.objects.filter(phone=phone)
        .select_related("union")
        .order_by("-submitted_at")
    )


def member_claimable_lines(*, member: Member) -> list[BenefitLine]:
    """The benefit lines the member is covered by whose claim deadline has not passed."""
    today = timezone.localdate()
    return [
        enrolment.line
        for enrolment in welfare_selectors.member_enrolments(member=member).order_by("pk")
        if enrolment.line.claim_deadline >= today
    ]
