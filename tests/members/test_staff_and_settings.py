import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from members.models import StaffProfile

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_create_staff_attaches_the_user_to_a_union_with_a_role(tree):
    call_command(
        "create_staff",
        "clerk",
        "--password",
        "s3cret-pw",
        "--union",
        "330502001",
        "--role",
        "township_admin",
    )
    user = User.objects.get(username="clerk")
    assert user.is_staff and user.check_password("s3cret-pw")
    assert user.staff_profile.union == tree.zhili
    assert user.staff_profile.role == StaffProfile.Role.TOWNSHIP_ADMIN
    assert user.has_perm("members.add_member")
    assert not user.has_perm("members.reveal_id_number")


def test_create_staff_refuses_an_unknown_union(tree):
    with pytest.raises(CommandError):
        call_command(
            "create_staff",
            "clerk",
            "--password",
            "pw",
            "--union",
            "000",
            "--role",
            "township_admin",
        )
    assert not User.objects.filter(username="clerk").exists()


def test_leadership_can_view_but_not_change(tree):
    call_command(
        "create_staff",
        "boss",
        "--password",
        "pw-123456",
        "--union",
        "330500",
        "--role",
        "leadership",
    )
    user = User.objects.get(username="boss")
    assert user.has_perm("members.view_member")
    assert not user.has_perm("members.change_member")
    assert not user.has_perm("members.reveal_id_number")


def test_only_the_city_admin_role_may_reveal_full_numbers(staff):
    holders = {name for name, user in staff.items() if user.has_perm("members.reveal_id_number")}
    assert holders == {"city_admin"}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secrets():
    result = _manage(
        "check", DJANGO_ENV="production", SECRET_KEY="", MEMBER_ID_KEYS="", MEMBER_ID_HASH_KEY=""
    )
    assert result.returncode != 0
    assert "must be set when DJANGO_ENV=production" in result.stderr


def test_production_settings_pass_check_deploy():
    from members.crypto import new_key

    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="x" * 20 + "-a-long-random-production-secret-key-0123456789",
        MEMBER_ID_KEYS=new_key("k1"),
        MEMBER_ID_HASH_KEY="a-production-hash-key",
        ALLOWED_HOSTS="union.example.cn",
    )
    assert result.returncode == 0, result.stderr + result.stdout
