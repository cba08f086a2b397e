#!/usr/bin/env python
"""Recall@3 of "asked before" (GET /api/questions/similar/) on our evaluation set, run by ``make bench``.

The corpus: the seed notes (every notes file in SEEDS, imported as cohorts) plus the
targets of search/evaluation/pairs.toml (one cohort). The pairs: those of pairs.toml
(a paraphrase asked, its target expected among the first 3), and paraphrases of questions
the seeds hold (``seed_pair``: the seed question expected). Each part of the analysis is measured on its own:
plain BM25 over the question text (no morphology, no glossary), + Korean morphology,
+ the glossary, + the answers' text (what the site serves, measured through the API).

    python scripts/search_eval.py [--seeds DIR] [--output docs/benchmarks.md] [--json FILE]

A fresh SQLite database in a scratch directory; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import tomllib
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PAIRS = BASE_DIR / "search" / "evaluation" / "pairs.toml"
DEFAULT_SEEDS = BASE_DIR.parent / "shared" / "seeds"
TOP = 3
BEGIN, END = "<!-- search-eval -->", "<!-- /search-eval -->"


def _setup(workdir: Path):
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'eval.sqlite3'}"
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mspt3.settings")
    os.environ["MSPT3_API_ANON_RATE"] = "off"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _corpus(seeds: Path, written: list[dict], seed_written: list[dict]):
    """Import the seeds and the written targets; returns (written pairs, seed pairs) as
    (asked text, expected question id, cohort slug to exclude or None)."""
    from courses.models import Cohort
    from notes.importer import import_notes_file
    from qa.models import Question, Section

    for path in sorted(seeds.glob("*.txt")):
        import_notes_file(path, slug=f"seed-{path.stem[:3]}")
    cohort = Cohort.objects.create(title="evaluation targets", slug="eval-targets", is_public=True)
    section = Section.objects.create(cohort=cohort, title="Q&A", heading="## Q&A", position=1)
    pairs = []
    for n, pair in enumerate(written, start=1):
        target = Question.objects.create(section=section, position=n, question=pair["target"], answer=pair["answer"])
        pairs.append((pair["asked"], target.pk, None))
    seed_pairs = []
    seeded = Question.objects.filter(section__cohort__slug__startswith="seed-")
    for pair in seed_written:
        target = seeded.get(question__startswith=pair["target"])
        seed_pairs.append((pair["asked"], target.pk, None))
    return pairs, seed_pairs


def _recall(pairs, rank) -> float:
    hits = sum(expected in rank(asked, exclude) for asked, expected, exclude in pairs)
    return hits / len(pairs) if pairs else float("nan")


def _engine_rank(mode, with_answers):
    from qa.models import Question
    from search.engine import similar

    def rank(asked, exclude):
        questions = Question.objects.all()
        if exclude:
            questions = questions.exclude(section__cohort__slug=exclude)
        return list(similar(questions, asked, with_answers=with_answers, mode=mode).values_list("pk", flat=True)[:TOP])

    return rank


def _api_rank():
    from django.test import Client
    from django.urls import reverse

    client, url = Client(HTTP_HOST="127.0.0.1"), reverse("api-question-similar")

    def rank(asked, exclude):
        params = {"q": asked, "limit": TOP, **({"exclude_cohort": exclude} if exclude else {})}
        response = client.get(url, params)
        assert response.status_code == 200, response.content[:300]
        return [row["id"] for row in response.json()["results"]]

    return rank


def evaluate(seeds: Path) -> dict:
    from qa.models import Question
    from search.analysis import Mode
    from search.index import index_questions

    pairs_file = tomllib.loads(PAIRS.read_text(encoding="utf-8"))
    pairs, seed_pairs = _corpus(seeds, pairs_file["pair"], pairs_file["seed_pair"])
    parts = [
        ("plain BM25 (words as written, question text)", Mode.PLAIN, False, None),
        ("+ Korean morphology", Mode.MORPHOLOGY, False, None),
        ("+ course glossary", Mode.GLOSSARY, False, None),
        ("+ answers' text (the site: GET /api/questions/similar/)", Mode.GLOSSARY, True, "api"),
    ]
    rows = []
    for name, mode, with_answers, through in parts:
        index_questions(Question.objects.all(), force=True, mode=mode)
        rank = _api_rank() if through == "api" else _engine_rank(mode, with_answers)
        started = time.monotonic()
        rows.append({"part": name, "written": _recall(pairs, rank), "seeds": _recall(seed_pairs, rank),
                     "all": _recall(pairs + seed_pairs, rank),
                     "ms_per_query": 1000 * (time.monotonic() - started) / max(1, len(pairs) + len(seed_pairs))})
    return {"written_pairs": len(pairs), "seed_pairs": len(seed_pairs), "questions": Question.objects.count(),
            "rows": rows}


def markdown(result: dict) -> str:
    lines = [
        BEGIN,
        "## Asked before: Recall@3 (`scripts/search_eval.py`)",
        "",
        f"Corpus: {result['questions']} questions (the five seed notes and the targets of "
        f"`search/evaluation/pairs.toml`). Pairs: {result['written_pairs']} written paraphrases "
        f"(Korean, English, mixed, short forms, typos) with their targets, and {result['seed_pairs']} paraphrases of "
        "questions of the seeds (the seeds hold no two questions of different cohorts with the same substantive "
        "answer). Each part adds to the one above.",
        "",
        "| Part | Recall@3 written | Recall@3 seeds | Recall@3 all | ms per query |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for row in result["rows"]:
        cells = [f"{row[name]:.0%}" for name in ("written", "seeds", "all")]
        lines.append(f"| {row['part']} | {' | '.join(cells)} | {row['ms_per_query']:.1f} |")
    lines += ["", "Chapters of the seed questions, and the chapter FAQ: `scripts/chapter_bench.py`, below."]
    return "\n".join([*lines, END, ""])


def write_section(output: Path, section: str, begin: str = BEGIN, end: str = END):
    """Put ``section`` (which starts with ``begin`` and ends with ``end``) in place of the one there."""
    text = output.read_text(encoding="utf-8") if output.exists() else "# Benchmarks\n"
    if begin in text and end in text:
        text = text[: text.index(begin)] + section + text[text.index(end) + len(end) + 1 :]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    output.write_text(text, encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--output", type=Path, default=BASE_DIR / "docs" / "benchmarks.md")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="search-eval-") as workdir:
        _setup(Path(workdir))
        result = evaluate(args.seeds)
    section = markdown(result)
    print(section)
    write_section(args.output, section)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
