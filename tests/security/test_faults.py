"""Real faults, no mocks: the database disappears under a running gunicorn (its
connection killed / its file gone), and an import fails halfway."""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from notes.importer import import_notes_file
from tests.security.databases import fresh_database_url, suite_uses_postgresql
from tests.security.images import image_bytes

ROOT = Path(__file__).resolve().parents[2]


class _Server:
    """gunicorn (one worker) on 127.0.0.1 with its own migrated database holding one public cohort."""

    def __init__(self, url, env):
        self.url, self.env = url, env
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        self.process = subprocess.Popen(
            [gunicorn, "mspt3.wsgi", "-w", "1", "-b", f"127.0.0.1:{self.port}", "--log-level", "error"],
            cwd=ROOT, env=env, start_new_session=True, stderr=subprocess.DEVNULL,
        )

    def get(self, path, accept="text/html"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        conn.request("GET", quote(path, safe="/?=&"), headers={"Accept": accept})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()

    def wait(self):
        for _ in range(100):
            try:
                return self.get("/healthz")
            except OSError:
                subprocess.run(["sleep", "0.2"])
        raise AssertionError("server did not start")

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=20)


def _manage(env, *args):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _postgres_admin(url):
    import psycopg

    return psycopg.connect(urlparse(url)._replace(path="/postgres").geturl(), autocommit=True)


@pytest.fixture
def server(tmp_path):
    url = fresh_database_url(tmp_path / "db", "faults")
    (tmp_path / "db").mkdir()
    name = urlparse(url).path.lstrip("/")
    if suite_uses_postgresql():
        with _postgres_admin(url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=url, DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        # SQLite: a connection per request, so a vanished file shows on the next one.
        DJANGO_CONN_MAX_AGE="60" if suite_uses_postgresql() else "0",
    )
    _manage(env, "migrate", "--no-input", "-v0")
    _manage(env, "collectstatic", "--no-input", "-v0")
    _manage(env, "shell", "-c", "from tests.factories import make_cohort; make_cohort('장애 시험', public=True)")
    running = _Server(url, env)
    running.wait()
    yield running
    running.stop()
    if suite_uses_postgresql():
        with _postgres_admin(url) as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _take_database_away(server):
    """PostgreSQL: kill the worker's connection and refuse new ones. SQLite: the database file's folder vanishes."""
    if suite_uses_postgresql():
        name = urlparse(server.url).path.lstrip("/")
        with _postgres_admin(server.url) as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            # Waiting until each has ended, so the server's connections (its cohort watch's too) are
            # gone before the next request, not a moment after it.
            admin.execute("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = %s", [name])
        return lambda: _admin_allow(server.url, name)
    folder = Path(urlparse(server.url).path).parent
    folder.rename(folder.with_name("gone"))
    return lambda: folder.with_name("gone").rename(folder)


def _admin_allow(url, name):
    with _postgres_admin(url) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def _cohort_slug(server):
    status, _headers, body = server.get("/api/cohorts/", accept="application/json")
    assert status == 200
    return json.loads(body)["results"][0]["slug"]


def test_database_outage_gives_clean_503s_and_the_site_recovers_when_it_returns(server):
    slug = _cohort_slug(server)
    page = f"/cohorts/{slug}/"
    assert server.get(page)[0] == 200

    bring_back = _take_database_away(server)
    status, headers, body = server.get(page)
    assert status == 503 and headers["Retry-After"] == "5"
    assert headers["Content-Type"].startswith("text/html") and "Traceback" not in body and "<h1>" in body
    status, headers, body = server.get("/api/cohorts/", accept="application/json")
    assert status == 503 and "unavailable" in json.loads(body)["detail"]
    status, _headers, body = server.get("/healthz")
    assert status == 503 and json.loads(body)["database"] == "unavailable"

    bring_back()
    assert server.get("/healthz")[0] == 200
    assert server.get(page)[0] == 200
    assert _cohort_slug(server) == slug


NOTES_V1 = """# MSP T3 - 장애 코호트

## Docker
- 첫 질문?
  - 첫 답
- 둘째 질문?
  - ...
"""

NOTES_V2 = """# MSP T3 - 장애 코호트

## Docker
- 첫 질문?
  - 첫 답 (고침)
- 둘째 질문?
  - 이제 답이 있음
- 셋째 질문?
  - 새 답

![](img/board.png)
"""


def _snapshot(cohort):
    from qa.models import Question

    cohort.refresh_from_db()
    questions = Question.objects.filter(section__cohort=cohort).order_by("pk")
    return (
        cohort.title, cohort.version, cohort.notes_layout, cohort.is_public,
        list(questions.values_list("pk", "question", "answer", "pending", "revision", "position")),
        list(cohort.sections.values_list("pk", "title", "position")),
        list(cohort.images.values_list("pk", "file")),
    )


# serialized_rollback like every transactional test here: a plain flush would leave the
# curriculum (a data migration) gone and content types re-created for the live-server tests.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_failing_halfway_leaves_the_cohort_exactly_as_it_was(tmp_path, settings):
    """The re-import updates the cohort row, then storing its image fails for real
    (the media folder is a plain file): everything is rolled back and no file is left."""
    settings.MEDIA_ROOT = tmp_path / "media"
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES_V1, encoding="utf-8")
    cohort = import_notes_file(notes).cohort
    before = _snapshot(cohort)

    notes.write_text(NOTES_V2, encoding="utf-8")
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "board.png").write_bytes(image_bytes("PNG"))
    settings.MEDIA_ROOT.write_text("not a folder")  # the storage step will fail
    with pytest.raises(OSError):
        import_notes_file(notes)

    assert _snapshot(cohort) == before


@pytest.mark.django_db
def test_healthz_reports_the_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


_BUG_WHILE_DOWN = """
import json
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client

settings.ROOT_URLCONF = "tests.mspt3.failing_urls"
response = Client(raise_request_exception=False).get("/broken/", HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="en")
try:
    connection.ensure_connection()
    database = "up"
except OperationalError:
    database = "down"
print(json.dumps({"status": response.status_code, "body": response.content.decode(), "database": database}))
"""


def test_the_500_page_renders_while_the_database_is_down(server):
    """A bug (not the outage, which is a 503) while the database is gone: Django's handler renders
    templates/500.html with no request context, and nothing in it needs the database."""
    bring_back = _take_database_away(server)
    try:
        seen = json.loads(_manage(server.env, "shell", "-c", _BUG_WHILE_DOWN).strip().splitlines()[-1])
    finally:
        bring_back()
    assert seen["database"] == "down"
    assert seen["status"] == 500
    assert "Something went wrong" in seen["body"] and "일시적인 오류가 났습니다" in seen["body"]
    assert "/static/css/site" in seen["body"] and "Traceback" not in seen["body"]
