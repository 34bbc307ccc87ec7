"""Indexes for a surname search in the member list at city scale (issue 13), built without
blocking writes (CREATE INDEX CONCURRENTLY: this migration is not atomic).

The admin lists members by `-joined_on, id` (Member.Meta.ordering) and a surname is
`name LIKE '王%'` (members.selectors.member_search_q). At 684,405 members a surname matches
about 7,000, and the changelist runs two queries (docs/scale-explain.md):
- the first page: the planner walked `member_joined_idx` backwards and read every member's row to
  test its name, 30,000 rows for a district admin's 50 (176-300 ms). `member_list_order_idx` is
  the list's order with the name as a third column (`varchar_pattern_ops`, so LIKE 'x%' is a range
  on it): the walk tests the name inside the index and reads only the rows it keeps (3 ms). A
  column INCLUDEd instead could not be tested before reading the row: the page selects every
  column, so it is never an index-only scan;
- the page count (`SELECT COUNT(*) FROM (... LIMIT 10001)`): found the 7,000 by
  `member_name_prefix_idx`, then read each row for its union and order. Its replacement,
  `member_name_prefix_cover_idx`, carries the union, the joined date and the id, so the count is
  an index-only scan once VACUUM has marked the table's pages visible (autovacuum does after a
  bulk load).

`member_list_order_idx` is declared on Member.Meta; the covering name index is SQL, as its
predecessor in 0004_search_indexes was (an INCLUDE and an operator class together), and on SQLite
(the embedded demo) neither exists but the plain index.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models
from django.db.migrations.operations import AddIndex

COVER = "member_name_prefix_cover_idx"
COVER_SQL = (
    f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {COVER} ON members_member "
    '("name" varchar_pattern_ops) INCLUDE ("joined_on", "id", "union_id")'
)
OLD = "member_name_prefix_idx"
OLD_SQL = (
    f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {OLD} ON members_member "
    '("name" varchar_pattern_ops)'
)


class AddIndexConcurrentlyOnPostgres(AddIndexConcurrently):
    """AddIndexConcurrently on PostgreSQL; a plain AddIndex on the embedded demo's SQLite, whose
    schema editor has no CONCURRENTLY."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


def _replace(schema_editor, *, create_sql: str, name: str, drop: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # A CREATE INDEX CONCURRENTLY that failed half-way leaves an invalid index of that name,
    # which IF NOT EXISTS would keep: drop it first.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.relname = %s AND NOT i.indisvalid",
            [name],
        )
        if cursor.fetchone():
            cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
        cursor.execute(create_sql)
        cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {drop}")


def cover_name_index(apps, schema_editor):
    _replace(schema_editor, create_sql=COVER_SQL, name=COVER, drop=OLD)


def uncover_name_index(apps, schema_editor):
    _replace(schema_editor, create_sql=OLD_SQL, name=OLD, drop=COVER)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("members", "0008_merge_retention_and_staff_phone")]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="member",
            index=models.Index(
                fields=["-joined_on", "id", "name"],
                name="member_list_order_idx",
                opclasses=["", "", "varchar_pattern_ops"],
            ),
        ),
        migrations.RunPython(cover_name_index, uncover_name_index),
    ]
