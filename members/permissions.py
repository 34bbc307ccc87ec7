from rest_framework.permissions import BasePermission, DjangoModelPermissions

from members.scoping import has_scope


class IsScopedStaff(BasePermission):
    """A signed-in user with a part of the tree (a staff profile) or a superuser."""

    message = "您的账号未分配所属工会，无权访问。"

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and has_scope(request.user))


class ModelPermissions(DjangoModelPermissions):
    """Django model permissions, reads included (leadership has view_*, nothing else)."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
    }


STAFF_PERMISSIONS = [IsScopedStaff, ModelPermissions]
