#!/usr/bin/env python
"""Load scenario: one instructor saving the costliest answer the limits accept, in a
loop, must not stall another instructor logging questions in another cohort.

gunicorn (4 workers) on a fresh database on 127.0.0.1. Instructor A PATCHes one
answer over the API with the slowest-rendering text mspt3.limits accepts (the
widest table; a second variant so every save changes it), as fast as the server
answers; at the same time instructor B logs questions in their own cohort.
Reported: B's latency (median, p99), the 5xx count, and whether every question B
was answered 201 for is in the database exactly once. Exit status non-zero on a
5xx, a missing write or (full run) B's p99 at 1 s or more.

    .venv/bin/python scripts/loadtest.py --scenario render                # PostgreSQL mspt3_load
    .venv/bin/python scripts/loadtest_render.py --small --database-url sqlite:///tmp/x.sqlite3
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadtest import (
    HOST,
    PYTHON,
    ROOT,
    Budget,
    Client,
    Stats,
    drop_database,
    free_port,
    fresh_database,
    manage,
    wait_until_up,  # noqa: E402
)

SETUP = """
import json
from datetime import date
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from courses.models import Cohort, Membership
from qa.models import Question, Section
out = {}
for name in ("a", "b"):
    cohort = Cohort.objects.create(title=f"Render load {name}", slug=f"render-{name}", starts_on=date(2024, 1, 1),
                                   ends_on=date(2024, 1, 3), is_public=True)
    section = Section.objects.create(cohort=cohort, title="Docker", heading="## Docker", position=1)
    user = get_user_model().objects.create_user(f"teacher_{name}", password=None)
    Membership.objects.create(cohort=cohort, user=user, role=Membership.Role.INSTRUCTOR)
    question = Question.objects.create(section=section, question="큰 답?", answer="...")
    out[name] = {"token": Token.objects.create(user=user).key, "section": section.pk, "question": question.pk}
print(json.dumps(out))
"""

VERIFY = """
import json
from qa.models import Question
print(json.dumps(list(Question.objects.filter(section__cohort__slug="render-b").values_list("question", flat=True))))
"""


def costliest_answers() -> list[str]:
    """Two variants of the slowest-rendering answer the limits accept (see scripts/bench_render.py)."""
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mspt3.settings")
    import django

    django.setup()
    import bench_render

    widest = bench_render.largest_accepted(bench_render.SHAPES["widest table"])
    return [widest, widest.replace("셀", "칸")]


def big_writer(port, budget, stats, token, question, answers, stop):
    client = Client(port, budget, stats, token)
    n = 0
    while not stop.is_set():
        status, _headers, _body = client.request("PATCH", f"/api/questions/{question}/", {"answer": answers[n % 2]})
        if status is None:
            return
        stats.add("big answers saved" if status == 200 else f"unexpected big save {status}")
        n += 1


def logger(port, budget, stats, token, section, count, latencies, accepted):
    client = Client(port, budget, stats, token)
    for n in range(count):
        text = f"수업 중 질문 {n} {secrets.token_hex(4)}?"
        started = time.monotonic()
        status, _headers, _body = client.request(
            "POST", "/api/questions/", {"cohort": "render-b", "section": section, "question": text, "answer": "..."}
        )
        if status is None:
            return
        latencies.append(time.monotonic() - started)
        if status == 201:
            accepted.append(text)
        else:
            stats.add(f"unexpected log {status}")
        time.sleep(0.05)


def run(args) -> int:
    answers = costliest_answers()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=args.database_url, DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_MEDIA_ROOT=tempfile.mkdtemp(prefix="mspt3-load-media-"), MSPT3_API_ANON_RATE="off",
        DJANGO_LOG_LEVEL="ERROR",
    )
    fresh_database(args.database_url)
    manage(env, "migrate", "--no-input", "-v0")
    setup = json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
    port = free_port()
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "mspt3.wsgi", "-w", str(args.workers), "-b", f"{HOST}:{port}",
         "--log-level", "warning", "--timeout", "30"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    stats, stop, latencies, accepted = Stats(), threading.Event(), [], []
    try:
        wait_until_up(port, time.monotonic() + 30)
        budget = Budget(args.max_requests, args.seconds)
        big = [threading.Thread(target=big_writer, args=(port, budget, stats, setup["a"]["token"],
                                                         setup["a"]["question"], answers, stop))
               for _ in range(args.big_writers)]
        for thread in big:
            thread.start()
        logger(port, budget, stats, setup["b"]["token"], setup["b"]["section"], args.questions, latencies, accepted)
        stop.set()
        for thread in big:
            thread.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    stored = json.loads(manage(env, "shell", "-c", VERIFY).strip().splitlines()[-1])
    missing = [text for text in accepted if stored.count(text) != 1]
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else None
    report = {
        "workers": args.workers,
        "big answer (characters)": len(answers[0]),
        "big answers saved (200)": stats.counts["big answers saved"],
        "questions logged (201)": len(accepted),
        "logged questions missing or duplicated": len(missing),
        "logging latency median (s)": round(statistics.median(ordered), 3) if ordered else None,
        "logging latency p99 (s)": round(p99, 3) if p99 is not None else None,
        "logging latency max (s)": round(ordered[-1], 3) if ordered else None,
        "5xx": stats.counts["5xx"],
        "transport errors": len(stats.errors),
        "unexpected": {k: v for k, v in stats.counts.items() if k.startswith("unexpected")},
        "statuses": dict(sorted(stats.statuses.items())),
    }
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if not args.keep:
        drop_database(args.database_url)
    ok = (accepted and not missing and stats.counts["5xx"] == 0 and not stats.errors and not report["unexpected"]
          and (args.small or p99 < 1.0))
    print("OK" if ok else "FAILED: see counts above")
    return 0 if ok else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/mspt3_load")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--big-writers", type=int, default=1, help="threads of instructor A saving the big answer")
    parser.add_argument("--questions", type=int, default=200, help="questions instructor B logs")
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--seconds", type=float, default=120, help="hard deadline")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--small", action="store_true", help="a few seconds' worth (for the test suite); no timing")
    args = parser.parse_args(argv)
    if args.small:
        args.questions, args.seconds = 15, 60
    if urlparse(args.database_url).hostname not in (None, "", "127.0.0.1", "localhost", "::1"):
        parser.error("the load test only runs against a database on this machine")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
