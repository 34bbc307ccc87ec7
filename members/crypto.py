"""Encryption at rest and keyed lookup hash for resident ID numbers (PIPL sensitive data).

- Ciphertext: Fernet (AES-128-CBC + HMAC-SHA256) from `cryptography`, through MultiFernet so that
  keys can be rotated: the first key of MEMBER_ID_KEYS encrypts, every key decrypts.
- Lookup: HMAC-SHA256 under MEMBER_ID_HASH_KEY. Equal numbers give equal hashes, so the database
  can enforce uniqueness and find a number exactly, without ever holding the number.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "MEMBER_ID_KEYS must hold Fernet keys (32 url-safe base64 bytes each)"
        ) from exc


def _keys() -> MultiFernet:
    return _fernet(tuple(settings.MEMBER_ID_KEYS))


def encrypt_id_number(number: str) -> str:
    return _keys().encrypt(number.encode()).decode()


def decrypt_id_number(token: str) -> str:
    try:
        return _keys().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An ID number could not be decrypted: is its key still in MEMBER_ID_KEYS?"
        ) from exc


def reencrypt_id_number(token: str) -> str:
    """The same number under the current first key (for key rotation)."""
    return _keys().rotate(token.encode()).decode()


def hash_id_number(number: str, key: str | None = None) -> str:
    secret = (key or settings.MEMBER_ID_HASH_KEY).encode()
    return hmac.new(secret, number.encode(), hashlib.sha256).hexdigest()
