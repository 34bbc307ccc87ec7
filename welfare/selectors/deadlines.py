"""Reads for 三访日 leadership visits, 人大代表建议 / 政协提案, and the deadlines they carry: the
list a clerk's workbench shows of what must be answered soon or is already late."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.scoping import Viewer, scope_queryset
from welfare.models import Concern, LeadershipVisit, Proposal


def leadership_visit_list(*, viewer: Viewer) -> QuerySet[LeadershipVisit]:
    return scope_queryset(
        LeadershipVisit.objects.select_related("union").prefetch_related("matters__concern"),
        viewer,
    )


def proposal_list(*, viewer: Viewer) -> QuerySet[Proposal]:
    return scope_queryset(Proposal.objects.select_related("union"), viewer)


@dataclass(frozen=True)
class DueMatter:
    """One open matter with a deadline: what it is, whose it is, when it is due."""

    kind: str  # "concern" | "proposal"
    kind_label: str
    pk: int
    title: str
    union_name: str
    due_on: dt.date
    overdue: bool
    admin_url: str
    from_visit: bool = False  # a concern raised at a 三访日 visit


def matters_due(
    *, viewer: Viewer, within_days: int = 14, today: dt.date | None = None
) -> list[DueMatter]:
    """Every open matter of the viewer's part of the tree that is overdue or due within
    `within_days`, earliest deadline first: 职工心声 concerns still unanswered (those raised at a
    三访日 visit among them) and 建议/提案 not yet replied to."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=within_days)
    end = timezone.make_aware(dt.datetime.combine(horizon + dt.timedelta(days=1), dt.time()))
    items: list[DueMatter] = []
    concerns = scope_queryset(
        Concern.objects.filter(status=Concern.Status.OPEN, due_at__lt=end).select_related(
            "union", "leader_visit"
        ),
        viewer,
    )
    for concern in concerns:
        due_on = timezone.localtime(concern.due_at).date()
        from_visit = hasattr(concern, "leader_visit")
        items.append(
            DueMatter(
                kind="concern",
                kind_label=_("三访日反映事项") if from_visit else _("职工心声"),
                pk=concern.pk,
                title=concern.subject,
                union_name=concern.union.name,
                due_on=due_on,
                overdue=concern.due_at < timezone.now(),
                admin_url=reverse("admin:welfare_concern_change", args=[concern.pk]),
                from_visit=from_visit,
            )
        )
    proposals = proposal_list(viewer=viewer).filter(replied_on__isnull=True, due_on__lte=horizon)
    for proposal in proposals:
        items.append(
            DueMatter(
                kind="proposal",
                kind_label=f"{proposal.get_source_display()}（{proposal.get_role_display()}）",
                pk=proposal.pk,
                title=proposal.title,
                union_name=proposal.union.name,
                due_on=proposal.due_on,
                overdue=proposal.due_on < today,
                admin_url=reverse("admin:welfare_proposal_change", args=[proposal.pk]),
            )
        )
    items.sort(key=lambda item: (item.due_on, item.kind, item.pk))
    return items
