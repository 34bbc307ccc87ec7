"""Production refuses to load its settings with a dev-default secret or a bad key ring (issue 10.6):
gunicorn runs no system checks, so the refusal must be an ImproperlyConfigured at import time."""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from members.crypto import new_hash_key, new_key

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "p" * 10 + "-a-long-random-production-secret-key-0123456789-xyz",
    "MEMBER_ID_KEYS": new_key("k1"),
    "MEMBER_ID_HASH_KEY": new_hash_key(),
    "ALLOWED_HOSTS": "union.example.cn",
}
DEV_ID_KEY = "dev:ZGV2LW9ubHktaWQtbnVtYmVyLWtleS0zMmJ5dGVzISE="


def _load_settings(**env: str) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.endswith("_FILE")}
    full_env.update(GOOD)
    full_env.update(env)
    full_env["DJANGO_SETTINGS_MODULE"] = "huzhou_union.settings"
    return subprocess.run(
        [sys.executable, "-c", "import huzhou_union.settings"],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_load_with_real_secrets():
    result = _load_settings()
    assert result.returncode == 0, result.stderr


def test_production_settings_load_with_an_sm4_ring_and_sm3_hash():
    result = _load_settings(
        MEMBER_ID_KEYS=f"{new_key('s1', 'sm4gcm')},{new_key('k1')}",
        MEMBER_ID_HASH_KEY=new_hash_key("hmac-sm3"),
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"MEMBER_ID_KEYS": ""}, "MEMBER_ID_KEYS must be set"),
        ({"MEMBER_ID_HASH_KEY": ""}, "MEMBER_ID_HASH_KEY must be set"),
        (
            {"SECRET_KEY": "dev-only-insecure-secret-key-do-not-use-in-production"},
            "not the dev default",
        ),
        ({"SECRET_KEY": "short-secret"}, "at least 50 characters"),
        ({"MEMBER_ID_KEYS": DEV_ID_KEY}, "dev default key"),
        ({"MEMBER_ID_KEYS": f"k9:{DEV_ID_KEY.partition(':')[2]}"}, "dev default key"),
        ({"MEMBER_ID_HASH_KEY": "dev-only-id-number-hash-key"}, "not the dev default"),
        ({"MEMBER_ID_HASH_KEY": "hmac-sm3:dev-only-id-number-hash-key"}, "not the dev default"),
        ({"MEMBER_ID_HASH_KEY": "hmac-md5:0123456789abcdef0123"}, "unknown algorithm"),
        ({"MEMBER_ID_KEYS": "garbage"}, "MEMBER_ID_KEYS entries must be"),
        ({"MEMBER_ID_KEYS": "k1:!!!not base64!!!"}, "is not base64url"),
        (
            {"MEMBER_ID_KEYS": "k1:" + base64.urlsafe_b64encode(b"x" * 16).decode()},
            "needs 32 bytes",
        ),
        (
            {"MEMBER_ID_KEYS": "k1:sm4gcm:" + base64.urlsafe_b64encode(b"x" * 32).decode()},
            "needs 16 bytes",
        ),
        (
            {"MEMBER_ID_KEYS": "k1:des:" + base64.urlsafe_b64encode(b"x" * 8).decode()},
            "unknown algorithm",
        ),
    ],
)
def test_production_refuses_to_load_settings(env, message):
    result = _load_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_a_local_run_keeps_its_dev_defaults():
    result = _load_settings(DJANGO_ENV="local", SECRET_KEY="", MEMBER_ID_KEYS="")
    assert result.returncode == 0, result.stderr
