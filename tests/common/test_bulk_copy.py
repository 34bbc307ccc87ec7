"""common/bulk_copy.py writes exactly what bulk_create would, awkward values included."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection

from common.bulk_copy import bulk_copy
from common.models import ExportJob, ImportBatch, ImportBatchChange
from tests.factories import MemberFactory
from welfare.models import Visit

AWKWARD = [
    "制表\t符",
    "换行\n和回车\r\n",
    "反斜杠\\N 不是空值",
    "\\",
    "",
    "引号'\"和逗号,",
]


@pytest.fixture(params=["postgresql", "fallback"])
def backend(request, monkeypatch):
    """Each test runs through COPY and through the bulk_create fallback (the SQLite path),
    which must write the same rows."""
    if request.param == "fallback":
        monkeypatch.setattr(connection, "vendor", "sqlite")
    return request.param


@pytest.fixture
def batch(db):
    return ImportBatch.objects.create(kind="members", actor="system")


def test_text_and_json_round_trip(backend, batch):
    changes = [
        [{"field": "姓名", "before": text, "after": None}, {"n": 1.5, "ok": True}]
        for text in AWKWARD
    ]
    rows = [
        (batch.pk, i, text, c) for i, (text, c) in enumerate(zip(AWKWARD, changes, strict=True))
    ]

    bulk_copy(ImportBatchChange, ("batch_id", "row", "record", "changes"), rows)

    stored = list(ImportBatchChange.objects.order_by("row").values_list("record", "changes"))
    assert stored == list(zip(AWKWARD, changes, strict=True))


def test_dates_decimals_booleans_and_defaults(backend, tree):
    member = MemberFactory(union=tree.zhili)
    rows = [
        (
            member.pk,
            tree.zhili.pk,
            dt.date(2024, 2, 29),
            "winter",
            "市总工会",
            True,
            Decimal("0.5"),
        ),
        (
            member.pk,
            tree.zhili.pk,
            dt.date(2024, 12, 31),
            "summer",
            "反斜\\杠",
            False,
            Decimal(300),
        ),
    ]
    before = dt.datetime.now(dt.UTC)

    bulk_copy(
        Visit,
        ("member_id", "union_id", "visited_on", "occasion", "visitor", "in_hardship", "value"),
        rows,
    )

    visits = list(Visit.objects.order_by("visited_on"))
    assert [(v.visited_on, v.visitor, v.in_hardship, v.value) for v in visits] == [
        (dt.date(2024, 2, 29), "市总工会", True, Decimal("0.50")),
        (dt.date(2024, 12, 31), "反斜\\杠", False, Decimal("300.00")),
    ]
    # Columns not given get the model's defaults, as bulk_create would give them.
    assert all(v.frontline is True and v.given == "" for v in visits)
    assert all(v.created_at >= before and v.updated_at >= before for v in visits)


def test_time_zones_nulls_and_callable_defaults(backend, tree, staff):
    shanghai = dt.datetime(2024, 3, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    utc = dt.datetime(2024, 3, 1, 1, 30, 15, 123456, tzinfo=dt.UTC)
    user = staff["city_admin"]
    rows = [
        (ExportJob.Kind.FIGURE, user.pk, tree.city.pk, "甲", shanghai, None),
        (ExportJob.Kind.MEMBERS, user.pk, tree.city.pk, "乙", utc, shanghai),
    ]

    bulk_copy(
        ExportJob,
        ("kind", "requested_by_id", "union_id", "title", "started_at", "finished_at"),
        rows,
    )

    jobs = list(ExportJob.objects.order_by("kind"))
    assert [(j.kind, j.started_at, j.finished_at) for j in jobs] == [
        ("figure", shanghai, None),
        ("members", utc, shanghai),
    ]
    assert [j.params for j in jobs] == [{}, {}]
    assert all(j.status == ExportJob.Status.QUEUED and j.holds_full_ids is False for j in jobs)


def test_ids_are_the_rows_ids_in_order(backend, batch):
    rows = [(batch.pk, n, f"第{n}行", []) for n in range(7)]

    ids = bulk_copy(ImportBatchChange, ("batch_id", "row", "record", "changes"), rows, ids=True)

    assert len(ids) == 7 and len(set(ids)) == 7
    assert dict(ImportBatchChange.objects.values_list("pk", "row")) == dict(
        zip(ids, range(7), strict=True)
    )
    # The sequence moved on: the next row the ORM writes does not collide with them.
    later = ImportBatchChange.objects.create(batch=batch, row=99, record="", changes=[])
    assert later.pk > max(ids)


def test_a_failing_batch_writes_nothing(backend, batch, monkeypatch):
    # Several chunks sent, and the last row has no record (NOT NULL).
    monkeypatch.setattr("common.bulk_copy.CHUNK", 3)
    rows = [(batch.pk, n, f"第{n}行", []) for n in range(10)] + [(batch.pk, 10, None, [])]

    with pytest.raises(IntegrityError):
        bulk_copy(ImportBatchChange, ("batch_id", "row", "record", "changes"), rows, ids=True)

    assert not ImportBatchChange.objects.exists()


def test_bad_rows_are_refused_before_anything_is_written(backend, batch):
    with pytest.raises(ValueError, match="没有这些字段"):
        bulk_copy(ImportBatchChange, ("batch_id", "rows"), [(batch.pk, 1)])
    with pytest.raises(ValueError, match="每行应有 4 个值"):
        bulk_copy(
            ImportBatchChange,
            ("batch_id", "row", "record", "changes"),
            [(batch.pk, 1, "", []), (batch.pk, 2, "")],
        )
    with pytest.raises(ValueError, match="由系统自动填写"):
        bulk_copy(ImportBatch, ("kind", "actor", "started_at"), [("x", "y", None)])
    assert not ImportBatchChange.objects.exists()
