"""The ID-number key ring is algorithm-agile (密评, GB/T 39786-2021): AES-256-GCM + HMAC-SHA256 and
SM4-GCM + HMAC-SM3 side by side, old values still read, and rotation moves the registry between
them without losing anyone (issue 10.6)."""

import base64
import hashlib
import hmac
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings

from members import crypto
from members.actors import system
from members.management.commands.rotate_id_keys import Command as RotateCommand
from members.models import AccessToken, Member
from members.services import member_create
from members.tokens import token_issue
from tests.factories import make_id_number

NUMBER = "33050219900517123X"


@pytest.mark.parametrize("algorithm", ["aes256gcm", "sm4gcm"])
def test_each_algorithm_round_trips(algorithm):
    entry = crypto.new_key("k9", algorithm)
    with override_settings(MEMBER_ID_KEYS=[entry]):
        sealed = crypto.encrypt_id_number(NUMBER)
        assert sealed.startswith("k9:")
        assert NUMBER not in sealed
        assert crypto.decrypt_id_number(sealed) == NUMBER
        assert crypto.encrypt_id_number(NUMBER) != sealed  # a fresh nonce each time


@pytest.mark.parametrize("algorithm", ["aes256gcm", "sm4gcm"])
def test_a_tampered_ciphertext_is_refused_under_each_algorithm(algorithm):
    with override_settings(MEMBER_ID_KEYS=[crypto.new_key("k9", algorithm)]):
        key_id, _sep, body = crypto.encrypt_id_number(NUMBER).partition(":")
        blob = bytearray(base64.urlsafe_b64decode(body))
        blob[14] ^= 1
        with pytest.raises(ImproperlyConfigured):
            crypto.decrypt_id_number(f"{key_id}:{base64.urlsafe_b64encode(bytes(blob)).decode()}")


def test_an_sm4_key_is_128_bits_and_a_longer_one_is_refused():
    # SM4 has a 128-bit key; the entry says so, and a 32-byte key is refused for it
    entry = crypto.new_key("s1", "sm4gcm")
    assert len(base64.urlsafe_b64decode(entry.split(":")[2])) == 16
    with pytest.raises(ImproperlyConfigured):
        crypto.parse_key_entry("s1:sm4gcm:" + base64.urlsafe_b64encode(b"x" * 32).decode())


def test_a_key_without_an_algorithm_is_aes_and_its_old_values_still_read():
    # given: a value written before keys named their algorithm (the original entry format)
    raw = b"k" * 32
    legacy_entry = "old:" + base64.urlsafe_b64encode(raw).decode()
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = b"n" * 12
    stored = (
        "old:"
        + base64.urlsafe_b64encode(
            nonce + AESGCM(raw).encrypt(nonce, NUMBER.encode(), b"old")
        ).decode()
    )
    # when / then
    assert crypto.parse_key_entry(legacy_entry).algorithm == "aes256gcm"
    with override_settings(MEMBER_ID_KEYS=[crypto.new_key("s1", "sm4gcm"), legacy_entry]):
        assert crypto.decrypt_id_number(stored) == NUMBER


def test_a_bare_hash_key_is_hmac_sha256_as_before_and_sm3_is_another_hash():
    secret = "a-hash-secret-of-some-length"
    before = hmac.new(secret.encode(), NUMBER.encode(), hashlib.sha256).hexdigest()
    assert crypto.hash_id_number(NUMBER, secret) == before
    assert crypto.hash_id_number(NUMBER, f"hmac-sha256:{secret}") == before
    sm3 = crypto.hash_id_number(NUMBER, f"hmac-sm3:{secret}")
    assert len(sm3) == 64 and sm3 != before
    assert sm3 == crypto.hash_id_number(NUMBER, f"hmac-sm3:{secret}")


def test_make_id_key_makes_either_suite():
    out = StringIO()
    call_command("make_id_key", "s2027", "--algorithm", "sm4gcm", stdout=out)
    assert crypto.parse_key_entry(out.getvalue().strip()).algorithm == "sm4gcm"
    out = StringIO()
    call_command("make_id_key", "k2027", stdout=out)
    assert crypto.parse_key_entry(out.getvalue().strip()).algorithm == "aes256gcm"
    out = StringIO()
    call_command("make_id_key", "--hash", "hmac-sm3", stdout=out)
    assert crypto.parse_hash_key(out.getvalue().strip())[0] == "hmac-sm3"


@pytest.mark.django_db
def test_rotation_from_aes_to_sm4_keeps_every_member_findable_and_readable(tree, settings):
    # given: members under the AES key and the SHA-256 hash, one of them left and rejoined
    old_hash_key = settings.MEMBER_ID_HASH_KEY
    numbers = [make_id_number() for _ in range(7)]
    members = [
        member_create(id_number=n, name=f"会员{i}", union=tree.zhili_factory, by=system("test"))
        for i, n in enumerate(numbers)
    ]
    Member.objects.filter(pk=members[0].pk).update(
        status=Member.Status.LEFT, left_on=members[0].joined_on
    )
    member_create(
        id_number=numbers[0], name="会员0", union=tree.balidian_factory, by=system("test")
    )
    _token, _key = token_issue(member_id_hash=crypto.hash_id_number(numbers[1]))
    staff_token, _staff_key = token_issue(user=tree.city.staff.first() or _a_staff(tree))
    sm4 = crypto.new_key("sm2027", "sm4gcm")
    new_hash_key = crypto.new_hash_key("hmac-sm3")
    # when: the SM4 key goes first, the hash key becomes HMAC-SM3, and the rotation runs
    with override_settings(
        MEMBER_ID_KEYS=[sm4, *settings.MEMBER_ID_KEYS], MEMBER_ID_HASH_KEY=new_hash_key
    ):
        RotateCommand().handle(batch_size=3, old_hash_key=old_hash_key)
    # then: with the SM4 key alone, every row reads and is found by its SM3 hash
    with override_settings(MEMBER_ID_KEYS=[sm4], MEMBER_ID_HASH_KEY=new_hash_key):
        assert Member.objects.count() == 8
        for member in Member.objects.all():
            assert member.id_number_encrypted.startswith("sm2027:")
            number = crypto.decrypt_id_number(member.id_number_encrypted)
            assert member.id_number_hash == crypto.hash_id_number(number)
        for number in numbers:
            found = Member.objects.filter(
                id_number_hash=crypto.hash_id_number(number), status=Member.Status.ACTIVE
            )
            assert found.count() == 1
        assert Member.objects.filter(id_number_hash=crypto.hash_id_number(numbers[0])).count() == 2
        # the one-active-membership rule still holds under the new hash
        with pytest.raises(ValidationError):
            member_create(
                id_number=numbers[3], name="会员3", union=tree.zhili_factory, by=system("test")
            )
    # member tokens named people by the old hash: they end; staff tokens do not
    assert not AccessToken.objects.filter(kind="member", revoked_at__isnull=True).exists()
    staff_token.refresh_from_db()
    assert staff_token.revoked_at is None


def _a_staff(tree):
    from tests.factories import make_staff

    return make_staff(tree.city, "city_admin", "rotator")


@pytest.mark.django_db
def test_a_wrong_old_hash_key_changes_nothing(tree, settings):
    members = [
        member_create(
            id_number=make_id_number(), name=f"会员{i}", union=tree.zhili_factory, by=system("test")
        )
        for i in range(5)
    ]
    before = list(
        Member.objects.order_by("pk").values_list("id_number_encrypted", "id_number_hash")
    )
    sm4 = crypto.new_key("sm2027", "sm4gcm")
    with (
        override_settings(
            MEMBER_ID_KEYS=[sm4, *settings.MEMBER_ID_KEYS],
            MEMBER_ID_HASH_KEY=crypto.new_hash_key("hmac-sm3"),
        ),
        pytest.raises(CommandError),
    ):
        RotateCommand().handle(batch_size=2, old_hash_key="not-the-old-hash-key")
    after = list(Member.objects.order_by("pk").values_list("id_number_encrypted", "id_number_hash"))
    assert after == before
    assert len(members) == 5


@pytest.mark.django_db
def test_reencryption_alone_leaves_hashes_and_old_rows_readable_midway(tree, settings):
    numbers = [make_id_number() for _ in range(4)]
    for n in numbers:
        member_create(id_number=n, name="会员", union=tree.zhili_factory, by=system("test"))
    hashes = set(Member.objects.values_list("id_number_hash", flat=True))
    sm4 = crypto.new_key("sm2027", "sm4gcm")
    with override_settings(MEMBER_ID_KEYS=[sm4, *settings.MEMBER_ID_KEYS]):
        # midway: a new row is SM4, old rows are AES, all read
        extra = make_id_number()
        member_create(id_number=extra, name="新会员", union=tree.zhili_factory, by=system("test"))
        tokens = Member.objects.values_list("id_number_encrypted", flat=True)
        assert {t.partition(":")[0] for t in tokens} == {"sm2027", "dev"}
        assert sorted(crypto.decrypt_id_number(t) for t in tokens) == sorted([*numbers, extra])
        RotateCommand().handle(batch_size=2, old_hash_key=None)
        tokens = Member.objects.values_list("id_number_encrypted", flat=True)
        assert {t.partition(":")[0] for t in tokens} == {"sm2027"}
    assert hashes <= set(Member.objects.values_list("id_number_hash", flat=True))
