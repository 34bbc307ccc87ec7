"""Write many rows of one model from plain tuples: on PostgreSQL by `COPY ... FROM STDIN`, elsewhere
(the embedded SQLite default) by `bulk_create`.

Built for the demo seed (issue 13): at city scale it writes about a million rows, and building a
model instance per row and parsing a multi-row INSERT took most of its time (cProfile of
`seed_demo --scale 0.1`: `Model.__init__`, `get_db_prep_save` and the INSERT). The rows written are
the ones `bulk_create` would write: the same values, the same defaults for the columns not given
(`auto_now`/`auto_now_add` stamps take one "now" for the whole call) and, when asked for, the same
ids, drawn from the table's own sequence in row order so that children can point at them.

No signals, no `save()`, no `pre_save` beyond the timestamps: only for models whose rows need none
of that, which is what bulk_create gives too."""

import datetime as dt
import io
import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from operator import methodcaller
from typing import Any

from django.db import connections, models, transaction
from django.utils import timezone

# Rows sent to PostgreSQL in one COPY: bounds the buffer (≈100 bytes a row here), not the speed.
CHUNK = 50_000

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


def bulk_copy(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    ids: bool = False,
    using: str = "default",
) -> list[int]:
    """Insert `rows` (each a tuple of values for `columns`, field attnames such as `member_id`)
    into `model`'s table in one transaction. Returns the new rows' primary keys in row order when
    `ids` is true (a list of the right length otherwise empty)."""
    rows = rows if isinstance(rows, list) else list(rows)
    meta = (model._meta.concrete_model or model)._meta
    if meta.parents:
        raise ValueError(f"{meta.label}: 多表继承的模型不能用 bulk_copy")
    by_attname = {f.attname: f for f in meta.concrete_fields}
    unknown = [c for c in columns if c not in by_attname]
    if unknown:
        raise ValueError(f"{meta.label} 没有这些字段：{', '.join(unknown)}")
    stamped = [
        c
        for c in columns
        if getattr(by_attname[c], "auto_now", False)
        or getattr(by_attname[c], "auto_now_add", False)
    ]
    if stamped:
        # bulk_create would overwrite them with "now": say so rather than write something else.
        raise ValueError(f"{meta.label}：{', '.join(stamped)} 由系统自动填写，不能指定")
    width = len(columns)
    for row in rows:
        if len(row) != width:
            raise ValueError(f"{meta.label}：每行应有 {width} 个值，实际 {len(row)} 个：{row!r}")
    if not rows:
        return []
    connection = connections[using]
    if connection.vendor != "postgresql":
        return _bulk_create(model, columns, rows, ids=ids, using=using)

    pk = meta.pk
    given = set(columns)
    allocate = ids and pk.attname not in given
    # The columns bulk_create would fill by itself: defaults, and the auto_now stamps.
    now = timezone.now()
    constant: list[tuple[models.Field, Any]] = []
    per_row: list[models.Field] = []
    for field in meta.concrete_fields:
        if field.attname in given or field is pk:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            constant.append((field, now))
        elif field.has_default() and callable(field.default):
            per_row.append(field)
        else:
            constant.append((field, field.get_default()))
    fields = (
        ([pk] if allocate else [])
        + [by_attname[c] for c in columns]
        + per_row
        + [f for f, _ in constant]
    )
    quote = connection.ops.quote_name
    sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
    given_fields = [by_attname[c] for c in columns]
    constant_text = [_formatter(f, connection)(value) for f, value in constant]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        new_ids: list[int] = []
        if allocate:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(meta.db_table), str(pk.column), len(rows)],
            )
            new_ids = sorted(r[0] for r in cursor.fetchall())
        elif ids:
            new_ids = [row[columns.index(pk.attname)] for row in rows]
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            n = len(chunk)
            # Column by column: most columns then format at C speed (map(str, ...)).
            texts = [
                _column(f, list(values), connection)
                for f, values in zip(given_fields, zip(*chunk, strict=True), strict=True)
            ]
            texts += [_column(f, [f.get_default() for _ in chunk], connection) for f in per_row]
            texts += [[text] * n for text in constant_text]
            if allocate:
                texts.insert(0, list(map(str, new_ids[start : start + n])))
            buffer = io.StringIO()
            buffer.write("\n".join(map("\t".join, zip(*texts, strict=True))))
            buffer.write("\n")
            buffer.seek(0)
            with connection.wrap_database_errors:  # IntegrityError, not psycopg2's own
                cursor.cursor.copy_expert(sql, buffer)
    return new_ids if ids else []


_BOOLEAN = {True: "t", False: "f", None: _NULL}


def _column(field: models.Field, values: list, connection) -> list[str]:
    """The COPY text of one column's values: the common types of Django's own fields in bulk,
    anything else (or a NULL among them) value by value."""
    if type(field).__module__.startswith("django.db.models"):
        target = field.target_field if isinstance(field, models.ForeignKey) else field
        try:
            if isinstance(target, models.BooleanField):
                return list(map(_BOOLEAN.__getitem__, values))
            if None not in values:
                if isinstance(target, models.IntegerField | models.DecimalField):
                    return list(map(str, values))
                if isinstance(target, models.CharField | models.TextField):
                    return list(map(methodcaller("translate", _ESCAPES), values))
                if isinstance(target, models.DateField) and not isinstance(
                    target, models.DateTimeField
                ):
                    return list(map(dt.date.isoformat, values))
        except (TypeError, KeyError):
            pass  # a value of another type than the field's: value by value below
    return list(map(_formatter(field, connection), values))


def _bulk_create(
    model: type[models.Model], columns: Sequence[str], rows: list, *, ids: bool, using: str
) -> list[int]:
    objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
    with transaction.atomic(using=using):
        model._default_manager.using(using).bulk_create(objects, batch_size=2000)
    return [o.pk for o in objects] if ids else []


def _formatter(field: models.Field, connection) -> Callable[[Any], str]:
    """The COPY text form of a value of `field`."""
    if isinstance(field, models.JSONField):
        encoder = field.encoder

        def as_json(value: Any) -> str:
            if value is None:
                return _NULL
            return json.dumps(value, cls=encoder, ensure_ascii=False).translate(_ESCAPES)

        return as_json
    if isinstance(field, models.BinaryField):
        return lambda value: _NULL if value is None else "\\\\x" + bytes(value).hex()
    if type(field).__module__.startswith("django.db.models"):
        return _text
    # A field of our own (or a third party's) may store something else than what it is given.
    return lambda value: _text(field.get_db_prep_save(value, connection))


def _text(value: Any) -> str:
    if value is None:
        return _NULL
    if isinstance(value, str):  # TextChoices members too: their str is their value
        return str.__str__(value).translate(_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | Decimal | uuid.UUID):
        return str(int(value)) if isinstance(value, int) else str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            # What Django does with a naive datetime under USE_TZ (with a warning): the default
            # time zone.
            value = timezone.make_aware(value, timezone.get_default_timezone())
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return _text(value.pk)
    raise TypeError(f"bulk_copy 不支持的值：{value!r}（{type(value).__name__}）")
