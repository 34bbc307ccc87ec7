"""Structured logs: one JSON line per request and per task, and no ID number, phone or name in
any line, whatever the caller put in the query string, the body or the path."""

import io
import json
import logging

import pytest
from django.test import Client

from common.logs import mask
from common.tasks import sweep_import_uploads_task
from tests.factories import MemberFactory, make_id_number

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


@pytest.fixture
def log_lines():
    """What the configured console handler (settings.LOGGING: JSON, masked) writes."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield lambda: [line for line in stream.getvalue().splitlines() if line]
    finally:
        handler.setStream(previous)


def test_request_lines_are_json_without_query_string_id_number_phone_or_name(
    log_lines, api, staff, tree
):
    number = make_id_number()
    member = MemberFactory(union=tree.zhili_factory, id_number=number, name="张三丰", phone=PHONE)
    client = api(staff["township_admin"])

    client.get("/api/v1/members/", {"search": number, "phone": PHONE, "name": "张三丰"})
    client.get("/api/v1/members/", {"search": "张三丰"})
    client.post("/api/v1/members/lookup/", {"id_number": number}, format="json")
    client.get(f"/api/v1/no-such-page/{number}/{PHONE}/")  # 404: django.request logs the path
    Client().post("/admin/login/", {"username": PHONE, "password": number})
    client.get("/api/v1/members/", HTTP_X_REQUEST_ID="lb-abc-123")
    logging.getLogger("members").warning("careless: %s %s", number, PHONE)

    lines = log_lines()
    entries = [json.loads(line) for line in lines]  # every line parses
    text = "\n".join(lines)
    assert number not in text
    assert number[:17] not in text
    assert PHONE not in text
    assert "张三丰" not in text and member.name not in text
    requests = [e for e in entries if e["logger"] == "huzhou_union.request"]
    assert len(requests) == 6
    first = requests[0]
    assert first["method"] == "GET"
    assert first["path"] == "/api/v1/members/"
    assert first["status"] == 400  # a full ID number in ?search= is refused
    assert first["user_id"] == staff["township_admin"].pk
    assert isinstance(first["duration_ms"], float)
    assert len(first["request_id"]) == 32
    assert requests[-1]["request_id"] == "lb-abc-123"
    assert requests[4]["user_id"] is None  # the anonymous sign-in attempt
    assert {e["status"] for e in requests} >= {200, 400, 404}


def test_response_carries_the_request_id(client):
    response = client.get("/health/", HTTP_X_REQUEST_ID="from-the-proxy-1")
    assert response["X-Request-ID"] == "from-the-proxy-1"
    assert len(client.get("/health/", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"]) == 32


def test_a_task_logs_one_json_line_with_name_id_state_and_duration(log_lines):
    result = sweep_import_uploads_task.apply()

    entries = [json.loads(line) for line in log_lines()]
    task = [e for e in entries if e["logger"] == "huzhou_union.task"]
    assert len(task) == 1
    assert task[0]["task"] == "common.tasks.sweep_import_uploads_task"
    assert task[0]["task_id"] == result.id
    assert task[0]["state"] == "SUCCESS"
    assert task[0]["duration_ms"] >= 0


def test_mask_catches_id_numbers_and_mobiles_but_not_other_numbers():
    assert mask("身份证110101199003070012号") == "身份证[id-number]号"
    assert mask("x 33050119851231002X y") == "x [id-number] y"
    assert mask("tel:+86 13812345678.") == "tel:[mobile]."
    assert mask("bank ref 62220212345678901234") == "bank ref 62220212345678901234"
    assert mask("member 12345 union 678") == "member 12345 union 678"


@pytest.mark.slow
def test_gunicorn_access_log_leaves_out_the_query_string(tmp_path):
    """gunicorn started as production starts it (reading ./gunicorn.conf.py from the repo)."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request
    from pathlib import Path

    from django.conf import settings

    number = make_id_number()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "gunicorn.log"
    with out.open("w") as sink:
        proc = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "huzhou_union.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "huzhou_union.settings"},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}/no-such-page/?id_number={number}&phone={PHONE}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(url, timeout=2)
                except urllib.error.HTTPError as exc:
                    assert exc.code == 404
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.3)
            time.sleep(0.5)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    text = out.read_text()
    assert '"GET /no-such-page/" 404' in text  # the access line is there, path only
    assert number not in text
    assert PHONE not in text
    assert "id_number" not in text
