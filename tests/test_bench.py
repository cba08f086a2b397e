"""`make bench` end to end on a tiny archive: it runs, writes its table with every row,
and the conditional GET really is answered 304. No timing is asserted."""

import json
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
ROWS = (
    "/healthz (floor)",
    "largest cohort page",
    "unchanged cohort page, If-None-Match → 304",
    "chapter page",
    "search",
    "search, two random words from the notes per request",
    "question API list, page_size=100",
)


def test_the_benchmark_runs_on_a_tiny_archive_and_writes_every_row_of_its_table(tmp_path):
    report, raw = tmp_path / "benchmarks.md", tmp_path / "bench.json"
    command = [sys.executable, "scripts/bench.py", "--cohorts", "3", "--questions", "60", "--seconds", "1"]
    command += ["--sqlite-only", "--import-bytes", "20000", "--output", str(report), "--json", str(raw)]
    command += ["--workdir", str(tmp_path / "work")]
    subprocess.run(command, cwd=BASE_DIR, check=True, capture_output=True, timeout=300)

    table = report.read_text(encoding="utf-8")
    for row in ROWS:
        assert f"| {row}" in table
    assert "## Machine" in table and "SQLite 3." in table and "## Profile of the slowest page" in table
    assert "questions/s" in table

    result = json.loads(raw.read_text())["results"][0]
    statuses = {m["name"]: m["status"] for m in result["measures"]}
    assert statuses == {"healthz": 200, "cohort": 200, "cohort_304": 304, "chapter": 200, "search": 200,
                        "search_random": 200, "api": 200}
    assert all(m["rps"] > 0 and m["errors"] == 0 for m in result["measures"])
    assert result["archive"]["cohorts"] == 3 and result["archive"]["questions"] == 60
    assert result["constant_queries"]["constant"]
