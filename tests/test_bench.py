"""`make bench` end to end on a tiny archive: it runs, writes its table with every row,
serves each row as a browser would get it (compressed where it asks, 304 where it
revalidates) and reports the bytes on the wire. No timing is asserted."""

import json
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "scripts"))

import bench_data  # noqa: E402
from bench_measure import ROWS  # noqa: E402

STATUSES = {"healthz": 200, "static_gzip": 200, "static_br": 200, "cohort_gzip": 200, "cohort_br": 200,
            "largest_gzip": 200, "chapter": 200, "home": 200, "page_304": 304, "live_304": 304,
            "search_random": 200, "search_again": 200, "page_floor": 200, "api": 200}
ENCODINGS = {"static_gzip": "gzip", "static_br": "br", "cohort_gzip": "gzip", "cohort_br": "br",
             "largest_gzip": "gzip", "chapter": "gzip", "home": "gzip", "page_304": "gzip", "search_random": "gzip",
             "search_again": "gzip"}


def test_the_benchmark_runs_on_a_tiny_archive_and_writes_every_row_of_its_table(tmp_path):
    report, raw = tmp_path / "benchmarks.md", tmp_path / "bench.json"
    command = [sys.executable, "scripts/bench.py", "--cohorts", "3", "--questions", "60", "--seconds", "1"]
    command += ["--sqlite-only", "--import-bytes", "20000", "--output", str(report), "--json", str(raw)]
    command += ["--workdir", str(tmp_path / "work"), "--reimport-sizes", "20000"]
    subprocess.run(command, cwd=BASE_DIR, check=True, capture_output=True, timeout=600)

    table = report.read_text(encoding="utf-8")
    for _name, label, *_ in ROWS:
        assert f"| {label}" in table
    assert "## Machine" in table and "SQLite 3." in table and "## Profile of the slowest page" in table
    assert "questions/s" in table and "start → end" in table and "Bytes on the wire" in table

    result = json.loads(raw.read_text())["results"][0]
    measures = {m["name"]: m for m in result["measures"]}
    assert {name: m["status"] for name, m in measures.items()} == STATUSES
    assert {name: m["encoding"] for name, m in measures.items() if m["encoding"]} == ENCODINGS
    assert all(m["rps"] > 0 and m["errors"] == 0 for m in measures.values())
    html = result["archive"]["page_html_bytes"]
    # The static twin holds the page's own bytes: compressed, both are far smaller than the HTML.
    for name in ("static_gzip", "static_br", "cohort_gzip", "cohort_br"):
        assert 0 < measures[name]["bytes"] < html / 2, (name, measures[name]["bytes"], html)
    assert measures["page_304"]["bytes"] == measures["live_304"]["bytes"] == 0
    # The cohort's head is kept while the table is unchanged (courses.freshness): no query at all.
    assert measures["page_304"]["queries"] == measures["live_304"]["queries"] == 0
    assert result["archive"]["cohorts"] == 4 and result["archive"]["page_questions"] > 0
    assert result["constant_queries"]["constant"]


def test_the_measured_page_is_the_seed_notes_when_present_and_the_projects_notes_otherwise(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "b.txt").write_text("# 둘째\n\n## Docker\n\n- 질문 B?\n  - 답 B\n", encoding="utf-8")
    (seeds / "a.txt").write_text("# 첫째\n\n## Docker\n\n- 질문 A?\n  - 답 A\n", encoding="utf-8")
    text, source = bench_data.page_notes(seeds)
    assert text.index("# 첫째") < text.index("# 둘째") and "the 2 seed notes files" in source

    text, source = bench_data.page_notes(tmp_path / "absent")
    demo = (BASE_DIR / "demo" / "mspt3-demo.md").read_text(encoding="utf-8").strip()
    assert demo in text and "absent" in source and "demo/*.md" in source
