#!/usr/bin/env python
"""Load scenario: a class on its phones. gunicorn on a fresh database on 127.0.0.1 only.

At the same time, in one public cohort:
  * 100 students poll the class's questions (the API list, with If-None-Match) and the
    cohort's live endpoint;
  * 30 of them ask a couple of questions each, then vote — some votes sent twice, some
    twice at once on two connections, some taken back — on whatever is open;
  * one instructor triages the most-voted open question again and again: accepts it with
    an answer, merges it into an earlier answered one, or dismisses it.

Then the database is checked against what the clients were told: every vote a voter
holds at the end (their last answered vote/unvote) is stored exactly once, no other is,
every question's count in a final API list equals the stored votes, no response was a 5xx,
every answered question told its asker and voters. Exit status non-zero on any of that.
Bounded by a request budget and a deadline; it stops the server it started.

    .venv/bin/python scripts/loadtest.py --scenario class          # PostgreSQL mspt3_load
    .venv/bin/python scripts/loadtest_class.py --small --database-url sqlite:///tmp/x.sqlite3
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import signal
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadtest import (  # noqa: E402
    HOST,
    Budget,
    Client,
    Stats,
    drop_database,
    fresh_database,
    manage,
    start_gunicorn,
    wait_until_up,
)

SLUG = "class-load"
LIST = f"/api/cohorts/{SLUG}/student-questions/"

SETUP = """
import json
from datetime import date
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from courses.models import Cohort, Membership
from qa.models import Section
cohort = Cohort.objects.create(title="Class load", slug="%(slug)s", starts_on=date(2024, 1, 1),
                               ends_on=date(2024, 1, 3), is_public=True)
Section.objects.create(cohort=cohort, title="Docker", heading="## Docker", position=1)
def member(name, role):
    user = get_user_model().objects.create_user(name, password=None)
    Membership.objects.create(cohort=cohort, user=user, role=role)
    return Token.objects.create(user=user).key
teacher = member("class-teacher", Membership.Role.INSTRUCTOR)
students = [member(f"class-student-{n}", Membership.Role.STUDENT) for n in range(%(students)d)]
print(json.dumps({"teacher": teacher, "students": students}))
"""

VERIFY = """
import json
from asking.models import Notification, StudentQuestion, Vote
asked = StudentQuestion.objects.filter(cohort__slug="%(slug)s")
told_wrong = 0
for question in asked.exclude(answered_at=None):
    expected = set(question.vote_rows.values_list("voter", flat=True)) | {question.participant}
    told = set(question.notifications.filter(kind="answered").values_list("recipient", flat=True))
    told_wrong += told != expected
print(json.dumps({
    "votes": sorted([q, v.split(":", 1)[1]] for q, v in Vote.objects.filter(
        student_question__cohort__slug="%(slug)s").values_list("student_question_id", "voter")),
    "questions": asked.count(),
    "statuses": {s: asked.filter(status=s).count() for s in ("open", "accepted", "merged", "dismissed")},
    "answered": asked.exclude(answered_at=None).count(),
    "told wrong": told_wrong,
    "user ids": dict(__import__("rest_framework.authtoken.models", fromlist=["Token"]).Token.objects.filter(
        user__username__startswith="class-").values_list("key", "user_id")),
}))
"""


class Holdings:
    """What each voter was last told about each question: True (voted) or False (not)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.held: dict[tuple[int, str], bool] = {}
        self.vote_ms: list[float] = []

    def told(self, question: int, token: str, voted: bool, ms: float):
        with self.lock:
            self.held[(question, token)] = voted
            self.vote_ms.append(ms)


def poller(port, budget, stats, token, interval):
    client, live, tags = Client(port, budget, stats, token), Client(port, budget, stats), {}
    while True:
        for who, path in ((client, LIST + "?status=open"), (live, f"/cohorts/{SLUG}/live/")):
            status, headers, _ = who.request("GET", path, headers={"If-None-Match": tags[path]} if path in tags else {})
            if status is None:
                return
            stats.add(f"poll {status}")
            tags[path] = headers.get("ETag", tags.get(path, ""))
        time.sleep(interval)


def vote_once(port, budget, stats, holdings, token, question, method, client=None):
    client = client or Client(port, budget, stats, token)
    began = time.monotonic()
    status, _headers, data = client.request(method, f"/api/student-questions/{question}/vote/")
    ms = (time.monotonic() - began) * 1000
    if status in (200, 201):
        holdings.told(question, token, data["voted"], ms)
    elif status == 409:
        stats.add("votes on closed questions refused (409)")
    elif status is not None:
        stats.add(f"unexpected vote {status}")
    return status


def voter(port, budget, stats, holdings, token, index, rounds, asks):
    client = Client(port, budget, stats, token)
    rng = random.Random(index)
    for n in range(asks):
        key = f"class-{index}-{n}-{secrets.token_hex(4)}"
        status, _h, _d = client.request("POST", LIST, {"text": f"수업 질문 {index}-{n}: 레이어는 어디에?"},
                                        {"Idempotency-Key": key})
        if status == 201:
            stats.add("questions asked (201)")
        elif status is not None:
            stats.add(f"unexpected ask {status}")
    for _ in range(rounds):
        status, _h, page = client.request("GET", LIST + "?status=open")
        if status is None:
            return
        open_ids = [row["id"] for row in page["results"]] if status == 200 else []
        if not open_ids:
            time.sleep(0.2)
            continue
        question = rng.choice(open_ids)
        roll = rng.random()
        if roll < 0.15:  # the same vote twice at once, on two connections: counted once
            twins = [threading.Thread(target=vote_once, args=(port, budget, stats, holdings, token, question, "POST"))
                     for _ in range(2)]
            for twin in twins:
                twin.start()
            for twin in twins:
                twin.join()
            stats.add("twin votes sent")
        elif roll < 0.35:  # sent again after a "lost" response
            vote_once(port, budget, stats, holdings, token, question, "POST", client)
            vote_once(port, budget, stats, holdings, token, question, "POST", client)
            stats.add("repeated votes sent")
        elif roll < 0.5:
            vote_once(port, budget, stats, holdings, token, question, "DELETE", client)
        else:
            vote_once(port, budget, stats, holdings, token, question, "POST", client)


def instructor(port, budget, stats, token, stop, pause):
    client, answered, triaged = Client(port, budget, stats, token), [], 0
    while not stop.is_set():
        time.sleep(pause)
        status, _h, page = client.request("GET", LIST + "?status=open")
        if status != 200 or not page["results"]:
            continue
        top = page["results"][0]["id"]
        kind = ("accept", "merge", "dismiss")[triaged % 3] if answered else "accept"
        if kind == "accept":
            body = {"section": "Docker", "answer": f"답 {triaged}: `/var/lib/docker`"}
        elif kind == "merge":
            body = {"question": answered[-1]}
        else:
            body = {"reason": "중복"}
        status, _h, data = client.request("POST", f"/api/student-questions/{top}/{kind}/", body)
        if status in (200, 201):
            triaged += 1
            stats.add(f"triaged: {kind}")
            if kind == "accept":
                answered.append(data["id"])
        elif status == 409:
            stats.add("triage refused (409)")  # cannot happen with one instructor
        elif status is not None:
            stats.add(f"unexpected triage {status}")


def run(args) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=args.database_url, DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_ALLOWED_HOSTS=HOST, MSPT3_API_ANON_RATE="off",
        DJANGO_MEDIA_ROOT=tempfile.mkdtemp(prefix="mspt3-class-media-"), DJANGO_LOG_LEVEL="ERROR",
    )
    fresh_database(args.database_url)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    setup = json.loads(manage(env, "shell", "-c", SETUP % {"slug": SLUG, "students": args.students})
                       .strip().splitlines()[-1])
    server, port = start_gunicorn(env, args.workers)
    stats, holdings, stop = Stats(), Holdings(), threading.Event()
    started = time.monotonic()
    try:
        wait_until_up(port, time.monotonic() + 30)
        budget = Budget(args.max_requests, args.seconds)
        tokens = setup["students"]
        with ThreadPoolExecutor(max_workers=len(tokens) + args.voters + 1) as pool:
            pollers = [pool.submit(poller, port, budget, stats, t, args.poll_interval) for t in tokens]
            teacher = pool.submit(instructor, port, budget, stats, setup["teacher"], stop, args.triage_pause)
            voters = [pool.submit(voter, port, budget, stats, holdings, t, i, args.rounds, args.asks)
                      for i, t in enumerate(tokens[: args.voters])]
            for job in voters:
                job.result()
            stop.set()
            teacher.result()
            budget.deadline = min(budget.deadline, time.monotonic() + args.poll_tail)
            for job in pollers:
                job.result()
        final = Client(port, Budget(100, 30), stats, setup["teacher"])
        _s, _h, listed = final.request("GET", LIST + "?page_size=1000")
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    elapsed = time.monotonic() - started
    stored = json.loads(manage(env, "shell", "-c", VERIFY % {"slug": SLUG}).strip().splitlines()[-1])
    ids = stored["user ids"]
    expected = sorted([q, str(ids[token])] for (q, token), voted in holdings.held.items() if voted)
    stored_votes = sorted(stored["votes"])
    pairs = [tuple(pair) for pair in stored_votes]
    counted = {}
    for question, _voter in stored_votes:
        counted[question] = counted.get(question, 0) + 1
    list_mismatch = sum(1 for row in listed["results"] if row["votes"] != counted.get(row["id"], 0))
    report = {
        "seconds": round(elapsed, 1),
        "requests": sum(stats.statuses.values()),
        "students polling / voting": [len(setup["students"]), args.voters],
        "questions asked": stored["questions"],
        "statuses": stored["statuses"],
        "votes answered (vote/unvote 200/201)": len(holdings.vote_ms),
        "vote latency ms (median, p95)": [
            round(statistics.median(holdings.vote_ms), 1) if holdings.vote_ms else None,
            round(statistics.quantiles(holdings.vote_ms, n=20)[-1], 1) if len(holdings.vote_ms) > 1 else None,
        ],
        "votes held at the end (clients)": len(expected),
        "votes stored": len(stored_votes),
        "lost votes": len(set(map(tuple, expected)) - set(pairs)),
        "extra votes": len(set(pairs) - set(map(tuple, expected))),
        "doubled votes": len(pairs) - len(set(pairs)),
        "list counts differing from the database": list_mismatch,
        "answered, every asker and voter told": [stored["answered"], stored["told wrong"] == 0],
        "polls 200 / 304": f"{stats.counts['poll 200']} / {stats.counts['poll 304']}",
        "5xx": stats.counts["5xx"],
        "transport errors": len(stats.errors),
        "counts": {k: v for k, v in sorted(stats.counts.items()) if not k.startswith("poll")},
    }
    print(json.dumps(report, ensure_ascii=False, indent=1))
    for error in stats.errors[:10]:
        print("transport error:", error, file=sys.stderr)
    if not args.keep:
        drop_database(args.database_url)
    unexpected = [k for k in stats.counts if k.startswith(("unexpected", "triage refused"))]
    ok = (expected and report["lost votes"] == report["extra votes"] == report["doubled votes"] == 0
          and list_mismatch == 0 and stored["told wrong"] == 0 and stats.counts["5xx"] == 0 and not stats.errors
          and not unexpected and sum(stored["statuses"].values()) - stored["statuses"]["open"] > 0)
    print("OK: no lost or doubled vote, exact counts, no 5xx" if ok else "FAILED: see counts above")
    return 0 if ok else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/mspt3_load")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--students", type=int, default=100, help="students polling")
    parser.add_argument("--voters", type=int, default=30, help="of them, students asking and voting")
    parser.add_argument("--asks", type=int, default=2, help="questions each voter asks")
    parser.add_argument("--rounds", type=int, default=40, help="votes (or unvotes) each voter sends")
    parser.add_argument("--triage-pause", type=float, default=0.5, help="seconds between the instructor's triages")
    parser.add_argument("--max-requests", type=int, default=40000)
    parser.add_argument("--seconds", type=float, default=240, help="hard deadline for the drive")
    parser.add_argument("--poll-interval", type=float, default=2.0, help="seconds between a student's polls")
    parser.add_argument("--poll-tail", type=float, default=2, help="students keep polling this long after voters")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--small", action="store_true", help="a few seconds' worth (for the test suite)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.small:
        args.workers, args.students, args.voters, args.rounds, args.seconds = 2, 10, 5, 10, 90
        args.triage_pause, args.poll_tail = 0.3, 0.5
    if urlparse(args.database_url).hostname not in (None, "", "127.0.0.1", "localhost", "::1"):
        parser.error("the load test only runs against a database on this machine")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
