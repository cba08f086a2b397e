"""Run as a process of its own on a fresh database (tests/asking/test_concurrent_votes.py): N voters
in N threads, each with its own database connection, vote for one question at the same instant,
each twice. Prints one JSON line: what vote() answered and what the database holds."""

import json
import os
import sys
import threading
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mspt3.settings")

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from asking import actions  # noqa: E402
from asking.models import Vote  # noqa: E402
from asking.participants import Participant, user_key  # noqa: E402
from tests.factories import make_cohort  # noqa: E402


def main(voters: int) -> None:
    users = get_user_model().objects  # no password: hashing one costs more than the whole test
    people = [users.create(username=f"concurrent-voter-{n}") for n in range(voters)]
    asker = users.create(username="concurrent-asker")
    cohort = make_cohort(students=[asker, *people])
    asked = actions.ask(cohort, Participant(user_key(asker), asker), "동시에 투표하면?")
    version = cohort.__class__.objects.get(pk=cohort.pk).version
    connection.close()
    start = threading.Barrier(voters)
    answers, errors = [], []

    def vote_twice(user):
        try:
            start.wait()
            for _ in range(2):
                answers.append(actions.vote(asked, Participant(user_key(user), user, "127.0.0.1")))
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=vote_twice, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    print(json.dumps({
        "counted": answers.count(True),
        "repeated": answers.count(False),
        "errors": errors[:5],
        "stored": Vote.objects.filter(student_question=asked).count(),
        "distinct": Vote.objects.filter(student_question=asked).values("voter").distinct().count(),
        "announced": cohort.__class__.objects.get(pk=cohort.pk).version - version,
    }))
    print(f"{2 * voters} votes in {elapsed:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main(int(sys.argv[1]))
