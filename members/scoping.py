"""The one rule of who sees what: a staff user sees and edits their union and everything below it.

Every app scopes through these helpers (admin querysets, API querysets, exports, selectors,
services, and every reference a user submits), so the rule lives in one place:

- `within_q(union, field)`: rows whose `field` lies in `union`'s subtree (the materialised path
  makes a subtree one indexed prefix match);
- `scope_q` / `scope_queryset`: the same for a viewer (whole city for a superuser or the system);
- `references(model, viewer)`: the rows of a model a viewer may *name* (an API field, an admin
  form, an inline, an autocomplete, an import column, a portal form). Each referencable model
  registers how its rows reach a union with `reference_scope`; an unregistered model is an error,
  so a new foreign key cannot slip through unscoped;
- `require_in_scope(actor, union)`: the check a service makes before it writes.

An id outside the viewer's scope is answered exactly like an id that does not exist
(`NOT_IN_SCOPE`): never with the name of a person, a union or an enterprise.
"""

from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.actors import MemberActor, SystemActor
from members.models import StaffProfile, Union

Viewer = User | AnonymousUser | MemberActor | SystemActor | None
M = TypeVar("M", bound=Model)

NOT_IN_SCOPE = gettext_lazy("不存在或不在您的管辖范围内。")


def within_q(union: Union, field: str = "union") -> Q:
    """Rows whose `field` (a lookup path ending at a Union; "" for Union itself) is `union` or
    lies below it."""
    prefix = f"{field}__" if field else ""
    return Q(**{f"{prefix}path__startswith": union.path})


def _staff_profile(user: User) -> StaffProfile | None:
    """`user.staff_profile` with its union, read in one query rather than two (every staff
    request scopes by it), and kept where Django's accessor keeps it, so `user.staff_profile`
    afterwards reads no more."""
    cache = User.staff_profile.related  # the reverse one-to-one's cache on the user
    try:
        return cache.get_cached_value(user)
    except KeyError:
        profile = StaffProfile.objects.select_related("union").filter(user=user).first()
        if profile is not None:
            profile.user = user
        cache.set_cached_value(user, profile)
        return profile


def viewer_union(viewer: Viewer) -> Union | None:
    """The union at the top of the viewer's part of the tree; None if they have none."""
    if not isinstance(viewer, User | AnonymousUser) or not viewer.is_authenticated:
        return None
    profile = _staff_profile(viewer)
    return profile.union if profile is not None else None


def sees_whole_city(viewer: Viewer) -> bool:
    if isinstance(viewer, SystemActor):
        return True
    return isinstance(viewer, User) and viewer.is_authenticated and viewer.is_superuser


def is_city_staff(viewer: Viewer) -> bool:
    """A superuser, or an admin (not read-only leadership) attached to the city federation: the
    people who change city-wide things (targets, a roll-up, city-level plans)."""
    if sees_whole_city(viewer) and not isinstance(viewer, SystemActor):
        return True
    top = viewer_union(viewer)
    if top is None or top.level != Union.Level.CITY:
        return False
    return viewer.staff_profile.role == StaffProfile.Role.CITY_ADMIN


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
    return within_q(top, union_field)


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
    """Raise PermissionDenied unless the actor may act on `union`: the system anywhere, staff
    within their subtree, a member never through a staff service. The message names nothing.
    There is no `None` actor: a caller that does not say who acts is a bug."""
    if viewer is None:
        raise TypeError("require_in_scope needs an actor (members.actors); None is not the system")
    if isinstance(viewer, SystemActor):
        return
    if not in_scope(viewer, union):
        raise PermissionDenied(str(NOT_IN_SCOPE))


def require_can_write(by: Viewer) -> None:
    """Refuse read-only leadership and accounts without a union. The system may write; a member
    never writes through a staff service (their own records have services of their own)."""
    if by is None:
        raise TypeError("a service needs its actor (members.actors); None is not the system")
    if isinstance(by, SystemActor):
        return
    if isinstance(by, MemberActor):
        raise PermissionDenied(str(NOT_IN_SCOPE))
    if isinstance(by, AnonymousUser) or not by.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    if not by.is_superuser:
        try:
            if by.staff_profile.role == StaffProfile.Role.LEADERSHIP:
                raise PermissionDenied(_("领导账号为只读，不能修改数据。"))
        except StaffProfile.DoesNotExist:
            raise PermissionDenied(_("该账号未分配所属工会，不能修改数据。")) from None


def require_staff_write(by: Viewer, union: Union) -> None:
    """The check a staff service makes first: the system anywhere; staff who may write (not
    leadership) within their part of the tree; a member never. The refusal names nothing."""
    require_can_write(by)
    require_in_scope(by, union)


def require_named(by: Viewer, *objs: Model | None) -> None:
    """Every row a caller names (a member, an enterprise, an event, a plan...) must be one they
    may name (`references`); any other is refused exactly like a missing row. The API and the
    admin resolve references the same way before a service runs; this holds for every other
    caller (an import, a script, the portal)."""
    if isinstance(by, SystemActor):
        return
    for obj in objs:
        if obj is not None and not references(type(obj), by).filter(pk=obj.pk).exists():
            raise PermissionDenied(str(NOT_IN_SCOPE))


# --- references --------------------------------------------------------------------------------

ReferenceScope = Callable[[Viewer], QuerySet]
_REFERENCE_SCOPES: dict[type[Model], ReferenceScope] = {}
# Models anyone with a role may name, each with the reason it is not personal data.
_OPEN_REFERENCES: dict[type[Model], str] = {}


def reference_scope(model: type[Model], *, union_field: str | None = None, scope=None) -> None:
    """Declare how rows of `model` reach a union, for `references`: either `union_field` (a lookup
    path ending at a Union) or `scope(viewer) -> QuerySet` for a rule of its own (e.g. a plan
    organised above the viewer that their unions apply)."""
    if (union_field is None) == (scope is None):
        raise ImproperlyConfigured("reference_scope needs exactly one of union_field and scope")
    if scope is None:

        def scope(viewer: Viewer, _field: str = union_field) -> QuerySet:
            return scope_queryset(model._default_manager.all(), viewer, _field)

    _REFERENCE_SCOPES[model] = scope


def open_reference(model: type[Model], *, reason: str) -> None:
    """Declare a lookup table that every signed-in staff user may name (activity kinds, honour
    titles): not personal data and not tied to a part of the tree. `reason` is kept for the
    permission matrix test."""
    _OPEN_REFERENCES[model] = reason


def open_reference_reason(model: type[Model]) -> str | None:
    return _OPEN_REFERENCES.get(model)


def has_reference_scope(model: type[Model]) -> bool:
    return model in _REFERENCE_SCOPES or model in _OPEN_REFERENCES


def references(model: type[M], viewer: Viewer) -> QuerySet[M]:
    """The rows of `model` that `viewer` may name. An unregistered model raises, so a new
    reference cannot slip through unscoped."""
    if model in _OPEN_REFERENCES:
        if sees_whole_city(viewer) or has_scope(viewer):
            return model._default_manager.all()
        return model._default_manager.none()
    try:
        scope = _REFERENCE_SCOPES[model]
    except KeyError:
        raise ImproperlyConfigured(
            f"{model._meta.label} has no reference scope: call members.scoping.reference_scope "
            "or open_reference for it"
        ) from None
    if not has_scope(viewer):
        return model._default_manager.none()
    return scope(viewer)


def reaching_q(viewer: Viewer, union_field: str = "union") -> Q:
    """Rows organised by a union above the viewer or within their subtree: a city-wide plan or
    competition is one that every union below the organiser applies or enters."""
    if sees_whole_city(viewer):
        return Q()
    top = viewer_union(viewer)
    if top is None:
        return Q(pk__in=[])
    parts = top.path.strip("/").split("/")
    ancestors = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    prefix = f"{union_field}__" if union_field else ""
    return Q(**{f"{prefix}path__in": ancestors}) | within_q(top, union_field)


def reaching_scope(model: type[Model], union_field: str = "union") -> None:
    """Register `model` as named by everyone in the organiser's subtree (see `reaching_q`)."""

    def scope(viewer: Viewer) -> QuerySet:
        return model._default_manager.filter(reaching_q(viewer, union_field))

    reference_scope(model, scope=scope)


def city_wide(model: type[M], viewer: Viewer) -> QuerySet[M]:
    """Every union or enterprise, for the workflows that reach across the tree by design (a
    transfer's receiving union and employer, a joint union): their names are not personal data.
    Nothing else may be chosen city-wide."""
    if model._meta.label not in ("members.Union", "members.Enterprise"):
        raise ImproperlyConfigured(f"{model._meta.label} may not be chosen city-wide")
    if not has_scope(viewer):
        return model._default_manager.none()
    return model._default_manager.all()


reference_scope(Union, union_field="")


def _register_registry_references() -> None:
    from members.models import Enterprise, EnterpriseYear, Member

    reference_scope(Member, union_field="union")
    reference_scope(Enterprise, union_field="union")
    reference_scope(EnterpriseYear, union_field="enterprise__union")
    # Staff accounts are named (a staff profile's user) only within the namer's part of the tree.
    reference_scope(User, union_field="staff_profile__union")


_register_registry_references()
