"""Real web instances for the deployment tests: gunicorn processes started with the
image's own settings file (deploy/gunicorn.conf.py), on free loopback ports, sharing a
fresh PostgreSQL database and a Redis database, as replicas behind a load balancer do.

PostgreSQL even when the suite runs on SQLite: replicas need a database server. The
database is named after the suite's (``DATABASE_URL``) or ``MSPT3_TEST_POSTGRES_URL``;
Redis is ``MSPT3_TEST_REDIS_URL`` (its database is emptied: give the tests one of their own).
"""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def postgres_server_url() -> str:
    suite = os.environ.get("DATABASE_URL", "")
    if urlparse(suite).scheme.startswith("postgres"):
        return suite
    return os.environ.get("MSPT3_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/mspt3")


def redis_url() -> str:
    return os.environ.get("MSPT3_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def admin_connection(url):
    import psycopg

    return psycopg.connect(urlparse(url)._replace(path="/postgres").geturl(), autocommit=True)


def create_database(purpose: str) -> str:
    base = urlparse(postgres_server_url())
    url = base._replace(path=f"/{base.path.lstrip('/')}_{purpose}_{secrets.token_hex(3)}").geturl()
    with admin_connection(url) as admin:
        admin.execute(f'CREATE DATABASE "{urlparse(url).path.lstrip("/")}"')
    return url


def drop_database(url: str) -> None:
    with admin_connection(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{urlparse(url).path.lstrip("/")}" WITH (FORCE)')


def site_env(database_url: str, cache_url: str, **extra) -> dict:
    """Production settings (debug off) for plain HTTP on loopback; one secret shared by all instances."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL", "DATABASE_URL"))}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=cache_url,
        DJANGO_MEDIA_STORAGE="database",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_LOG_LEVEL="ERROR",
        MSPT3_API_ANON_RATE="off",
        LISTEN_ADDRESS="127.0.0.1",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="2",
    )
    env.update(extra)
    return env


def manage(env, *args) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def free_port() -> int:
    """A loopback port nothing listens on (the socket that found it is closed again)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Instance:
    """One gunicorn serving the site, stopped by its process group. Its media folder is
    its own, as a replica's local disk is: nothing may rely on another instance's files."""

    def __init__(self, name: str, env: dict, media_root: Path):
        self.name, self.port = name, free_port()
        self.process = subprocess.Popen(
            [GUNICORN, "--config", "deploy/gunicorn.conf.py", "mspt3.wsgi"],
            cwd=ROOT,
            env={**env, "PORT": str(self.port), "DJANGO_MEDIA_ROOT": str(media_root)},
            start_new_session=True,
            stderr=subprocess.DEVNULL,
        )

    def wait_ready(self, probe="/readyz", seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if Visitor(self).get(probe).status == 200:
                    return
            except OSError:
                pass
            assert self.process.poll() is None, f"instance {self.name} exited {self.process.returncode}"
            time.sleep(0.2)
        raise AssertionError(f"instance {self.name} never became ready")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode()


class Visitor:
    """A browser in miniature: keeps its cookies (Secure ones too: this is loopback) across instances."""

    def __init__(self, instance=None, cookies=None):
        self.instance, self.cookies = instance, dict(cookies or {})

    def request(self, instance, method, path, body=None, headers=None) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=30)
        try:
            conn.request(method, quote(path, safe="/?=&%"), body=body, headers=headers)
            response = conn.getresponse()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    for morsel in SimpleCookie(value).values():
                        self.cookies[morsel.key] = morsel.value
            return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            conn.close()

    def get(self, path, instance=None, headers=None) -> Response:
        return self.request(instance or self.instance, "GET", path, headers=headers)

    def post_form(self, instance, path, fields: dict) -> Response:
        self.get("/accounts/login/", instance)  # a page that sets the CSRF cookie
        fields = {"csrfmiddlewaretoken": self.cookies["csrftoken"], **fields}
        body = "&".join(f"{quote(k)}={quote(str(v))}" for k, v in fields.items())
        return self.request(instance, "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def post_file(self, instance, path, field, filename, data: bytes, content_type) -> Response:
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-CSRFToken": self.cookies["csrftoken"],
            "X-Requested-With": "XMLHttpRequest",
        }
        return self.request(instance, "POST", path, body, headers)
