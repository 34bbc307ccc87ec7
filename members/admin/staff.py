"""Admin of staff profiles and the record of who saw a full ID number."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from common.importing import mask_phone
from members import selectors
from members.admin._common import GoLiveImportMixin
from members.admin_mixins import (
    TreeScopedAdmin,
)
from members.models import (
    IdNumberAccess,
    StaffProfile,
)
from members.resources import (
    StaffResource,
)


@admin.register(StaffProfile)
class StaffProfileAdmin(GoLiveImportMixin, TreeScopedAdmin):
    resource_classes = [StaffResource]
    list_display = ["user", "union", "role", "phone_on_file"]
    list_filter = ["role"]
    search_fields = ["user__username", "union__name"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description=_("短信重置手机号"))
    def phone_on_file(self, obj):
        # Whether 忘记密码 can reach this person, without putting the number on a list.
        return mask_phone(obj.phone) if obj.phone else _("未登记")

    def has_import_permission(self, request):
        # Accounts come in by the staff import (roles no higher than the importer's, within the
        # importer's tree: members.golive); leadership reads only.
        from members.scoping import require_can_write

        try:
            require_can_write(request.user)
        except PermissionDenied:
            return False
        return request.user.has_perm("members.add_staffprofile")


@admin.register(IdNumberAccess)
class IdNumberAccessAdmin(TreeScopedAdmin):
    scope_field = "member__union"

    def get_queryset(self, request):
        return selectors.id_access_list(viewer=request.user)

    list_display = ["accessed_at", "user", "member", "channel"]
    list_filter = ["channel"]
    list_select_related = ["user", "member"]
    date_hierarchy = "accessed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
