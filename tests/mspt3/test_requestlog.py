"""Request logs: one record per request with method, path, status, duration and a request
id, accepted from X-Request-ID (when plain) and sent back; JSON lines on stdout when
DJANGO_LOG_FORMAT=json."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mspt3.requestlog import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_a_request_id_from_the_proxy_is_kept_logged_and_sent_back(client, caplog):
    with caplog.at_level(logging.INFO, logger="mspt3.request"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="ingress-7f3a:1")
    assert response["X-Request-ID"] == "ingress-7f3a:1"
    (record,) = [r for r in caplog.records if r.name == "mspt3.request"]
    assert (record.method, record.path, record.status, record.request_id) == ("GET", "/healthz", 200, "ingress-7f3a:1")
    assert record.duration_ms >= 0


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["", "a b", "x" * 129, "id\nforged line", "<script>"])
def test_an_unusable_request_id_is_replaced_by_a_fresh_one(client, given):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=given)
    assert response["X-Request-ID"] != given and len(response["X-Request-ID"]) == 32
    assert client.get("/healthz")["X-Request-ID"] != response["X-Request-ID"]


@pytest.mark.django_db
def test_a_missing_page_is_logged_with_its_status(client, caplog):
    with caplog.at_level(logging.INFO, logger="mspt3.request"):
        client.get("/cohorts/no-such-cohort/")
    assert [r.status for r in caplog.records if r.name == "mspt3.request"] == [404]


def test_the_json_formatter_writes_one_object_with_the_extra_fields_and_the_traceback():
    record = logging.makeLogRecord(
        {
            "name": "mspt3.request",
            "levelname": "INFO",
            "msg": "GET %s",
            "args": ("/한글",),
            "status": 200,
            "request_id": "abc",
        }
    )
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["message"] == "GET /한글" and data["status"] == 200 and data["request_id"] == "abc"
    assert data["logger"] == "mspt3.request" and data["time"].endswith("Z") and "ValueError: boom" in data["exception"]


def _serve_one_request(log_format):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(DJANGO_DEBUG="1", DJANGO_LOG_FORMAT=log_format, DATABASE_URL="sqlite://:memory:")
    code = (
        "import django; django.setup(); from django.test import Client; "
        "Client().get('/healthz', HTTP_X_REQUEST_ID='from-the-test')"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, "DJANGO_SETTINGS_MODULE": "mspt3.settings"},
    )


def test_with_django_log_format_json_each_request_is_a_json_line_on_stdout():
    result = _serve_one_request("json")
    assert result.returncode == 0, result.stderr
    (line,) = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert {k: line[k] for k in ("method", "path", "status", "request_id")} == {
        "method": "GET",
        "path": "/healthz",
        "status": 200,
        "request_id": "from-the-test",
    }
    assert isinstance(line["duration_ms"], float)


def test_without_it_no_request_lines_are_written():
    result = _serve_one_request("text")
    assert result.returncode == 0 and result.stdout == "" and "from-the-test" not in result.stderr


def test_an_unknown_log_format_stops_start_up_with_its_name():
    result = _serve_one_request("xml")
    assert result.returncode != 0 and "DJANGO_LOG_FORMAT='xml'" in result.stderr
