import pytest
from django.db import connection
from django.test import override_settings

from members import crypto
from members.actors import system
from members.management.commands.rotate_id_keys import Command as RotateCommand
from members.models import Member
from members.services import member_create
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db


def test_the_table_holds_no_plain_id_number(tree):
    # given
    number = make_id_number()
    # when
    member = member_create(
        id_number=number, name="张三", union=tree.zhili_factory, by=system("test")
    )
    # then: no column of the row contains the number or its birth-date digits
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM members_member WHERE id = %s", [member.pk])
        row = cursor.fetchone()
    stored = " ".join(str(v) for v in row)
    assert number not in stored
    assert number[6:14] not in " ".join(str(v) for v in row if isinstance(v, str))
    assert member.id_number_masked == number[:6] + "********" + number[-4:]
    assert crypto.decrypt_id_number(member.id_number_encrypted) == number


def test_lookup_is_by_keyed_hash_not_plain_hash(tree):
    import hashlib

    number = make_id_number()
    member = member_create(
        id_number=number, name="李四", union=tree.zhili_factory, by=system("test")
    )
    assert member.id_number_hash != hashlib.sha256(number.encode()).hexdigest()
    assert Member.objects.get(id_number_hash=crypto.hash_id_number(number)) == member


def test_rotation_reencrypts_under_the_new_key_and_old_rows_still_read(tree, settings):
    # given: a member encrypted under the current key
    number = make_id_number()
    member = member_create(
        id_number=number, name="王五", union=tree.zhili_factory, by=system("test")
    )
    old_token = member.id_number_encrypted
    new_key = crypto.new_key("k2")
    # when: a new first key is added and the rotation command runs
    with override_settings(MEMBER_ID_KEYS=[new_key, *settings.MEMBER_ID_KEYS]):
        RotateCommand().handle(batch_size=10, old_hash_key=None)
        member.refresh_from_db()
        # then: the token changed and decrypts with the new key alone
        assert member.id_number_encrypted != old_token
        assert member.id_number_encrypted.startswith("k2:")
    with override_settings(MEMBER_ID_KEYS=[new_key]):
        assert crypto.decrypt_id_number(member.id_number_encrypted) == number


def test_a_tampered_ciphertext_is_refused_not_misread(tree):
    from django.core.exceptions import ImproperlyConfigured

    member = member_create(
        id_number=make_id_number(), name="赵六", union=tree.zhili_factory, by=system("test")
    )
    key_id, _sep, body = member.id_number_encrypted.partition(":")
    flipped = body[:-4] + ("AAAA" if body[-4:] != "AAAA" else "BBBB")
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt_id_number(f"{key_id}:{flipped}")
