"""The one rule of who sees what: a staff user sees and edits their union and everything below it.

Every app scopes through these helpers (admin querysets, API querysets, exports, selectors,
services), so the rule lives in one place.
"""

from typing import TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from members.models import StaffProfile, Union

Viewer = User | AnonymousUser | None
M = TypeVar("M", bound=Model)


def viewer_union(viewer: Viewer) -> Union | None:
    """The union at the top of the viewer's part of the tree; None if they have none."""
    if viewer is None or not viewer.is_authenticated:
        return None
    try:
        return viewer.staff_profile.union
    except StaffProfile.DoesNotExist:
        return None


def sees_whole_city(viewer: Viewer) -> bool:
    return viewer is not None and viewer.is_authenticated and viewer.is_superuser


def has_scope(viewer: Viewer) -> bool:
    return sees_whole_city(viewer) or viewer_union(viewer) is not None


def scope_q(viewer: Viewer, union_field: str = "union") -> Q:
    """A filter keeping rows whose `union_field` lies in the viewer's subtree (an empty match for
    a viewer with no scope). `union_field` is a lookup path ending at a Union, e.g. "member__union"."""
    if sees_whole_city(viewer):
        return Q()
    top = viewer_union(viewer)
    if top is None:
        return Q(pk__in=[])
    prefix = f"{union_field}__" if union_field else ""
    return Q(**{f"{prefix}path__startswith": top.path})


def scope_queryset(qs: QuerySet[M], viewer: Viewer, union_field: str = "union") -> QuerySet[M]:
    return qs.filter(scope_q(viewer, union_field))


def in_scope(viewer: Viewer, union: Union | None) -> bool:
    if union is None:
        return False
    if sees_whole_city(viewer):
        return True
    top = viewer_union(viewer)
    return top is not None and union.is_within(top)


def require_in_scope(viewer: Viewer, union: Union) -> None:
    """Raise PermissionDenied unless the viewer may act on `union`. A `None` viewer is the system
    (a command-line import, a migration) and may act everywhere."""
    if viewer is None:
        return
    if not in_scope(viewer, union):
        raise PermissionDenied(_("“%(union)s”不在您的管辖范围内。") % {"union": union})
