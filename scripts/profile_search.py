#!/usr/bin/env python
"""Profile uncached random-word searches in-process, on a scratch archive built like the bench's.

    DATABASE_URL=sqlite:////tmp/p.sqlite3 .venv/bin/python scripts/profile_search.py --cohorts 20 --questions 1200
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mspt3_x .venv/bin/python scripts/profile_search.py --reuse

(with the bench's production environment: DJANGO_DEBUG=0, a secret key, DJANGO_SECURE_SSL_REDIRECT=0,
DJANGO_ALLOWED_HOSTS=127.0.0.1, and collectstatic run once).

Builds the archive with the bench's corpus and the real importer (unless ``--reuse``), then asks
/search/ for two random words of the notes per request, the page cache cleared before each (a new
word would miss it), through Django's test client with production-like settings. Prints the median
time, the SQL queries per request and a cProfile of the requests, cumulative order.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "scripts"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cohorts", type=int, default=20)
    parser.add_argument("--questions", type=int, default=1_200)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--reuse", action="store_true", help="search the archive already in the database")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mspt3.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")
    import django

    django.setup()
    import bench_corpus
    import bench_search
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from qa.models import Question

    if not args.reuse:
        from django.core.management import call_command

        from notes.importer import import_notes_text

        call_command("migrate", verbosity=0, interactive=False)
        rng = random.Random(8)
        fixtures = bench_corpus.load_fixtures(BASE_DIR)
        for index, count in enumerate(bench_corpus.question_counts(args.cohorts, args.questions, rng)):
            title = f"MSP T3 - {index + 1}차 (profile {index:03d})"
            import_notes_text(bench_corpus.variant(fixtures[index % len(fixtures)], title, count, rng),
                              slug=f"profile-{index:03d}")
    words = bench_search.sample_words(Question.objects.all(), seed=8)
    rng = random.Random(3)
    paths = [f"/search/?q={quote(rng.choice(words))}+{quote(rng.choice(words))}" for _ in range(args.requests)]
    client = Client(SERVER_NAME="127.0.0.1")
    client.get(paths[0])  # the analyser and the glossary loaded, as in a warm worker
    pages = caches["pages"]
    times, queries = [], []
    profiler = cProfile.Profile()
    for path in paths:
        pages.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            profiler.enable()
            response = client.get(path)
            profiler.disable()
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
        queries.append(len(captured))
    print(f"{connection.vendor}: {Question.objects.count()} questions, {len(paths)} uncached searches")
    print(f"median {statistics.median(times) * 1000:.1f} ms, mean {statistics.mean(times) * 1000:.1f} ms; "
          f"queries per search: min {min(queries)}, max {max(queries)}")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    ours = r"mspt3/(?!middleware)|/qa/|/search/|kiwipiepy|template/(loader|defaulttags)"
    stats.sort_stats("cumulative").print_stats(ours, args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
