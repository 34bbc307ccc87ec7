"""Indexes for the searches clerks type at city scale (issue 13), on PostgreSQL only.

- pg_trgm, and a GIN trigram index on UPPER(name) for members and enterprises: the admin's
  `name__icontains` is `UPPER(name) LIKE UPPER('%term%')`, which this index serves for a term of
  three characters or more (a full Chinese name);
- a btree (varchar_pattern_ops) on the member's name for `name__startswith` (a surname, or a
  two-character name: too short for a trigram) and on the phone for `phone__startswith`;
- a btree on UPPER(credit_code) for the enterprise admin's exact `=credit_code` search (iexact).

They are created with SQL rather than declared on the models' Meta: a GIN index and an operator
class do not exist on SQLite, where the embedded demo still migrates (these operations no-op
there). The migration's reverse drops them.
"""

from django.db import migrations

INDEXES = [
    (
        "member_name_trgm_idx",
        'CREATE INDEX IF NOT EXISTS member_name_trgm_idx ON members_member '
        'USING gin (UPPER("name") gin_trgm_ops)',
    ),
    (
        "member_name_prefix_idx",
        'CREATE INDEX IF NOT EXISTS member_name_prefix_idx ON members_member '
        '("name" varchar_pattern_ops)',
    ),
    (
        "member_phone_prefix_idx",
        'CREATE INDEX IF NOT EXISTS member_phone_prefix_idx ON members_member '
        '("phone" varchar_pattern_ops)',
    ),
    (
        "enterprise_name_trgm_idx",
        'CREATE INDEX IF NOT EXISTS enterprise_name_trgm_idx ON members_enterprise '
        'USING gin (UPPER("name") gin_trgm_ops)',
    ),
    (
        "enterprise_credit_code_upper_idx",
        'CREATE INDEX IF NOT EXISTS enterprise_credit_code_upper_idx ON members_enterprise '
        '(UPPER("credit_code"))',
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for _name, sql in INDEXES:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _sql in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("members", "0003_merge_0002_accesstoken_0002_history")]

    operations = [migrations.RunPython(create, drop)]
