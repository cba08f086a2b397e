"""The data of ``make bench``, built in the per-database child: the archive of cohorts
(notes files varied from the project's fixtures, scripts/bench_corpus.py) and the
measured cohort page, all loaded through the real importer; plus the in-process
checks that import (SQL queries constant in the page's size, a 1 MB import)."""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import bench_corpus
import bench_search
from bench_serve import HOST

BASE_DIR = Path(__file__).resolve().parent.parent
# Real notes files of real cohorts, when this machine has them (a clean clone does not).
SEEDS = Path("/work/shared/seeds")
PAGE_SLUG = "bench-notes"


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def fixtures_of(args):
    return bench_corpus.load_fixtures(BASE_DIR, args.fixtures or bench_corpus.FIXTURE_GLOBS)


def import_text(text, slug):
    """The real importer; returns the cohort. One place that knows its signature."""
    from notes.importer import import_notes_text

    outcome = import_notes_text(text, slug=slug)
    return getattr(outcome, "cohort", outcome)


def page_notes(seeds: Path = SEEDS) -> tuple[str, str]:
    """The measured cohort page's notes: every seed notes file concatenated, or where there
    are none, the project's demo and fixture notes; and a sentence saying which."""
    paths = sorted(seeds.glob("*.txt")) if seeds.is_dir() else []
    source = f"the {len(paths)} seed notes files of `{seeds}` concatenated"
    if not paths:
        paths = sorted(p for pattern in bench_corpus.FIXTURE_GLOBS for p in BASE_DIR.glob(pattern))
        globs = ", ".join(bench_corpus.FIXTURE_GLOBS)
        source = f"`{seeds}` absent: the project's {len(paths)} notes files ({globs}) concatenated"
    return "\n\n".join(p.read_text(encoding="utf-8").strip() for p in paths) + "\n", source


def build_archive(args) -> dict:
    from django.db.models import Count

    from courses.models import Cohort
    from qa.models import Question

    rng = random.Random(args.seed)
    fixtures = fixtures_of(args)
    counts = bench_corpus.question_counts(args.cohorts, args.questions, rng)
    first_day = date(2019, 3, 4)
    for index, questions in enumerate(counts):
        fixture = fixtures[index % len(fixtures)]
        program = "MSP T3" if index % 3 else "MSP T2"
        run = f"{19 + index // 40}-{index % 40 + 1}차"
        title = f"{program} - {run} (bench {index:03d})"
        cohort = import_text(bench_corpus.variant(fixture, title, questions, rng), slug=f"bench-{index:03d}")
        starts = first_day + timedelta(days=7 * index)
        # One cohort in ten is private: search and chapter pages must filter them out.
        Cohort.objects.filter(pk=cohort.pk).update(
            starts_on=starts, ends_on=starts + timedelta(days=2), is_public=index == 0 or index % 10 != 9
        )
        if index % 20 == 19:
            log(f"  {index + 1}/{len(counts)} cohorts")
    text, source = page_notes()
    page = import_text(text, slug=PAGE_SLUG)

    largest = (
        Cohort.objects.filter(is_public=True).exclude(pk=page.pk)
        .annotate(n=Count("sections__questions"))
        .order_by("-n")
        .values("slug", "n")
        .first()
    )
    visible = Question.objects.filter(section__cohort__is_public=True)
    chapter = (
        visible.exclude(chapter=None).values("chapter__number").annotate(n=Count("id")).order_by("-n").first()
        or {"chapter__number": 6, "n": 0}
    )
    return {
        "cohorts": Cohort.objects.count(),
        "public": Cohort.objects.filter(is_public=True).count(),
        "imported": len(counts) + 1,
        "questions": Question.objects.count(),
        "page_slug": page.slug,
        "page_source": source,
        "page_notes_bytes": len(text.encode()),
        "page_questions": Question.objects.filter(section__cohort=page).count(),
        "largest_slug": largest["slug"],
        "largest_questions": largest["n"],
        "chapter": chapter["chapter__number"],
        "chapter_questions": chapter["n"],
        "random_words": bench_search.sample_words(visible, seed=8),
    }


def constant_query_check(args) -> dict:
    """Queries of an uncached cohort page for a small and a large cohort of the same shape."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from courses.freshness import forget
    from courses.models import Cohort
    from mspt3.pagecache import page_cache

    client = Client(SERVER_NAME=HOST)
    fixtures = fixtures_of(args)
    counts = {}
    # 10 and 500 questions; a tiny archive (the test suite's run) compares 10 and 50.
    for size in (10, max(50, min(500, args.questions // 20))):
        rng = random.Random(size)
        cohort = import_text(bench_corpus.variant(fixtures[0], f"쿼리 수 {size}", size, rng), slug=f"queries-{size}")
        cache.clear()
        page_cache().clear()
        forget()  # the heads and fingerprints kept for anonymous pages (courses.freshness)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(cohort.get_absolute_url()).status_code == 200
        counts[size] = len(ctx.captured_queries)
        Cohort.objects.filter(pk=cohort.pk).delete()
    return {"counts": counts, "constant": len(set(counts.values())) == 1}


def time_import(args) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.models import Cohort
    from qa.models import Question

    fixtures = fixtures_of(args)
    text, _ = bench_corpus.notes_of_size(fixtures, args.import_bytes, random.Random(args.seed))
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        cohort = import_text(text, slug="bench-import-1mb")
    seconds = time.perf_counter() - started
    questions = Question.objects.filter(section__cohort=cohort).count()
    Cohort.objects.filter(pk=cohort.pk).delete()
    return {
        "bytes": len(text.encode()),
        "questions": questions,
        "seconds": seconds,
        "queries": len(ctx.captured_queries),
        "function": "notes.importer.import_notes_text",
    }
