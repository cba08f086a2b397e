#!/usr/bin/env python
"""Load without loss: gunicorn + a fresh database, driven concurrently on 127.0.0.1 only.

At the same time:
  * instructors (token auth) log questions over the API, each with an
    Idempotency-Key; some requests are deliberately sent again (sequentially
    and concurrently) as a client would after a lost response;
  * editors change the same few answers with If-Match: each edit appends its
    own line to what it read; a 412 means re-read and retry on top of the
    newer text (a merge), never overwrite;
  * students poll the cohort page and the live endpoint with If-None-Match.

Then the database itself is checked: every accepted write (201) is stored
exactly once, every accepted edit's line is in the final answer (nothing
silently overwritten), and no response was a 5xx. The counts are printed;
the exit status is non-zero on any loss, any 5xx or a transport error.

Bounded: a request budget and a deadline; it stops by itself and stops the
server it started.

With --two-instances, two gunicorns share the database and Redis (--redis-url)
behind a round-robin proxy (scripts/roundrobin.py), and one of them is killed
(SIGKILL) halfway through the writes. Clients resend a request the proxy lost
with the dying instance (502), with the same Idempotency-Key; the only 5xx
allowed are those 502s, and every accepted write must still be stored once.

    .venv/bin/python scripts/loadtest.py                 # PostgreSQL mspt3_load
    .venv/bin/python scripts/loadtest.py --small --database-url sqlite:///tmp/x.sqlite3
    .venv/bin/python scripts/loadtest.py --two-instances --redis-url redis://127.0.0.1:6379/14
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

from roundrobin import RoundRobinProxy

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
COHORT_SLUG = "loadtest"


# --- set-up ------------------------------------------------------------------


def fresh_database(url: str) -> None:
    """Drop and create the PostgreSQL database named in ``url`` (or remove the SQLite file)."""
    parsed = urlparse(url)
    if parsed.scheme.startswith("postgres"):
        import psycopg

        name = parsed.path.lstrip("/")
        admin = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    elif parsed.scheme == "sqlite":
        Path(parsed.path).unlink(missing_ok=True)
    else:
        raise SystemExit(f"unsupported DATABASE_URL {url!r}")


def drop_database(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme.startswith("postgres"):
        import psycopg

        admin = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')


def manage(env, *args, stdin: str | None = None) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


SETUP = """
import json
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from courses.models import Cohort, Membership
from qa.models import Question, Section
from datetime import date
cohort = Cohort.objects.create(title="Load test", slug="%(slug)s", program="MSP T3", run_code="load",
                               starts_on=date(2024, 1, 1), ends_on=date(2024, 1, 3), is_public=True)
section = Section.objects.create(cohort=cohort, title="Docker", heading="## Docker", position=1)
tokens = []
for n in range(%(instructors)d):
    user = get_user_model().objects.create_user(f"teacher{n}", password=None)
    Membership.objects.create(cohort=cohort, user=user, role=Membership.Role.INSTRUCTOR)
    tokens.append(Token.objects.create(user=user).key)
shared = [Question.objects.create(section=section, question=f"공유 질문 {n}", answer="시작").pk
          for n in range(%(shared)d)]
print(json.dumps({"tokens": tokens, "section": section.pk, "shared": shared}))
"""

VERIFY = """
import json
from qa.models import Question
rows = Question.objects.filter(section__cohort__slug="%(slug)s")
print(json.dumps({
    "keys": list(rows.exclude(idempotency_key=None).values_list("idempotency_key", "question")),
    "answers": {str(pk): answer for pk, answer in rows.filter(pk__in=%(shared)s).values_list("pk", "answer")},
}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time")


def start_gunicorn(env, workers) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "mspt3.wsgi", "-w", str(workers), "-b", f"{HOST}:{port}",
         "--log-level", "warning", "--timeout", "30"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    return server, port


def kill_when(server, stats, accepted_writes, started) -> None:
    """SIGKILL the instance (master and workers) once this many writes were accepted: a crash, not a stop."""
    while server.poll() is None:
        with stats.lock:
            due = len(stats.accepted_keys) >= accepted_writes
        if due:
            os.killpg(server.pid, signal.SIGKILL)
            stats.add("killed at (s)", round(time.monotonic() - started, 1))
            return
        time.sleep(0.05)


# --- the drivers ---------------------------------------------------------------


class Budget:
    """Stops every driver at the request budget or the deadline, whichever comes first."""

    def __init__(self, max_requests: int, seconds: float):
        self.left = max_requests
        self.deadline = time.monotonic() + seconds
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0 or time.monotonic() > self.deadline:
                return False
            self.left -= 1
            return True


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.counts = Counter()
        self.accepted_keys: dict[str, str] = {}  # scoped key → question text
        self.accepted_edits: dict[int, list[str]] = {}
        self.errors: list[str] = []

    def status(self, method: str, status: int):
        with self.lock:
            self.statuses[f"{method} {status}"] += 1
            if status >= 500:
                self.counts["5xx"] += 1

    def add(self, name, n=1):
        with self.lock:
            self.counts[name] += n


class Client:
    """One keep-alive connection to the server on loopback."""

    resend_bad_gateway = False  # --two-instances: a 502 is a request lost with a killed instance

    def __init__(self, port, budget, stats, token=None):
        self.port, self.budget, self.stats, self.token = port, budget, stats, token
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)

    def request(self, method, path, body=None, headers=None):
        if not self.budget.take():
            return None, {}, None
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
                if response.status == 502 and self.resend_bad_gateway and not attempt:
                    self.stats.status(method, 502)
                    self.stats.add("resent after 502")
                    continue
                break
            except (http.client.HTTPException, OSError) as error:
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
                if attempt:
                    with self.stats.lock:
                        self.stats.errors.append(f"{method} {path}: {error!r}")
                    return None, {}, None
        self.stats.status(method, response.status)
        parsed = json.loads(payload) if payload and "json" in response.getheader("Content-Type", "") else payload
        return response.status, dict(response.getheaders()), parsed


def instructor(port, budget, stats, token, user_index, section, questions, retry_every):
    client = Client(port, budget, stats, token)
    for n in range(questions):
        key = f"lt-{user_index}-{n}-{secrets.token_hex(4)}"
        text = f"LT-{user_index}-{n} 부하 시험 질문"
        body = {"cohort": COHORT_SLUG, "section": section, "question": text, "answer": "..." if n % 2 else "답 1"}
        sends = 2 if n % retry_every == 0 else 1
        created_id = None
        for _send in range(sends):
            status, headers, data = client.request("POST", "/api/questions/", body, {"Idempotency-Key": key})
            if status is None:
                return
            if status == 201:
                created_id = data["id"]
                with stats.lock:
                    stats.accepted_keys[key] = text
                if headers.get("Idempotent-Replayed") == "true":
                    stats.add("retries replayed")
            elif status not in (429,):
                stats.add(f"unexpected create {status}")
        if sends == 2:
            stats.add("retries sent")
        if created_id and n % 2:
            # Answer the pending question later, as instructors do.
            client.request("PATCH", f"/api/questions/{created_id}/", {"answer": f"나중에 쓴 답 {n}"})


def concurrent_twins(port, budget, stats, token, user_index, section, pairs):
    """The same key sent on two connections at once: one question, two 201s with the same id."""
    for n in range(pairs):
        key = f"twin-{user_index}-{n}-{secrets.token_hex(4)}"
        text = f"TWIN-{user_index}-{n} 동시 재전송"
        body = {"cohort": COHORT_SLUG, "section": section, "question": text}
        results = []

        def send(body=body, key=key, results=results):
            results.append(Client(port, budget, stats, token).request("POST", "/api/questions/", body,
                                                                      {"Idempotency-Key": key}))

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        ids = {data["id"] for status, _h, data in results if status == 201}
        if ids:
            with stats.lock:
                stats.accepted_keys[key] = text
        if len(ids) > 1:
            stats.add("twins with two ids")
        stats.add("twin pairs sent")


def editor(port, budget, stats, token, editor_index, shared, edits):
    client = Client(port, budget, stats, token)
    for n in range(edits):
        pk = shared[n % len(shared)]  # every editor on the same answer at the same time
        line = f"- edit {editor_index}-{n}"
        while True:
            status, headers, data = client.request("GET", f"/api/questions/{pk}/")
            if status != 200:
                return
            merged = {"answer": data["answer"] + "\n" + line}
            if_match = {"If-Match": headers["ETag"]}
            status, headers, data = client.request("PATCH", f"/api/questions/{pk}/", merged, if_match)
            if status == 200:
                with stats.lock:
                    stats.accepted_edits.setdefault(pk, []).append(line)
                break
            if status == 412:
                stats.add("conflicts refused (412)")
                continue  # re-read the newer answer and append on top of it
            if status is None:
                return
            stats.add(f"unexpected edit {status}")
            break


def student(port, budget, stats, interval):
    """Polls until the budget says stop (the writers finished, or the deadline)."""
    client = Client(port, budget, stats)
    tags = {}
    while True:
        for path in (f"/cohorts/{COHORT_SLUG}/live/", f"/cohorts/{COHORT_SLUG}/live/", f"/cohorts/{COHORT_SLUG}/"):
            headers = {"If-None-Match": tags[path]} if path in tags else {}
            status, response_headers, _ = client.request("GET", path, headers=headers)
            if status is None:
                return
            stats.add(f"poll {status}")
            if "ETag" in response_headers:
                tags[path] = response_headers["ETag"]
        time.sleep(interval)


# --- main ------------------------------------------------------------------------


def run(args) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    media = tempfile.mkdtemp(prefix="mspt3-load-media-")
    env.update(
        DATABASE_URL=args.database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_MEDIA_ROOT=media,
        MSPT3_API_ANON_RATE="off",
        DJANGO_LOG_LEVEL="ERROR",  # 412s are expected here; keep the output to the counts
    )
    if args.two_instances:
        env.update(REDIS_URL=args.redis_url, DJANGO_MEDIA_STORAGE="database")
    fresh_database(args.database_url)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    setup = json.loads(
        manage(env, "shell", "-c", SETUP % {"slug": COHORT_SLUG, "instructors": args.instructors, "shared": 3})
        .strip().splitlines()[-1]
    )
    servers = [start_gunicorn(env, args.workers) for _ in range(2 if args.two_instances else 1)]
    stats = Stats()
    started = time.monotonic()
    proxy = None
    try:
        for _server, port in servers:
            wait_until_up(port, time.monotonic() + 30)
        port = servers[0][1]
        if args.two_instances:
            proxy = RoundRobinProxy([p for _s, p in servers]).__enter__()
            port, Client.resend_bad_gateway = proxy.port, True
            half = args.instructors * args.questions // 2
            threading.Thread(target=kill_when, args=(servers[1][0], stats, half, started), daemon=True).start()
        budget = Budget(args.max_requests, args.seconds)
        tokens, section, shared = setup["tokens"], setup["section"], setup["shared"]
        with ThreadPoolExecutor(max_workers=args.instructors * 3 + args.students) as pool:
            jobs = []
            for i, token in enumerate(tokens):
                jobs.append(pool.submit(instructor, port, budget, stats, token, i, section, args.questions, 3))
                jobs.append(pool.submit(concurrent_twins, port, budget, stats, token, i, section, args.twins))
                jobs.append(pool.submit(editor, port, budget, stats, token, i, shared, args.edits))
            for _ in range(args.students):
                jobs.append(pool.submit(student, port, budget, stats, args.poll_interval))
            writers = jobs[: len(tokens) * 3]
            for job in writers:
                job.result()
            budget.deadline = min(budget.deadline, time.monotonic() + args.poll_tail)
            for job in jobs:
                job.result()
    finally:
        if proxy:
            proxy.__exit__(None, None, None)
        for server, _port in servers:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    elapsed = time.monotonic() - started

    stored = json.loads(
        manage(env, "shell", "-c", VERIFY % {"slug": COHORT_SLUG, "shared": shared}).strip().splitlines()[-1]
    )
    by_key = Counter(key.split(":", 1)[1] for key, _q in stored["keys"])
    texts = Counter(question for _k, question in stored["keys"])
    found_once = sum(1 for key, text in stats.accepted_keys.items() if by_key[key] == 1 and texts[text] == 1)
    lost_edits = [
        line for pk, lines in stats.accepted_edits.items() for line in lines if line not in stored["answers"][str(pk)]
    ]
    report = {
        "seconds": round(elapsed, 1),
        "requests": sum(stats.statuses.values()),
        "writes accepted (201, distinct keys)": len(stats.accepted_keys),
        "found exactly once in the database": found_once,
        "retries sent (same key)": stats.counts["retries sent"] + stats.counts["twin pairs sent"],
        "retries answered by replay": stats.counts["retries replayed"],
        "edits accepted": sum(len(v) for v in stats.accepted_edits.values()),
        "edits lost (silently overwritten)": len(lost_edits),
        "conflicts refused (412)": stats.counts["conflicts refused (412)"],
        "polls 200 / 304": f"{stats.counts['poll 200']} / {stats.counts['poll 304']}",
        "5xx": stats.counts["5xx"],
        "transport errors": len(stats.errors),
        "unexpected": {k: v for k, v in stats.counts.items() if k.startswith(("unexpected", "twins with"))},
        "statuses": dict(sorted(stats.statuses.items())),
    }
    allowed_5xx = 0
    if proxy:
        killed, survivor = servers[1][1], servers[0][1]
        allowed_5xx = proxy.lost_in_flight[killed]
        report["two instances"] = {
            "killed after (s)": stats.counts["killed at (s)"] or "not killed: the writes ended first",
            "responses relayed from the survivor / the killed one": [proxy.served[survivor], proxy.served[killed]],
            "connections refused by the killed one (sent to the survivor)": proxy.skipped[killed],
            "502: lost in flight on the killed one": proxy.lost_in_flight[killed],
            "502: lost on the survivor": proxy.lost_in_flight[survivor],
            "resent after 502": stats.counts["resent after 502"],
        }
    print(json.dumps(report, ensure_ascii=False, indent=1))
    for error in stats.errors[:10]:
        print("transport error:", error, file=sys.stderr)
    if not args.keep:
        drop_database(args.database_url)
    ok = (
        found_once == len(stats.accepted_keys) > 0
        and not lost_edits
        and stats.counts["5xx"] == allowed_5xx
        and (not proxy or (stats.counts["killed at (s)"] and proxy.lost_in_flight[servers[0][1]] == 0))
        and not stats.errors
        and not report["unexpected"]
    )
    done = "OK: no loss, no 5xx" + (" but the killed instance's in-flight 502s" if proxy else "")
    print(done if ok else "FAILED: see counts above")
    return 0 if ok else 1


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:2] == ["--scenario", "render"]:  # a costly answer saved in a loop (scripts/loadtest_render.py)
        import loadtest_render

        return loadtest_render.main(argv[2:])
    if argv[:2] == ["--scenario", "class"]:  # students asking and voting, an instructor triaging
        import loadtest_class

        return loadtest_class.main(argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/mspt3_load")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--instructors", type=int, default=4)
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--questions", type=int, default=40, help="questions per instructor")
    parser.add_argument("--twins", type=int, default=5, help="concurrent duplicate sends per instructor")
    parser.add_argument("--edits", type=int, default=25, help="edits of the shared answers per editor")
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--seconds", type=float, default=180, help="hard deadline for the drive")
    parser.add_argument("--poll-interval", type=float, default=1.0, help="seconds between a student's polls")
    parser.add_argument("--poll-tail", type=float, default=2, help="students keep polling this long after writers")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--small", action="store_true", help="a few seconds' worth (for the test suite)")
    parser.add_argument("--two-instances", action="store_true", help="two gunicorns behind a proxy, one killed")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14", help="the shared cache (--two-instances)")
    args = parser.parse_args(argv)
    if args.small:
        args.workers, args.instructors, args.students = min(args.workers, 2), 2, 4
        args.questions, args.twins, args.edits, args.max_requests, args.seconds = 8, 2, 6, 2000, 60
        args.poll_tail = 0.5
    host = urlparse(args.database_url).hostname
    if host not in (None, "", "127.0.0.1", "localhost", "::1"):
        parser.error("the load test only runs against a database on this machine")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
