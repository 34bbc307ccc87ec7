"""The member register's export from the admin (导出), as an export job (common.export_jobs): the
city admin exporting 681,000 members must not hold a web worker. The columns are the roster
template's (members.resources.MemberResource), the rows the admin list the clerk was looking at
(its filters and search), in the clerk's tree. Full ID numbers only for a clerk with the
permission to see them, and each member whose number goes into the file is recorded
(IdNumberAccess, channel 导出) before a byte is written."""

from django.contrib.auth.models import User
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from common.export_jobs import ExportSource
from members import crypto, selectors, services
from members.models import IdNumberAccess, Member
from members.scoping import scope_queryset

# The roster template's columns, in its order: (resource field, lookup read for it).
COLUMNS = {
    "name": "name",
    "id_number": "id_number_masked",
    "phone": "phone",
    "union_code": "union__code",
    "enterprise_name": "enterprise__name",
    "credit_code": "enterprise__credit_code",
    "joined_on": "joined_on",
    "employment_form": "employment_form",
}
# The admin list's filters (MemberAdmin.list_filter) as the changelist puts them in its URL.
FILTERS = ("status__exact", "employment_form__exact", "gender__exact", "union__level__exact")


def export_params(*, query: dict, fields: list[str]) -> dict:
    """What a member export job keeps from the admin's request: the list's filters and search
    (only those the list has) and the chosen columns (only the template's)."""
    return {
        "filters": {k: str(query[k]) for k in FILTERS if query.get(k)},
        "q": str(query.get("q") or "").strip(),
        # The form refuses a POST with no column chosen; the template's own order is kept.
        "fields": [f for f in COLUMNS if f in fields],
    }


def member_export_queryset(*, viewer: User, params: dict) -> QuerySet[Member]:
    qs = scope_queryset(Member.objects.all(), viewer, "union")
    filters = {k: v for k, v in (params.get("filters") or {}).items() if k in FILTERS}
    if filters:
        qs = qs.filter(**filters)
    term = params.get("q") or ""
    if term:
        if selectors.looks_like_full_id_number(term):
            return qs.none()  # the admin refuses such a search (it would sit in a URL)
        qs = qs.filter(selectors.member_search_q(term))
    return qs.order_by("pk")


def record_full_id_export(*, members: QuerySet[Member], viewer: User) -> int:
    """One IdNumberAccess row (channel 导出) per member whose full number the file will hold, in
    one INSERT … SELECT: a city export records 681,000 accesses without loading one member."""
    try:
        sql, params = members.order_by().values_list("pk").query.sql_with_params()
    except EmptyResultSet:  # .none(): no member, nothing to record
        return 0
    table = IdNumberAccess._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            # The subquery's one column is the member id, whatever Django aliases it as.
            f"INSERT INTO {table} (member_id, user_id, channel, accessed_at) "  # noqa: S608
            f"SELECT sub.*, %s, %s, %s FROM ({sql}) AS sub",
            [viewer.pk, IdNumberAccess.Channel.EXPORT, timezone.now(), *params],
        )
        return cursor.rowcount


def member_export_source(job) -> ExportSource:
    from members.resources import MemberResource

    viewer = job.requested_by
    params = job.params
    fields = [f for f in params.get("fields") or COLUMNS if f in COLUMNS] or list(COLUMNS)
    full_ids = "id_number" in fields and services.can_view_full_id(viewer)
    qs = member_export_queryset(viewer=viewer, params=params)
    lookups = [
        "id_number_encrypted" if (f == "id_number" and full_ids) else COLUMNS[f] for f in fields
    ]
    labels = dict(Member.EmploymentForm.choices)
    id_at = fields.index("id_number") if full_ids else -1
    form_at = fields.index("employment_form") if "employment_form" in fields else -1
    joined_at = fields.index("joined_on") if "joined_on" in fields else -1

    def rows():
        for values in qs.values_list(*lookups).iterator(chunk_size=2000):
            row = list(values)
            if id_at >= 0:
                row[id_at] = crypto.decrypt_id_number(row[id_at])
            if form_at >= 0:
                row[form_at] = str(labels.get(row[form_at], row[form_at]))
            if joined_at >= 0 and row[joined_at] is not None:
                row[joined_at] = row[joined_at].isoformat()  # the template's text, as imported
            yield row

    columns = {name: f.column_name for name, f in MemberResource.fields.items()}
    return ExportSource(
        sheet_title="会员名册",
        headers=[columns[f] for f in fields],
        rows=rows(),
        total=qs.count(),
        holds_full_ids=full_ids,
        before_write=(lambda: record_full_id_export(members=qs, viewer=viewer))
        if full_ids
        else None,
    )
