"""Everything `rotate_id_keys` moves besides the files: the ID numbers (Member, JoinApplication),
the other ciphertexts under the same key ring (bank card numbers), and every column that names a
person by the keyed hash of their ID number.

Only Member and JoinApplication hold the number itself, so only their hashes can be checked
against the old hash key and recomputed. The other person-keyed rows (portal account, consents,
notices, personal data copies, bank cards, member tokens) hold nothing but the hash: they follow
through the old → new mapping those two tables give, batch by batch. A row whose hash maps to
nobody cannot be recomputed by anything; the command counts it (`unmatched`).

The history tables hold neither the ciphertext nor the hash (members.history), so nothing here
writes history. The models are looked up by label: members is the base app and does not import
the apps that key rows by its hash."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Exists, Model, OuterRef

from members import crypto

# (model label, column): rows that name a person by Member.id_number_hash and nothing else.
PERSON_HASH_COLUMNS = (
    ("members.AccessToken", "member_id_hash"),
    ("portal.PortalAccount", "person_hash"),
    ("portal.Consent", "person_hash"),
    ("portal.MemberNotice", "person_hash"),
    ("portal.PersonalDataExport", "person_hash"),
    ("welfare.BankCard", "person_hash"),
)
# (model label, column): ciphertexts under MEMBER_ID_KEYS that no hash depends on.
OTHER_CIPHER_COLUMNS = (("welfare.BankCard", "card_number_encrypted"),)
# Holders of an ID number (ciphertext and hash), in the order they are rotated.
NUMBER_HOLDERS = ("members.Member", "portal.JoinApplication")
# What retention puts in place of a de-identified person's hash (common.retention.TOKEN_PREFIX):
# no key made it, so no rotation touches it.
TOKEN_PREFIX = "deid:"
# Pairs sent per UPDATE … FROM (VALUES …): 2,000 parameters, far below PostgreSQL's limit.
VALUES_PER_STATEMENT = 1000


class HashMismatch(Exception):
    def __init__(self, model: type[Model], pk: int):
        super().__init__(f"{model._meta.verbose_name} {pk} 的摘要与旧摘要密钥不符")


def _model(label: str) -> type[Model]:
    return apps.get_model(label)


def tables_to_lock() -> list[str]:
    """Every table a hash rotation rewrites, for one LOCK TABLE."""
    labels = [*NUMBER_HOLDERS, *(label for label, _column in PERSON_HASH_COLUMNS)]
    return list(dict.fromkeys(_model(label)._meta.db_table for label in labels))


def rotate_numbers(label: str, batch_size: int, old_hash_key: str | None) -> int:
    """Re-encrypt the ID numbers of `label` under the first key; with `old_hash_key`, check each
    stored hash against it, store the hash under the current key, and carry the person-keyed
    rows of every PERSON_HASH_COLUMNS table from the old hash to the new. Raises HashMismatch
    (the caller's transaction rolls everything back) on a hash the old key did not make."""
    model = _model(label)
    done = 0
    last_pk = 0
    while True:
        # Inside the outer transaction (hash rotation) a savepoint; otherwise each batch commits.
        with transaction.atomic():
            rows = (
                model._default_manager.select_for_update()
                .filter(pk__gt=last_pk)
                # A de-identified row (common/retention.py) has no ciphertext, and its hash is a
                # token that no key made.
                .exclude(id_number_encrypted="")
                .order_by("pk")
                .only("pk", "id_number_encrypted", "id_number_hash")
            )
            batch: list[Any] = list(rows[:batch_size])
            if not batch:
                return done
            fields = ["id_number_encrypted"]
            moved: dict[str, str] = {}
            for row in batch:
                if old_hash_key:
                    number = crypto.decrypt_id_number(row.id_number_encrypted)
                    if crypto.hash_id_number(number, old_hash_key) != row.id_number_hash:
                        raise HashMismatch(model, row.pk)
                    new_hash = crypto.hash_id_number(number)
                    moved[row.id_number_hash] = new_hash
                    row.id_number_hash = new_hash
                row.id_number_encrypted = crypto.reencrypt_id_number(row.id_number_encrypted)
            if old_hash_key:
                fields.append("id_number_hash")
            model._default_manager.bulk_update(batch, fields)
            rekey_person_hashes(moved)
            last_pk = batch[-1].pk
            done += len(batch)


def rekey_person_hashes(moved: dict[str, str]) -> None:
    """Carry every PERSON_HASH_COLUMNS row from its old hash to the new one. A person met again
    in a later batch (another membership) finds their rows already moved: nothing matches."""
    pairs = [(old, new) for old, new in moved.items() if old != new]
    if not pairs:
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for label, column in PERSON_HASH_COLUMNS:
            table, col = qn(_model(label)._meta.db_table), qn(column)
            for start in range(0, len(pairs), VALUES_PER_STATEMENT):
                chunk = pairs[start : start + VALUES_PER_STATEMENT]
                values = ", ".join(["(%s, %s)"] * len(chunk))
                # VALUES names its columns column1, column2 in PostgreSQL and SQLite alike.
                cursor.execute(
                    f"UPDATE {table} SET {col} = m.column2 FROM (VALUES {values}) AS m "
                    f"WHERE {table}.{col} = m.column1",
                    [value for pair in chunk for value in pair],
                )


def unmatched() -> dict[str, int]:
    """Person-keyed rows whose hash is no member's and no applicant's under the current key (nor
    a retention token): after a hash rotation, the rows it could not carry over. By model name."""
    counts: dict[str, int] = {}
    for label, column in PERSON_HASH_COLUMNS:
        model = _model(label)
        rows = (
            model._default_manager.exclude(**{f"{column}__isnull": True})
            .exclude(**{column: ""})
            .exclude(**{f"{column}__startswith": TOKEN_PREFIX})
        )
        # NOT EXISTS, not NOT IN: an anti-join, where NOT IN over 681,000 hashes that outgrow
        # work_mem would rescan the list for every row.
        for holder in NUMBER_HOLDERS:
            rows = rows.exclude(
                Exists(_model(holder)._default_manager.filter(id_number_hash=OuterRef(column)))
            )
        if n := rows.count():
            counts[str(model._meta.verbose_name)] = n
    return counts


def reencrypt_other_ciphers(batch_size: int) -> int:
    """OTHER_CIPHER_COLUMNS under the first key, a batch per (savepoint or) transaction; returns
    how many changed. An emptied value (a de-identified bank card) stays empty."""
    done = 0
    for label, column in OTHER_CIPHER_COLUMNS:
        model = _model(label)
        last_pk = 0
        while True:
            with transaction.atomic():
                batch = list(
                    model._default_manager.select_for_update()
                    .filter(pk__gt=last_pk)
                    .exclude(**{column: ""})
                    .order_by("pk")
                    .only("pk", column)[:batch_size]
                )
                if not batch:
                    break
                changed = []
                for row in batch:
                    sealed = getattr(row, column)
                    resealed = crypto.reencrypt_id_number(sealed)
                    if resealed != sealed:
                        setattr(row, column, resealed)
                        changed.append(row)
                if changed:
                    model._default_manager.bulk_update(changed, [column])
                last_pk = batch[-1].pk
                done += len(changed)
    return done
