"""The server side of ``make bench``: a production-like environment, the bench
PostgreSQL database, the static copy of a page, and gunicorn on 127.0.0.1."""

from __future__ import annotations

import contextlib
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

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
POSTGRES_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
# Under STATIC_ROOT: whitenoise serves what is there when gunicorn starts.
STATIC_COPY = "bench/cohort.html"
# What every browser sends; the measured requests all carry one of these.
GZIP = {"Accept-Encoding": "gzip, deflate"}
BROTLI = {"Accept-Encoding": "gzip, deflate, br"}


def production_env(workdir: Path) -> dict:
    """The environment of a production process (settings from the environment only)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MSPT3_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        DJANGO_LOG_LEVEL="ERROR",
        # The API throttles anonymous clients per address; a load test is one address.
        MSPT3_API_ANON_RATE="off",
        PYTHONUNBUFFERED="1",
    )
    return env


def recreate_postgres(name: str) -> str:
    import psycopg

    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"bench: {name!r} is not a plain database name")
    with psycopg.connect(POSTGRES_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
        # The setting for SSD storage (the default 4 is for spinning disks); with it the
        # planner uses the pg_trgm indexes for a search word that few questions contain.
        conn.execute(f"ALTER DATABASE {name} SET random_page_cost = 1.1")
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def write_static_copy(html: bytes) -> str:
    """``html`` as a static file under STATIC_ROOT, with the .gz and .br whitenoise
    serves in its place (its own Compressor, as collectstatic runs it); its URL."""
    from django.conf import settings
    from whitenoise.compress import Compressor

    path = Path(settings.STATIC_ROOT) / STATIC_COPY
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (path, path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")):
        stale.unlink(missing_ok=True)
    path.write_bytes(html)
    written = list(Compressor(quiet=True).compress(str(path)))
    if not any(name.endswith(".br") for name in written):
        raise SystemExit("bench: whitenoise wrote no Brotli copy (is the brotli package installed?)")
    return "/" + settings.STATIC_URL.strip("/") + "/" + STATIC_COPY


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def request(port, path, headers=None) -> tuple[int, dict, int]:
    """(status, headers, bytes of the body as sent on the wire)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), len(response.read())
    finally:
        conn.close()


def wait_until_up(server: subprocess.Popen, port: int, seconds: float = 60) -> None:
    """Until the gunicorn ``server`` answers /healthz on ``port`` (SystemExit if it dies or never does)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if request(port, "/healthz")[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            raise SystemExit("bench: gunicorn did not come up")
        time.sleep(0.2)


@contextlib.contextmanager
def gunicorn(workers: int):
    """gunicorn serving the site on a free port of 127.0.0.1; yields the port."""
    port = free_port()
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "mspt3.wsgi:application", f"--bind={HOST}:{port}",
         f"--workers={workers}", "--log-level=warning"],
        cwd=BASE_DIR,
        start_new_session=True,
    )
    try:
        wait_until_up(server, port)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
