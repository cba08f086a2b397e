"""The site served for real: gunicorn with N workers on a free loopback port, over a
fresh migrated database of its own (PostgreSQL when the suite runs on it, else a SQLite
file), DEBUG off. With DEBUG off cookies are Secure, so callers carry them by hand."""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

from tests.security.databases import fresh_database_url, suite_uses_postgresql

ROOT = Path(__file__).resolve().parents[2]
_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _postgres(url, *statements):
    import psycopg

    with psycopg.connect(urlparse(url)._replace(path="/postgres").geturl(), autocommit=True) as admin:
        for statement in statements:
            admin.execute(statement)


class ServedSite:
    def __init__(self, tmp_path, name, *, workers=1, setup="", env=None):
        self.url = fresh_database_url(tmp_path, name)
        self.database = urlparse(self.url).path.lstrip("/")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        self.env.update(
            DATABASE_URL=self.url, DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
            DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_MEDIA_ROOT=str(tmp_path / "media"), **(env or {}),
        )
        if suite_uses_postgresql():
            _postgres(self.url, f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)',
                      f'CREATE DATABASE "{self.database}"')
        self.manage("migrate", "--no-input", "-v0")
        self.manage("collectstatic", "--no-input", "-v0")
        if setup:
            self.manage("shell", "-c", setup)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        self.process = subprocess.Popen(
            [gunicorn, "mspt3.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{self.port}", "--log-level", "error"],
            cwd=ROOT, env=self.env, start_new_session=True, stderr=subprocess.DEVNULL,
        )
        self._wait()

    def manage(self, *args) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def request(self, method, path, *, form=None, headers=None):
        """(status, headers as a dict of lists, body) on a new connection each time."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        body = urlencode(form) if form is not None else None
        sent = {**({"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}),
                **(headers or {})}
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        received = {}
        for name, value in response.getheaders():
            received.setdefault(name.lower(), []).append(value)
        return response.status, received, response.read().decode()

    def form_token(self, path):
        """(Cookie header, CSRF form token) of the form at ``path``."""
        _status, headers, body = self.request("GET", path)
        cookies = "; ".join(value.split(";", 1)[0] for value in headers.get("set-cookie", []))
        return cookies, _CSRF_FIELD.search(body).group(1)

    def _wait(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not answer /healthz")

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        if suite_uses_postgresql():
            _postgres(self.url, f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
