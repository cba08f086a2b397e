"""The load test in small: gunicorn on a fresh database, concurrent writers, editors and pollers."""

import json
import subprocess
import sys
from pathlib import Path

from tests.security.databases import fresh_database_url

ROOT = Path(__file__).resolve().parents[2]


def test_concurrent_writes_edits_and_polls_lose_nothing_and_never_5xx(tmp_path):
    url = fresh_database_url(tmp_path, "load")
    result = subprocess.run(
        [sys.executable, "scripts/loadtest.py", "--small", "--database-url", url],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout[result.stdout.index("{") : result.stdout.rindex("}") + 1])
    assert report["writes accepted (201, distinct keys)"] > 0
    assert report["found exactly once in the database"] == report["writes accepted (201, distinct keys)"]
    assert report["retries answered by replay"] > 0
    assert report["edits accepted"] > 0 and report["edits lost (silently overwritten)"] == 0
    assert report["5xx"] == 0 and report["transport errors"] == 0


def test_the_load_script_refuses_a_database_on_another_machine():
    result = subprocess.run(
        [sys.executable, "scripts/loadtest.py", "--database-url", "postgres://postgres@db.example.com/x"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0 and "only runs against a database on this machine" in result.stderr
