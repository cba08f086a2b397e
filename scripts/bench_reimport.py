#!/usr/bin/env python
"""Re-import benchmark (issue 12.2), run by ``make bench`` through scripts/bench.py.

For each size (0.5, 1 and 2 MB by default) a notes file of questions sharing a
long prefix is imported, then re-imported with every question reworded (a
typo-sized change, so each keeps its id). Reported per size: seconds for the
re-import, the part of it spent inside the write transaction, and the time
per question — which must stay about flat as the file grows (linear cost).

    python scripts/bench_reimport.py --child --output FILE.json   # one database, from DATABASE_URL

Nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SIZES = (500_000, 1_000_000, 2_000_000)
PREFIX = "쿠버네티스 클러스터에서 디플로이먼트를 롤링 업데이트할 때 서비스가 끊기지 않게 하려면 "


def _item(n: int, reworded: bool) -> str:
    ending = "무엇을 확인하나요?" if reworded else "무엇을 확인해야 하나요?"
    return f"- {PREFIX}{n}번째 경우에는 {ending}\n  - 답 {n}: `readinessProbe`와 `maxUnavailable: 0` 입니다.\n\n"


def notes_of_size(size: int) -> tuple[str, str, int]:
    """A notes file of about ``size`` bytes, the same with every question reworded a little, and its count."""
    head = "# MSP T3 - 92-1차 (벤치마크)\n\n## Kubernetes\n\n"
    count = (size - len(head.encode())) // len(_item(0, False).encode())
    return (head + "".join(_item(n, False) for n in range(count)),
            head + "".join(_item(n, True) for n in range(count)), count)


def child(output: Path, sizes) -> int:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mspt3.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from notes import import_write
    from notes.importer import import_notes_text
    from qa.models import Question

    call_command("migrate", verbosity=0, interactive=False)
    in_transaction = []
    write_plan = import_write.write_plan

    def timed_write(*args, **kwargs):
        started = time.perf_counter()
        try:
            return write_plan(*args, **kwargs)
        finally:
            in_transaction.append(time.perf_counter() - started)

    import notes.importer

    notes.importer.write_plan = timed_write
    rows = []
    for size in sizes:
        slug = f"bench-reimport-{size}"
        text, reworded, questions = notes_of_size(size)
        started = time.perf_counter()
        import_notes_text(text, slug=slug)
        first = time.perf_counter() - started
        ids = set(Question.objects.filter(section__cohort__slug=slug).values_list("pk", flat=True))
        in_transaction.clear()
        started = time.perf_counter()
        report = import_notes_text(reworded, slug=slug)
        seconds = time.perf_counter() - started
        kept = len(ids & set(Question.objects.filter(section__cohort__slug=slug).values_list("pk", flat=True)))
        rows.append({
            "bytes": len(reworded.encode()), "questions": questions, "first_import": first, "seconds": seconds,
            "in_transaction": sum(in_transaction), "updated": report.updated, "ids_kept": kept,
        })
        print(f"{connection.vendor}: {size} bytes, {questions} questions: re-import {seconds:.2f} s", file=sys.stderr)
    label = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"
    output.write_text(json.dumps({"label": label, "rows": rows}, indent=1), encoding="utf-8")
    return 0


def report_lines(results: list[dict]) -> list[str]:
    """The section docs/benchmarks.md shows (written by scripts/bench.py)."""
    lines = [
        "## Re-import of a notes file with every question reworded",
        "",
        "`scripts/bench_reimport.py`: questions sharing a long prefix, imported, then re-imported with each "
        "question's wording changed a little (so each keeps its id). Linear cost means a flat time per question.",
        "",
        "| Database | File | Questions | First import | Re-import | of it in the transaction | per question "
        "| ids kept |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        for row in result["rows"]:
            lines.append(
                f"| {result['label']} | {row['bytes'] / 1e6:.2f} MB | {row['questions']:,} | "
                f"{row['first_import']:.2f} s | {row['seconds']:.2f} s | {row['in_transaction']:.2f} s | "
                f"{row['seconds'] / row['questions'] * 1000:.2f} ms | {row['ids_kept']:,} |"
            )
    for result in results:
        rows = result["rows"]
        if len(rows) > 1:
            growth = (rows[-1]["seconds"] / rows[0]["seconds"]) / (rows[-1]["questions"] / rows[0]["questions"])
            lines.append("")
            lines.append(
                f"{result['label']}: {rows[-1]['questions'] / rows[0]['questions']:.1f}× the questions took "
                f"{rows[-1]['seconds'] / rows[0]['seconds']:.1f}× the time ({growth:.2f} per unit of growth; "
                "1 is linear, 4 would be quadratic)."
            )
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", action="store_true", help="measure the database of DATABASE_URL")
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="bytes, comma-separated")
    args = parser.parse_args(argv)
    if not args.child:
        parser.error("run through scripts/bench.py, or with --child and DATABASE_URL")
    return child(args.output, [int(size) for size in args.sizes.split(",")])


if __name__ == "__main__":
    sys.exit(main())
