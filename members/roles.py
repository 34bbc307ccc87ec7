"""Roles and what each may do. Groups are made from this table by `sync_roles` (and whenever a
staff user is created), so the table is the one place to read or change it."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from members.models import StaffProfile

Role = StaffProfile.Role

# The apps whose records staff keep; every model in them is covered.
BUSINESS_APPS = ("members", "activities", "skills", "welfare", "dashboard")

# Models only the levels above grassroots may create or change (the shape of the tree).
TREE_MODELS = {("members", "union")}
# Records that only the system writes (audit trails): everyone with a role may read them.
READ_ONLY_MODELS = {
    ("members", "idnumberaccess"),
    ("welfare", "claimevent"),
    ("welfare", "payout"),
    # Members sign up for job fairs themselves (portal); the organiser only reads the list.
    ("welfare", "jobfairsignup"),
}

ADMIN_ROLES = (Role.CITY_ADMIN, Role.DISTRICT_ADMIN, Role.TOWNSHIP_ADMIN, Role.GRASSROOTS_ADMIN)

# Extra named permissions by role, as "app_label.codename".
EXTRA = {
    Role.CITY_ADMIN: [
        "members.reveal_id_number",
        "dashboard.run_rollup",
        # Sign-in lockouts (django-axes): the city admin sees them and unlocks by deleting them.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accessfailurelog",
        "axes.view_accesslog",
    ],
}
# Every admin role reads the import batches and the export records of its part of the tree
# (common.ImportBatch, common.ExportJob).
for _role in ADMIN_ROLES:
    EXTRA.setdefault(_role, []).extend(
        ["common.view_importbatch", "common.view_importbatchchange", "common.view_exportjob"]
    )


# The member portal's staff-facing records: the online join queue (approve or refuse) and the
# e-card checks. Its other tables (codes, devices, the SMS outbox) are the system's: superusers only.
PORTAL_STAFF = {
    "view": [
        "portal.view_joinapplication",
        "portal.view_cardverification",
        "portal.view_correctionrequest",
    ],
    "change": ["portal.change_joinapplication", "portal.change_correctionrequest"],
}


# Named permissions that no role gets by a view_/add_/change_ prefix, only through EXTRA.
EXPLICIT_ONLY = ["reveal_id_number", "run_rollup"]


def role_permission_q(role: str) -> Q:
    in_apps = Q(content_type__app_label__in=BUSINESS_APPS) & ~Q(codename__in=EXPLICIT_ONLY)
    if role == Role.LEADERSHIP:
        return in_apps & Q(codename__startswith="view_")
    q = in_apps & (
        Q(codename__startswith="view_")
        | Q(codename__startswith="add_")
        | Q(codename__startswith="change_")
    )
    for app_label, model in READ_ONLY_MODELS:
        q &= ~(
            Q(content_type__app_label=app_label, content_type__model=model)
            & ~Q(codename__startswith="view_")
        )
    if role == Role.GRASSROOTS_ADMIN:
        for app_label, model in TREE_MODELS:
            q &= ~(
                Q(content_type__app_label=app_label, content_type__model=model)
                & ~Q(codename__startswith="view_")
            )
    portal = PORTAL_STAFF["view"] + (PORTAL_STAFF["change"] if role in ADMIN_ROLES else [])
    for name in EXTRA.get(role, []) + portal:
        app_label, codename = name.split(".")
        q |= Q(content_type__app_label=app_label, codename=codename)
    return q


def ensure_role_groups() -> dict[str, Group]:
    """Create or refresh one Group per role with exactly the permissions the table gives it."""
    groups = {}
    for role in Role:
        # Named in Chinese as the admin shows it (市总管理员); a group made under the old
        # name (role:city_admin) is renamed, keeping its members.
        name = str(role.label)
        group = (
            Group.objects.filter(name=name).first()
            or Group.objects.filter(name=f"role:{role.value}").first()
        )
        if group is None:
            group = Group.objects.create(name=name)
        elif group.name != name:
            group.name = name
            group.save(update_fields=["name"])
        group.permissions.set(Permission.objects.filter(role_permission_q(role)))
        groups[role.value] = group
    return groups
