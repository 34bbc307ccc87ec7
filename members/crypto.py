"""Encryption at rest and keyed lookup hash for resident ID numbers (PIPL sensitive data).

Algorithm-agile (密评, GB/T 39786-2021): every key names its algorithm, so the registry can move
between the international suite and the Chinese commercial one by rotating keys.

- Ciphertext: an AEAD, stored as "<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>" with the key id
  bound as associated data. The key id says which key, and the key says which algorithm, so the
  stored format is the same for every suite and values written before the suites existed still read.
  MEMBER_ID_KEYS is a comma-separated key ring; each entry is
    "<key id>:<algorithm>:<base64url key>"  with algorithm "aes256gcm" (32-byte key) or
                                            "sm4gcm" (16-byte key), or
    "<key id>:<base64url 32-byte key>"       the original format, which means AES-256-GCM.
  The first entry encrypts, every entry decrypts, so a key is rotated by putting a new one first
  and running `manage.py rotate_id_keys` (README); old ciphertexts stay readable meanwhile.
  (AES-GCM rather than Fernet: 1.5 µs instead of 12.7 µs per number, measured here; at 681,000
  members that is 1 s instead of 9 s of a city import. `bench/id_crypto.py` measures both suites.)
- Lookup: HMAC under MEMBER_ID_HASH_KEY, "hmac-sha256:<secret>", "hmac-sm3:<secret>", or a bare
  secret (HMAC-SHA256, the original format). Equal numbers give equal hashes, so the database
  enforces one active membership per person and finds a number exactly, without holding it.
"""

import base64
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

AES256GCM = "aes256gcm"
SM4GCM = "sm4gcm"
KEY_SIZES = {AES256GCM: 32, SM4GCM: 16}
HMAC_SHA256 = "hmac-sha256"
HMAC_SM3 = "hmac-sm3"
HASH_ALGORITHMS = (HMAC_SHA256, HMAC_SM3)
NONCE_SIZE = 12
TAG_SIZE = 16


class _Sm4Gcm:
    """SM4-GCM with the AESGCM call shape (cryptography has no SM4 AEAD class, only Cipher)."""

    def __init__(self, key: bytes):
        self._key = key

    def encrypt(self, nonce: bytes, data: bytes, associated_data: bytes) -> bytes:
        enc = Cipher(algorithms.SM4(self._key), modes.GCM(nonce)).encryptor()
        enc.authenticate_additional_data(associated_data)
        return enc.update(data) + enc.finalize() + enc.tag

    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes) -> bytes:
        sealed, tag = data[:-TAG_SIZE], data[-TAG_SIZE:]
        dec = Cipher(algorithms.SM4(self._key), modes.GCM(nonce, tag)).decryptor()
        dec.authenticate_additional_data(associated_data)
        return dec.update(sealed) + dec.finalize()


@dataclass(frozen=True)
class IdKey:
    key_id: str
    algorithm: str
    aead: object


_RING_HELP = (
    "MEMBER_ID_KEYS entries must be '<key id>:<algorithm>:<base64url key>' with algorithm "
    "aes256gcm (32 bytes) or sm4gcm (16 bytes), or '<key id>:<base64url 32-byte key>' "
    "(make one with: python manage.py make_id_key KEYID [--algorithm sm4gcm])"
)


def parse_key_entry(entry: str) -> IdKey:
    """One key ring entry; ImproperlyConfigured (naming the key, never its bytes) if it is bad."""
    parts = entry.strip().split(":")
    if len(parts) == 2:
        key_id, algorithm, encoded = parts[0], AES256GCM, parts[1]
    elif len(parts) == 3:
        key_id, algorithm, encoded = parts
    else:
        raise ImproperlyConfigured(_RING_HELP)
    if not key_id:
        raise ImproperlyConfigured(_RING_HELP)
    if algorithm not in KEY_SIZES:
        raise ImproperlyConfigured(
            f"MEMBER_ID_KEYS key {key_id!r}: unknown algorithm {algorithm!r} "
            f"(known: {', '.join(KEY_SIZES)})"
        )
    try:
        key = base64.b64decode(encoded.encode("ascii"), altchars=b"-_", validate=True)
    except (ValueError, UnicodeEncodeError):
        raise ImproperlyConfigured(f"MEMBER_ID_KEYS key {key_id!r} is not base64url") from None
    if len(key) != KEY_SIZES[algorithm]:
        raise ImproperlyConfigured(
            f"MEMBER_ID_KEYS key {key_id!r}: {algorithm} needs {KEY_SIZES[algorithm]} bytes, "
            f"got {len(key)}"
        )
    aead = AESGCM(key) if algorithm == AES256GCM else _Sm4Gcm(key)
    return IdKey(key_id=key_id, algorithm=algorithm, aead=aead)


@lru_cache(maxsize=8)
def parse_key_ring(entries: tuple[str, ...]) -> tuple[str, dict[str, IdKey]]:
    """(id of the encrypting key, every key by id); ImproperlyConfigured on any bad entry."""
    ring: dict[str, IdKey] = {}
    for entry in entries:
        if not entry.strip():
            continue
        key = parse_key_entry(entry)
        if key.key_id in ring:
            raise ImproperlyConfigured(f"MEMBER_ID_KEYS names key {key.key_id!r} twice")
        ring[key.key_id] = key
    if not ring:
        raise ImproperlyConfigured("MEMBER_ID_KEYS is empty")
    return next(iter(ring)), ring


def parse_hash_key(value: str) -> tuple[str, bytes]:
    """(algorithm, secret) of MEMBER_ID_HASH_KEY; a bare secret means HMAC-SHA256."""
    algorithm, sep, secret = value.partition(":")
    if sep and algorithm in HASH_ALGORITHMS:
        pass
    elif sep and algorithm.startswith("hmac-"):
        raise ImproperlyConfigured(
            f"MEMBER_ID_HASH_KEY: unknown algorithm {algorithm!r} "
            f"(known: {', '.join(HASH_ALGORITHMS)})"
        )
    else:
        algorithm, secret = HMAC_SHA256, value
    if not secret:
        raise ImproperlyConfigured("MEMBER_ID_HASH_KEY has an empty secret")
    return algorithm, secret.encode()


def _ring() -> tuple[str, dict[str, IdKey]]:
    return parse_key_ring(tuple(settings.MEMBER_ID_KEYS))


def new_key(key_id: str, algorithm: str = AES256GCM) -> str:
    """A fresh key ring entry for MEMBER_ID_KEYS."""
    if algorithm not in KEY_SIZES:
        raise ValueError(f"unknown algorithm {algorithm!r}")
    encoded = base64.urlsafe_b64encode(os.urandom(KEY_SIZES[algorithm])).decode()
    return f"{key_id}:{algorithm}:{encoded}"


def new_hash_key(algorithm: str = HMAC_SHA256) -> str:
    """A fresh MEMBER_ID_HASH_KEY value."""
    if algorithm not in HASH_ALGORITHMS:
        raise ValueError(f"unknown algorithm {algorithm!r}")
    return f"{algorithm}:{base64.urlsafe_b64encode(os.urandom(32)).decode()}"


def encrypt_id_number(number: str) -> str:
    key_id, ring = _ring()
    nonce = os.urandom(NONCE_SIZE)
    sealed = ring[key_id].aead.encrypt(nonce, number.encode(), key_id.encode())
    return f"{key_id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def encrypt_id_numbers(numbers: list[str]) -> list[str]:
    """encrypt_id_number for many (an import's batch): the key ring is looked up once."""
    key_id, ring = _ring()
    aead, associated, prefix = ring[key_id].aead, key_id.encode(), f"{key_id}:"
    # One read of the system's random source for the batch's nonces, not a system call each.
    nonces = os.urandom(NONCE_SIZE * len(numbers))
    encrypt, encode = aead.encrypt, base64.urlsafe_b64encode
    sealed = []
    for i, number in enumerate(numbers):
        nonce = nonces[i * NONCE_SIZE : (i + 1) * NONCE_SIZE]
        sealed.append(prefix + encode(nonce + encrypt(nonce, number.encode(), associated)).decode())
    return sealed


def token_key_id(token: str) -> str:
    return token.partition(":")[0]


def decrypt_id_number(token: str) -> str:
    _primary, ring = _ring()
    key_id, _sep, encoded = token.partition(":")
    if key_id not in ring:
        raise ImproperlyConfigured(f"ID number key {key_id!r} is not in MEMBER_ID_KEYS")
    blob = base64.urlsafe_b64decode(encoded)
    try:
        plain = ring[key_id].aead.decrypt(blob[:NONCE_SIZE], blob[NONCE_SIZE:], key_id.encode())
    except InvalidTag as exc:
        raise ImproperlyConfigured(
            f"An ID number failed authentication under key {key_id!r}"
        ) from exc
    return plain.decode()


def reencrypt_id_number(token: str) -> str:
    """The same number under the current first key (unchanged if it already is)."""
    primary, _keys = _ring()
    if token_key_id(token) == primary:
        return token
    return encrypt_id_number(decrypt_id_number(token))


def id_number_hasher() -> Callable[[str], str]:
    """hash_id_number under MEMBER_ID_HASH_KEY, with the key looked up once: for an import,
    which hashes every row's number."""
    algorithm, secret = _hash_key(settings.MEMBER_ID_HASH_KEY)
    if algorithm == HMAC_SHA256:
        digest = hmac.digest
        return lambda number: digest(secret, number.encode(), "sha256").hex()
    return hash_id_number


@lru_cache(maxsize=8)
def _hash_key(value: str) -> tuple[str, bytes]:
    return parse_hash_key(value)


def hash_id_number(number: str, key: str | None = None) -> str:
    """Hex HMAC of the number under `key` (default MEMBER_ID_HASH_KEY): 64 characters either way,
    so the column and its unique constraint serve both algorithms."""
    algorithm, secret = _hash_key(key or settings.MEMBER_ID_HASH_KEY)
    if algorithm == HMAC_SHA256:
        # hmac.digest: OpenSSL's one-shot HMAC, a third of the cost of hmac.new(...).hexdigest()
        # (an import hashes every row's number).
        return hmac.digest(secret, number.encode(), "sha256").hex()
    mac = crypto_hmac.HMAC(secret, hashes.SM3())
    mac.update(number.encode())
    return mac.finalize().hex()
