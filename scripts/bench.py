#!/usr/bin/env python
"""The benchmark behind ``make bench``.

For each database (SQLite, then PostgreSQL unless ``--sqlite-only``) a child
process of this script, configured like production (scripts/bench_serve.py:
DJANGO_DEBUG=0, a fresh secret key, whitenoise, no HTTPS redirect, the API's
anonymous throttle off):

1. migrates an empty database and loads, through the real importer, an archive
   of notes files made from the project's fixtures and the measured cohort page
   (the seed notes when this machine has them; scripts/bench_data.py);
2. writes that page's HTML as a static file, precompressed by whitenoise;
3. counts the SQL queries and the in-process time of every measured path
   (scripts/bench_measure.py);
4. serves it all with gunicorn on 127.0.0.1 and measures each path with wrk
   for ``--seconds``, /healthz before and after (each ratio uses their mean);
5. profiles the slowest page in-process with pyinstrument;
6. times the import of a ~1 MB notes file through the importer;
7. times re-importing 0.5, 1 and 2 MB files with every question reworded
   (scripts/bench_reimport.py, a child process per database).

``--reimport-only`` runs step 7 alone and rewrites only its section of --output;
``--render-only`` the rendering cost section (scripts/bench_render.py).

The parent prints the table and writes it, with the machine it ran on, to
docs/benchmarks.md (``--output``, scripts/bench_report.py). Nothing here is a
pass/fail test; the targets are reported as met or not.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "scripts"))

import bench_corpus  # noqa: E402
import bench_measure  # noqa: E402
import bench_reimport  # noqa: E402
import bench_report  # noqa: E402
from bench_data import log  # noqa: E402
from bench_serve import PYTHON, production_env, recreate_postgres  # noqa: E402

CHILD_OPTIONS = ("cohorts", "questions", "seconds", "connections", "workers", "import-bytes", "seed")
REIMPORT_HEADING = bench_reimport.report_lines([])[0]


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cohorts", type=int, default=200)
    parser.add_argument("--questions", type=int, default=12_000)
    parser.add_argument("--seconds", type=float, default=5, help="load per measured path")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn processes")
    parser.add_argument("--import-bytes", type=int, default=1_000_000)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgres-db", default="mspt3_bench")
    parser.add_argument("--output", type=Path, default=BASE_DIR / "docs" / "benchmarks.md")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--workdir", type=Path, help="scratch directory (default: a new one under /tmp)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument(
        "--fixtures",
        action="append",
        help=f"notes files to vary (glob relative to the project; default: {', '.join(bench_corpus.FIXTURE_GLOBS)})",
    )
    parser.add_argument("--report-from", type=Path, help="rewrite --output from a --json file of an earlier run")
    parser.add_argument("--render-only", action="store_true", help="only the rendering cost section (seconds)")
    parser.add_argument("--reimport-sizes", default=",".join(map(str, bench_reimport.SIZES)),
                        help="bytes of the re-imported files, comma-separated")
    parser.add_argument("--reimport-only", action="store_true",
                        help="only the re-import benchmark; rewrites its section of --output")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: the per-database run
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    if args.child:
        return bench_measure.child(args)
    if args.render_only:
        return bench_report.render_only(args.output)
    if args.report_from:
        saved = json.loads(args.report_from.read_text())
        args.output.write_text(bench_report.render_report(args, saved["machine"], saved["results"]), encoding="utf-8")
        return 0
    if args.reimport_only:
        return reimport_only(args)
    wrk = shutil.which("wrk")
    if not wrk:
        raise SystemExit("bench: wrk is not installed (make bench installs it: apt-get install -y wrk)")
    load_at_start = bench_report.load_average()
    workdir = args.workdir or Path(f"/tmp/mspt3-bench-{os.getpid()}")
    workdir.mkdir(parents=True, exist_ok=True)
    env = production_env(workdir)
    log("collectstatic (manifest storage, as in production)")
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=BASE_DIR, env=env, check=True)

    databases = databases_of(args, workdir, "bench")
    results = []
    for label, url in databases:
        out = workdir / f"{label}.json"
        command = [PYTHON, __file__, "--child", label, "--workdir", str(workdir)]
        command += [f"--{k}={getattr(args, k.replace('-', '_'))}" for k in CHILD_OPTIONS]
        command += [f"--fixtures={pattern}" for pattern in args.fixtures or ()]
        log(f"{label}: building the archive and measuring")
        subprocess.run(command, cwd=BASE_DIR, env={**env, "DATABASE_URL": url}, check=True)
        results.append(json.loads(out.read_text()))
        out.unlink(missing_ok=True)

    results[0]["reimport"] = measure_reimport(args, databases_of(args, workdir, "reimport", recreate=False), env,
                                              workdir)
    machine = bench_report.machine_info(wrk, load_at_start)
    report = bench_report.render_report(args, machine, results)
    print(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "results": results}, ensure_ascii=False, indent=1))
    log(f"wrote {args.output}")
    return 0


def databases_of(args, workdir: Path, name: str, recreate=True) -> list[tuple[str, str]]:
    """(label, DATABASE_URL) of each database to measure: a fresh SQLite file ``name``,
    and the bench PostgreSQL database (dropped and created again if ``recreate``)."""
    sqlite = workdir / f"{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(sqlite) + suffix).unlink(missing_ok=True)
    databases = [("SQLite", f"sqlite:///{sqlite}")]
    if not args.sqlite_only:
        url = recreate_postgres(args.postgres_db) if recreate else \
            f"postgres://postgres@127.0.0.1:5432/{args.postgres_db}"
        databases.append(("PostgreSQL", url))
    return databases


def measure_reimport(args, databases, env, workdir: Path) -> list[dict]:
    """scripts/bench_reimport.py per database (its own SQLite file; the bench PostgreSQL database)."""
    results = []
    for label, url in databases:
        out = workdir / f"reimport-{label}.json"
        log(f"{label}: re-import benchmark")
        command = [PYTHON, str(BASE_DIR / "scripts" / "bench_reimport.py"), "--child", "--output", str(out),
                   "--sizes", args.reimport_sizes]
        subprocess.run(command, cwd=BASE_DIR, env={**env, "DATABASE_URL": url}, check=True)
        results.append(json.loads(out.read_text()))
        out.unlink(missing_ok=True)
    return results


def reimport_only(args) -> int:
    workdir = args.workdir or Path(f"/tmp/mspt3-bench-{os.getpid()}")
    workdir.mkdir(parents=True, exist_ok=True)
    reimport = measure_reimport(args, databases_of(args, workdir, "reimport"), production_env(workdir), workdir)
    section = "\n".join(bench_reimport.report_lines(reimport))
    bench_report.replace_section(args.output, REIMPORT_HEADING, section, before="## Targets")
    print(section)
    log(f"wrote the re-import section of {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
