"""Going live (上线导入): a federation brings what it has onto the portal in three files, each on the
one importer loop (common.importing.TableImport), in the admin and as commands, with the roster's
rules: all or nothing, every problem of a row on one line, rows in the file's order, the clerk's
own tree as the bound, an ImportBatch kept for a written import, a second run changing nothing.

- the union tree (工会组织导入, `union_tree_import`): code, name, level, parent code. A parent may
  come anywhere in the file, before or after its children: the whole tree is one batch (a city's
  tree is a few thousand rows), resolved within the file and against the unions already there;
  an unknown parent and a cycle are row errors. Only city staff bring in district unions, and only
  the system (or a superuser) a city federation.
- enterprises (企业单位导入, `enterprise_import`): name, unified social credit code (with its
  check character), union, industry, the 规上 and 国有 flags.
- staff accounts (工作人员账号导入, `staff_import`): username, name, union, role, phone. Accounts are
  made with no usable password; the person sets one by an SMS code to the phone on file
  (members.password_reset). No one grants a role above their own.

Codes, levels and roles of the tree are not changed by an import: a union already there with
another parent or level, an account already there with another union or role, is a row error
pointing to the admin, where such a change is a decision of its own.
"""

from members.golive._common import (
    LEVEL_ALIASES,
    NO,
    NOT_FOUND,
    ROLE_ALIASES,
    ROLE_LEVEL,
    YES,
    Level,
    Role,
    parse_flag,
    parse_industry,
    parse_level,
    parse_role,
)
from members.golive.enterprises import (
    ENTERPRISE_HEADERS,
    ENTERPRISE_REQUIRED,
    EnterpriseImport,
    enterprise_import,
)
from members.golive.staff import (
    STAFF_HEADERS,
    STAFF_REQUIRED,
    StaffImport,
    staff_import,
)
from members.golive.unions import (
    UNION_HEADERS,
    UNION_REQUIRED,
    UnionTreeImport,
    union_tree_import,
)

__all__ = [
    "ENTERPRISE_HEADERS",
    "ENTERPRISE_REQUIRED",
    "LEVEL_ALIASES",
    "NO",
    "NOT_FOUND",
    "ROLE_ALIASES",
    "ROLE_LEVEL",
    "STAFF_HEADERS",
    "STAFF_REQUIRED",
    "UNION_HEADERS",
    "UNION_REQUIRED",
    "YES",
    "EnterpriseImport",
    "Level",
    "Role",
    "StaffImport",
    "UnionTreeImport",
    "enterprise_import",
    "parse_flag",
    "parse_industry",
    "parse_level",
    "parse_role",
    "staff_import",
    "union_tree_import",
]
