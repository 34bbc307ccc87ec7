"""django-import-export for the admin: the roster template in and out. Import runs the same
pipeline as `manage.py import_members` (members/importing.py); export writes the same template
back, ID numbers masked unless the clerk may see them (and then recorded), formulas defused."""

from import_export import fields

from common.admin_import import ChineseCSV, TableImportResource, dataset_rows
from common.importing import mask_phone
from members import services
from members.golive import (
    ENTERPRISE_HEADERS,
    STAFF_HEADERS,
    UNION_HEADERS,
    enterprise_import,
    staff_import,
    union_tree_import,
)
from members.importing import ROSTER_HEADERS, roster_import, roster_rows
from members.models import Enterprise, IdNumberAccess, Member, StaffProfile, Union

# Kept under its old name: the roster was the first import with a CSV of any Chinese encoding.
RosterCSV = ChineseCSV

__all__ = [
    "EnterpriseResource",
    "MemberResource",
    "RosterCSV",
    "StaffResource",
    "UnionResource",
    "dataset_rows",
]


class MemberResource(TableImportResource):
    import_headers = ROSTER_HEADERS

    name = fields.Field(attribute="name", column_name="姓名")
    id_number = fields.Field(column_name="公民身份号码")
    phone = fields.Field(attribute="phone", column_name="手机号码")
    union_code = fields.Field(attribute="union__code", column_name="所属工会编码")
    enterprise_name = fields.Field(attribute="enterprise__name", column_name="工作单位名称")
    credit_code = fields.Field(attribute="enterprise__credit_code", column_name="统一社会信用代码")
    joined_on = fields.Field(attribute="joined_on", column_name="入会日期")
    employment_form = fields.Field(column_name="就业形态")

    class Meta:
        model = Member
        fields = (
            "name",
            "id_number",
            "phone",
            "union_code",
            "enterprise_name",
            "credit_code",
            "joined_on",
            "employment_form",
        )
        export_order = fields

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self._full_ids: dict[int, str] = {}

    # -- export ---------------------------------------------------------------------------------
    def before_export(self, queryset, **kwargs):
        if queryset is not None and services.can_view_full_id(self.user):
            self._full_ids = services.id_numbers_reveal(
                members=queryset.select_related("union"),
                viewer=self.user,
                channel=IdNumberAccess.Channel.EXPORT,
            )

    def dehydrate_id_number(self, member: Member) -> str:
        return self._full_ids.get(member.pk, member.id_number_masked)

    def dehydrate_employment_form(self, member: Member) -> str:
        return member.get_employment_form_display()

    def dehydrate_joined_on(self, member: Member) -> str:
        return member.joined_on.isoformat()

    # -- import: the shared pipeline ------------------------------------------------------------
    def run_import(self, *, table, by, dry_run, preview_rows, file_name, sha256):
        return roster_import(
            rows=roster_rows(table),
            by=by,
            dry_run=dry_run,
            preview_rows=preview_rows,
            file_name=file_name,
            sha256=sha256,
        )


# --- going live: the union tree, enterprises, staff accounts (members.golive) -----------------


class UnionResource(TableImportResource):
    import_headers = UNION_HEADERS
    table_importer = staticmethod(union_tree_import)

    code = fields.Field(attribute="code", column_name="工会编码")
    name = fields.Field(attribute="name", column_name="工会名称")
    level = fields.Field(column_name="层级")
    parent_code = fields.Field(attribute="parent__code", column_name="上级工会编码")
    is_joint = fields.Field(column_name="联合工会")

    class Meta:
        model = Union
        fields = ("code", "name", "level", "parent_code", "is_joint")
        export_order = fields

    def dehydrate_level(self, union: Union) -> str:
        return union.get_level_display()

    def dehydrate_is_joint(self, union: Union) -> str:
        return "是" if union.is_joint else "否"


class EnterpriseResource(TableImportResource):
    import_headers = ENTERPRISE_HEADERS
    table_importer = staticmethod(enterprise_import)

    name = fields.Field(attribute="name", column_name="单位名称")
    credit_code = fields.Field(attribute="credit_code", column_name="统一社会信用代码")
    union_code = fields.Field(attribute="union__code", column_name="所属工会编码")
    industry = fields.Field(column_name="所属行业")
    above_designated_size = fields.Field(column_name="规上企业")
    is_state_owned = fields.Field(column_name="国有企业")

    class Meta:
        model = Enterprise
        fields = (
            "name",
            "credit_code",
            "union_code",
            "industry",
            "above_designated_size",
            "is_state_owned",
        )
        export_order = fields

    def dehydrate_industry(self, enterprise: Enterprise) -> str:
        return enterprise.get_industry_display() if enterprise.industry else ""

    def dehydrate_above_designated_size(self, enterprise: Enterprise) -> str:
        return "是" if enterprise.above_designated_size else "否"

    def dehydrate_is_state_owned(self, enterprise: Enterprise) -> str:
        return "是" if enterprise.is_state_owned else "否"


class StaffResource(TableImportResource):
    import_headers = STAFF_HEADERS
    table_importer = staticmethod(staff_import)

    username = fields.Field(attribute="user__username", column_name="用户名")
    name = fields.Field(attribute="user__first_name", column_name="姓名")
    union_code = fields.Field(attribute="union__code", column_name="所属工会编码")
    role = fields.Field(column_name="角色")
    phone = fields.Field(column_name="手机号码")

    class Meta:
        model = StaffProfile
        fields = ("username", "name", "union_code", "role", "phone")
        export_order = fields

    def dehydrate_role(self, profile: StaffProfile) -> str:
        return profile.get_role_display()

    def dehydrate_phone(self, profile: StaffProfile) -> str:
        # An export is a list to pass around: the numbers stay masked.
        return mask_phone(profile.phone) if profile.phone else ""
