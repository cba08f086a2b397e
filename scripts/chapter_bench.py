#!/usr/bin/env python
"""Chapters and the FAQ, measured (run by ``make bench``; nothing here is a pass/fail test):

- the index cost per saved question: ``Question.save`` with the search analysis and index write,
  and with both switched off (the same texts, the same fresh database), after a warm-up;
- the share of the seed questions with a chapter after import, by source (explicit / inferred),
  and the agreement of the stored chapters with the hand labels (tests/fixtures/chapter_labels.toml);
- the FAQ grouping (search.grouping) on the paraphrase pairs of search/evaluation/pairs.toml: how
  many of the pairs meet at each threshold and how many unrelated pairs would, and the time to
  group the seeds' chapters.

    python scripts/chapter_bench.py [--seeds DIR] [--output docs/benchmarks.md] [--saves N]

A fresh SQLite database in a scratch directory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tomllib
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = BASE_DIR.parent / "shared" / "seeds"
PAIRS = BASE_DIR / "search" / "evaluation" / "pairs.toml"
LABELS = BASE_DIR / "tests" / "fixtures" / "chapter_labels.toml"
BEGIN, END = "<!-- chapter-bench -->", "<!-- /chapter-bench -->"
THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


def _setup(workdir: Path):
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'chapters.sqlite3'}"
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mspt3.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed_chapters(seeds: Path) -> dict:
    from notes.importer import import_notes_file
    from qa.models import Question

    for path in sorted(seeds.glob("*.txt")):
        import_notes_file(path, slug=f"seed-{path.stem[:3]}")
    questions = Question.objects.filter(section__cohort__slug__startswith="seed-")
    sources = Counter(questions.values_list("chapter_source", flat=True))
    labels = tomllib.loads(LABELS.read_text(encoding="utf-8"))["labels"]
    by_source: dict[str, list[bool]] = {}
    for start, number in labels.items():
        labelled = questions.select_related("chapter").get(question__startswith=start)
        agrees = labelled.chapter is not None and labelled.chapter.number == number
        by_source.setdefault(labelled.chapter_source or "none", []).append(agrees)
    agreement = {source: (sum(found), len(found)) for source, found in sorted(by_source.items())}
    return {"questions": questions.count(), "explicit": sources["explicit"], "inferred": sources["inferred"],
            "none": sources[""], "labels": len(labels), "agree": sum(a for a, _ in agreement.values()),
            "agreement": agreement}


def _texts(count: int) -> list[tuple[str, str]]:
    from qa.models import Question

    seeded = list(Question.objects.values_list("question", "answer"))
    return [(f"{q} ({n})", a) for n, (q, a) in zip(range(count), seeded * (count // len(seeded) + 1), strict=False)]


def save_cost(count: int) -> dict:
    """ms per Question.save with and without the search analysis and index write."""
    from contextlib import nullcontext

    from courses.models import Cohort
    from qa.models import Question, Section
    from search.analysis import analyser

    analyser()  # the start-up cost is the analyser's own figure (docs above), not a save's
    texts = _texts(count)
    results = {}
    for label, indexed in (("with analysis", True), ("without analysis", False)):
        cohort = Cohort.objects.create(title=f"save cost {label}", slug=f"save-cost-{int(indexed)}")
        section = Section.objects.create(cohort=cohort, title="Docker", heading="## Docker", position=1)
        original = (Question._analysed_in_advance, Question._index)
        if not indexed:
            Question._analysed_in_advance = lambda self: nullcontext()
            Question._index = lambda self: None
        try:
            timings = []
            for question, answer in texts:
                started = time.perf_counter()
                Question(section=section, question=question, answer=answer).save()
                timings.append(1000 * (time.perf_counter() - started))
        finally:
            Question._analysed_in_advance, Question._index = original
        results[label] = {"median": statistics.median(timings), "mean": statistics.fmean(timings)}
    return results


def grouping_calibration() -> dict:
    from search.analysis import index_terms
    from search.glossary import current_glossary
    from search.grouping import cosine, weighted_vectors

    pairs = tomllib.loads(PAIRS.read_text(encoding="utf-8"))["pair"]
    glossary = current_glossary()
    documents = [p["target"] for p in pairs] + [p["asked"] for p in pairs]
    vectors = weighted_vectors([index_terms(text, glossary) for text in documents])
    n = len(pairs)
    same = [cosine(vectors[i], vectors[n + i]) for i in range(n)]
    other = [cosine(vectors[i], vectors[j]) for i in range(2 * n) for j in range(i + 1, 2 * n) if j - i != n]
    rows = [{"threshold": t, "met": sum(s >= t for s in same) / n, "false": sum(s >= t for s in other)}
            for t in THRESHOLDS]
    return {"pairs": n, "unrelated": len(other), "rows": rows}


def faq_time() -> dict:
    from curriculum.faq import build_entries
    from qa.models import Question

    chapters = sorted(set(Question.objects.exclude(chapter=None).values_list("chapter__number", flat=True)))
    started = time.perf_counter()
    entries = questions = 0
    for number in chapters:
        built = build_entries(Question.objects.for_chapter(number))
        entries += len(built)
        questions += sum(len(entry.asked) for entry in built)
    return {"chapters": len(chapters), "questions": questions, "entries": entries,
            "ms": 1000 * (time.perf_counter() - started)}


def markdown(result: dict, threshold: float) -> str:
    seeds, save, calibration, faq = result["seeds"], result["save"], result["calibration"], result["faq"]
    chaptered = seeds["explicit"] + seeds["inferred"]
    with_ms, without_ms = save["with analysis"]["median"], save["without analysis"]["median"]
    lines = [
        BEGIN,
        "## Chapters and the chapter FAQ (`scripts/chapter_bench.py`)",
        "",
        f"**Seed questions with a chapter** (after import, `Question.chapter_source`): {chaptered} of "
        f"{seeds['questions']} ({chaptered / max(1, seeds['questions']):.0%}); {seeds['explicit']} explicit "
        f"(the text names it), **{seeds['inferred']} inferred**, {seeds['none']} without. The stored chapters agree "
        f"with {seeds['agree']} of the {seeds['labels']} hand labels ({seeds['agree'] / max(1, seeds['labels']):.0%}; "
        + ", ".join(f"{source}: {agree} of {total}" for source, (agree, total) in seeds["agreement"].items())
        + "; an explicit reference wins even where the hand label says otherwise, e.g. an answer pointing to "
        "CH06 for more).",
        "",
        f"**Index cost per saved question** (`Question.save`, SQLite, {result['saves']} saves of seed texts, "
        f"analyser loaded): median {with_ms:.1f} ms with the search analysis and index write, "
        f"{without_ms:.1f} ms without; the analysis adds {with_ms - without_ms:.1f} ms "
        f"(means {save['with analysis']['mean']:.1f} / {save['without analysis']['mean']:.1f} ms). It runs before "
        "the save's write transaction, so it does not hold SQLite's write lock.",
        "",
        f"**FAQ grouping** (`search/grouping.py`, threshold {threshold}): on the {calibration['pairs']} paraphrase "
        f"pairs of `search/evaluation/pairs.toml` (deliberately unlike wordings) and the {calibration['unrelated']:,} "
        "unrelated pairs among the same texts:",
        "",
        "| cosine ≥ | paraphrase pairs that meet | unrelated pairs that would |",
        "| ---: | ---: | ---: |",
    ]
    for row in calibration["rows"]:
        mark = " (used)" if abs(row["threshold"] - threshold) < 1e-9 else ""
        lines.append(f"| {row['threshold']}{mark} | {row['met']:.0%} | {row['false']} |")
    lines += [
        "",
        "A wrong merge hides a question on the FAQ; a missed one only shows it twice: precision first. "
        f"Grouping the seeds' {faq['chapters']} chapters ({faq['questions']} questions → {faq['entries']} entries) "
        f"takes {faq['ms']:.0f} ms in all, once per version of the visible cohorts (then cached).",
        END,
        "",
    ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--output", type=Path, default=BASE_DIR / "docs" / "benchmarks.md")
    parser.add_argument("--saves", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="chapter-bench-") as workdir:
        _setup(Path(workdir))
        from search.grouping import THRESHOLD

        result = {"seeds": seed_chapters(args.seeds), "saves": args.saves}
        result["faq"] = faq_time()
        result["save"] = save_cost(args.saves)
        result["calibration"] = grouping_calibration()
    section = markdown(result, THRESHOLD)
    print(section)
    from search_eval import write_section  # scripts/, beside this one

    write_section(args.output, section, BEGIN, END)


if __name__ == "__main__":
    main()
