"""Everything a superuser reads on the admin index (the workbench) is Chinese: the groups, every
model name, and the third-party apps' models (axes, otp, celery beat, simple-history), apart from
the few acronyms listed below, which a Chinese clerk reads as they are."""

import re

import pytest
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

# Written as such in Chinese text too.
ACRONYMS = {"TOTP", "PDF", "API", "SMS", "ID"}


def test_the_superuser_sees_no_english_model_name_on_the_admin_index(client):
    root = User.objects.create_superuser("root", password="pw-12345678")
    client.force_login(root)

    response = client.get("/admin/")

    assert response.status_code == 200
    html = response.content.decode()
    names = re.findall(r'<(?:th scope="row"|caption)[^>]*>\s*(?:<a[^>]*>)?([^<]+)<', html)
    assert len(names) > 40, names  # the model list is really there
    english = [
        name.strip()
        for name in names
        if re.fullmatch(r"[\x00-\x7f]+", name.strip()) and name.strip() not in ACRONYMS
    ]
    assert english == [], english


def test_the_sign_in_records_and_authenticators_list_their_columns_in_chinese(client):
    root = User.objects.create_superuser("root", password="pw-12345678")
    TOTPDevice.objects.create(user=root, name="手机")
    client.force_login(root)

    attempts = client.get("/admin/axes/accessattempt/").content.decode()
    devices = client.get("/admin/otp_totp/totpdevice/").content.decode()

    assert "访问尝试" in attempts and "尝试时间" in attempts and "Attempt Time" not in attempts
    assert "TOTP 身份验证器" in devices and "创建时间" in devices and "Created at" not in devices
