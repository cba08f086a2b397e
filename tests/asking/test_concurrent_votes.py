"""50 concurrent voters count exactly 50, on the suite's database (a fresh one: a SQLite file, or
a PostgreSQL database of its own), from a separate process whose threads each hold a connection."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

from tests.security.databases import fresh_database_url, suite_uses_postgresql

ROOT = Path(__file__).resolve().parents[2]
VOTERS = 50


def _run(env, *args):
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _recreate_postgres(url):
    import psycopg

    name = urlparse(url).path.lstrip("/")
    with psycopg.connect(urlparse(url)._replace(path="/postgres").geturl(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def test_fifty_concurrent_voters_count_exactly_fifty(tmp_path):
    url = fresh_database_url(tmp_path, "votes")
    if suite_uses_postgresql():
        _recreate_postgres(url)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1", "PYTHONPATH": str(ROOT)}
    _run(env, "manage.py", "migrate", "--no-input", "-v0")
    outcome = json.loads(_run(env, "tests/asking/concurrent_voters.py", str(VOTERS)).strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert outcome == {
        "counted": VOTERS, "repeated": VOTERS, "errors": [], "stored": VOTERS, "distinct": VOTERS,
        "announced": VOTERS,  # each counted vote moved the cohort's version (the page's ETag), once
    }
