"""Reads for the workers' voice (职工心声 → 回声)."""

from django.db.models import (
    Case,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Now

from members.models import Member
from members.scoping import Viewer, scope_queryset
from welfare.models import (
    Concern,
)


def concern_list(*, viewer: Viewer, filters: dict | None = None) -> QuerySet[Concern]:
    """Concerns routed to the viewer's tree, with `overdue` (open past its deadline, or answered
    after it) and `time_to_answer` (None while open)."""
    qs = scope_queryset(Concern.objects.select_related("union", "member", "answered_by"), viewer)
    qs = qs.annotate(
        overdue=Case(
            When(Q(answered_at__isnull=True, due_at__lt=Now()), then=Value(True)),
            When(answered_at__gt=F("due_at"), then=Value(True)),
            default=Value(False),
        ),
        time_to_answer=ExpressionWrapper(
            F("answered_at") - F("raised_at"), output_field=DurationField()
        ),
    )
    filters = filters or {}
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if filters.get("overdue"):
        qs = qs.filter(overdue=True)
    return qs


def member_concerns(*, member: Member) -> QuerySet[Concern]:
    return Concern.objects.filter(member=member).order_by("-raised_at")
