"""A COPY in the background (common.pg_copy) never shares the connection with another query, and
its failure reaches the caller as the database error it is."""

import pytest
from django.db import DataError, IntegrityError, connection, transaction

from common.models import ImportBatch
from common.pg_copy import BackgroundCopy
from members.actors import system
from members.importing import ROSTER_HEADERS, roster_import, roster_rows
from members.models import Member
from tests.factories import MemberFactory, make_id_number
from tests.members.helpers import row

pytestmark = pytest.mark.django_db

ROWS = 20_000


@pytest.fixture
def scratch():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE copy_scratch (n integer NOT NULL)")
    yield "copy_scratch"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE copy_scratch")


def numbers(n: int) -> bytes:
    return "".join(f"{i}\n" for i in range(n)).encode()


def test_a_query_run_while_a_copy_is_in_flight_waits_for_it_and_sees_its_rows(scratch):
    # given: a COPY of 20,000 rows started in the background
    with BackgroundCopy(connection) as copy:
        copy.start(f"COPY {scratch} (n) FROM STDIN", numbers(ROWS))
        # when: the caller queries the same connection straight away
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {scratch}")
            (count,) = cursor.fetchone()
    # then: the query ran after the COPY, on an intact connection
    assert count == ROWS


def test_two_copies_in_a_row_both_land(scratch):
    with BackgroundCopy(connection) as copy:
        copy.start(f"COPY {scratch} (n) FROM STDIN", numbers(ROWS))
        copy.start(f"COPY {scratch} (n) FROM STDIN", numbers(ROWS))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {scratch}")
        assert cursor.fetchone() == (2 * ROWS,)


def test_a_failed_copy_raises_the_database_error_in_the_caller(scratch):
    # given: a COPY whose last row is not a number
    with pytest.raises(DataError), transaction.atomic(), BackgroundCopy(connection) as copy:  # noqa: PT012
        copy.start(f"COPY {scratch} (n) FROM STDIN", numbers(ROWS) + b"x\n")
        # when: the caller waits for it
        copy.wait()
    # then: the transaction was rolled back and the connection still answers
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {scratch}")
        assert cursor.fetchone() == (0,)


def test_a_failed_copy_is_raised_on_leaving_the_block_if_nothing_waited(scratch):
    with pytest.raises(DataError), transaction.atomic(), BackgroundCopy(connection) as copy:
        copy.start(f"COPY {scratch} (n) FROM STDIN", b"x\n")


def roster(tree, n: int):
    return roster_rows(
        [(1, ROSTER_HEADERS)]
        + [(i + 2, row(f"会员{i}", make_id_number(), tree.zhili_factory.code)) for i in range(n)]
    )


@pytest.mark.parametrize("dry_run", [False, True])
def test_the_members_foreign_keys_are_deferred_again_after_an_import(tree, dry_run):
    # given: a roster imported (or tried) inside a larger transaction; the import checks the
    # members' foreign keys as each COPY ends
    with transaction.atomic():
        report = roster_import(rows=roster(tree, 3), by=system("test"), dry_run=dry_run)
        assert report.created == 3
        member = MemberFactory(union=tree.zhili_factory)
        # when: the rest of the transaction points a member at a union that is not there yet
        Member.objects.filter(pk=member.pk).update(union_id=10**9)
        # then: it is checked at the commit, as before the import: put right in time, it passes
        Member.objects.filter(pk=member.pk).update(union_id=member.union_id)
    assert Member.objects.count() == (1 if dry_run else 4)


def test_a_person_registered_between_the_check_and_the_write_rolls_the_whole_import_back(tree):
    # given: a 30-row roster in batches of 10; once the first batch has looked for who is already
    # registered, someone else registers its first person (same transaction, as a stand-in for a
    # concurrent clerk whose commit lands first)
    rows = list(roster(tree, 30))
    first = rows[0][1]
    done = []

    def register_after_lookup(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not done and "id_number_hash = ANY" in sql:
            done.append(True)
            MemberFactory(
                union=tree.zhili_factory, name=first["姓名"], id_number=first["公民身份号码"]
            )
        return result

    # when
    with pytest.raises(IntegrityError), connection.execute_wrapper(register_after_lookup):
        roster_import(rows=iter(rows), by=system("test"), batch_size=10)
    # then: the COPY's refusal reached the caller and nothing of the import is kept
    assert done
    assert Member.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_a_name_with_quotes_commas_and_a_backslash_is_stored_as_written(tree):
    # given: names with what CSV and COPY treat specially (the COPY lines are built by hand)
    names = ['O"Brien, Jr', "张\\三", '"', ","]
    rows = roster_rows(
        [(1, ROSTER_HEADERS)]
        + [(i + 2, row(n, make_id_number(), tree.zhili_factory.code)) for i, n in enumerate(names)]
    )
    # when
    report = roster_import(rows=rows, by=system("test"))
    # then
    assert report.created == 4
    assert sorted(Member.objects.values_list("name", flat=True)) == sorted(names)
