#!/usr/bin/env python
"""The benchmark behind ``make bench``.

For each database (SQLite, then PostgreSQL unless ``--sqlite-only``) a child
process of this script, configured like production (DJANGO_DEBUG=0, a fresh
secret key, whitenoise, no HTTPS redirect, the API's anonymous throttle off):

1. migrates an empty database and loads an archive of notes files made from the
   project's fixtures (scripts/bench_corpus.py) through the real importer;
2. counts the SQL queries of every measured page in-process
   (CaptureQueriesContext, same database);
3. serves the archive with gunicorn on 127.0.0.1 and measures each path with wrk
   for ``--seconds``, /healthz before and after (the floor; the ratio uses their mean);
4. profiles the slowest page in-process with pyinstrument;
5. times the import of a ~1 MB notes file through the importer;
6. times re-importing 0.5, 1 and 2 MB files with every question reworded
   (scripts/bench_reimport.py, a child process per database).

``--reimport-only`` runs step 6 alone and rewrites only its section of --output.

The parent prints the table and writes it, with the machine it ran on, to
docs/benchmarks.md (``--output``). Nothing here is a pass/fail test; the targets
are reported as met or not.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "scripts"))

import bench_corpus  # noqa: E402
import bench_reimport  # noqa: E402

PYTHON = sys.executable
POSTGRES_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
FINDINGS = BASE_DIR / "scripts" / "bench_findings.md"
HOST = "127.0.0.1"
# Searched words, in order of preference: a noun of the course that many questions use.
SEARCH_WORDS = ("컨테이너", "이미지", "쿠버네티스", "파드", "서비스", "네트워크")

# name, target ratio to /healthz (None: no target), which database the target applies to
ROWS = [
    ("healthz", "/healthz (floor)", None, None),
    ("cohort", "largest cohort page", 0.5, None),
    ("cohort_304", "unchanged cohort page, If-None-Match → 304", 0.8, None),
    ("chapter", "chapter page", 0.4, None),
    ("search", "search", 0.3, "postgresql"),
    ("api", "question API list, page_size=100", None, None),
]


@dataclass
class Measure:
    name: str
    label: str
    path: str
    status: int = 0
    bytes: int = 0
    rps: float = 0.0
    errors: int = 0
    queries: int | None = None
    queries_note: str = ""
    cold_ms: float | None = None  # in-process time of the first request after a change (cache cleared)
    warm_ms: float | None = None  # in-process median, cache as under load
    warm_ratio: float | None = None  # /healthz's warm_ms over this one's: server work only, no HTTP
    ratio: float | None = None
    target: float | None = None
    target_db: str | None = None

    @property
    def met(self):
        if self.target is None or self.ratio is None:
            return None
        return self.ratio >= self.target


@dataclass
class Result:
    label: str
    vendor: str = ""
    db_version: str = ""
    archive: dict = field(default_factory=dict)
    measures: list = field(default_factory=list)
    constant_queries: dict = field(default_factory=dict)
    import_1mb: dict = field(default_factory=dict)
    profile: dict = field(default_factory=dict)
    build_seconds: float = 0.0


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the parent


def main(argv=None):
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
    args = parser.parse_args(argv)
    if args.child:
        return child(args)
    if args.render_only:
        return render_only(args.output)
    if args.report_from:
        saved = json.loads(args.report_from.read_text())
        args.output.write_text(render_report(args, saved["machine"], saved["results"]), encoding="utf-8")
        return 0

    if args.reimport_only:
        return reimport_only(args)
    wrk = shutil.which("wrk")
    if not wrk:
        raise SystemExit("bench: wrk is not installed (make bench installs it: apt-get install -y wrk)")
    workdir = args.workdir or Path(f"/tmp/mspt3-bench-{os.getpid()}")
    workdir.mkdir(parents=True, exist_ok=True)
    env = production_env(workdir)
    log("collectstatic (manifest storage, as in production)")
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=BASE_DIR, env=env, check=True)

    databases = [("SQLite", f"sqlite:///{workdir / 'bench.sqlite3'}")]
    if not args.sqlite_only:
        databases.append(("PostgreSQL", recreate_postgres(args.postgres_db)))
    results = []
    for label, url in databases:
        if url.startswith("sqlite"):
            for suffix in ("", "-wal", "-shm"):
                Path(str(workdir / "bench.sqlite3") + suffix).unlink(missing_ok=True)
        out = workdir / f"{label}.json"
        command = [PYTHON, __file__, "--child", label, "--workdir", str(workdir)]
        command += [f"--{k}={getattr(args, k.replace('-', '_'))}" for k in CHILD_OPTIONS]
        command += [f"--fixtures={pattern}" for pattern in args.fixtures or ()]
        log(f"{label}: building the archive and measuring")
        subprocess.run(command, cwd=BASE_DIR, env={**env, "DATABASE_URL": url}, check=True)
        results.append(json.loads(out.read_text()))
        out.unlink(missing_ok=True)

    reimport = measure_reimport(args, databases, env, workdir)
    machine = machine_info(wrk)
    results[0]["reimport"] = reimport
    report = render_report(args, machine, results)
    print(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "results": results}, ensure_ascii=False, indent=1))
    log(f"wrote {args.output}")
    return 0


def measure_reimport(args, databases, env, workdir: Path) -> list[dict]:
    """scripts/bench_reimport.py per database (its own SQLite file; the bench PostgreSQL database)."""
    results = []
    for label, url in databases:
        if url.startswith("sqlite"):
            url = f"sqlite:///{workdir / 'reimport.sqlite3'}"
            for suffix in ("", "-wal", "-shm"):
                Path(str(workdir / "reimport.sqlite3") + suffix).unlink(missing_ok=True)
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
    databases = [("SQLite", "sqlite:")]
    if not args.sqlite_only:
        databases.append(("PostgreSQL", recreate_postgres(args.postgres_db)))
    section = "\n".join(bench_reimport.report_lines(measure_reimport(args, databases, production_env(workdir),
                                                                      workdir)))
    old = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    start = old.find(REIMPORT_HEADING)
    if start < 0:
        start = old.find("## Targets") if "## Targets" in old else len(old)
        end = start
    else:
        following = old.find("\n## ", start + 1)
        end = following + 1 if following >= 0 else len(old)
    args.output.write_text(old[:start] + section + "\n\n" + old[end:].lstrip("\n"), encoding="utf-8")
    print(section)
    log(f"wrote the re-import section of {args.output}")
    return 0


REIMPORT_HEADING = bench_reimport.report_lines([])[0]
CHILD_OPTIONS = ("cohorts", "questions", "seconds", "connections", "workers", "import-bytes", "seed")


def production_env(workdir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MSPT3_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        DJANGO_LOG_LEVEL="ERROR",
        # The API throttles anonymous clients per address; a load test is one address.
        MSPT3_API_ANON_RATE="off",
        PYTHONUNBUFFERED="1",
    )
    return env


def recreate_postgres(name: str) -> str:
    import psycopg

    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"bench: {name!r} is not a plain database name")
    with psycopg.connect(POSTGRES_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
        # The setting for SSD storage (the default 4 is for spinning disks); with it the
        # planner uses the pg_trgm indexes for a search word that few questions contain.
        conn.execute(f"ALTER DATABASE {name} SET random_page_cost = 1.1")
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def machine_info(wrk: str) -> dict:
    import django

    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), platform.processor())
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    wrk_version = subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.split("\n")[0].strip()
    gunicorn_version = subprocess.run(
        [PYTHON, "-c", "import gunicorn; print(gunicorn.__version__)"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn_version,
        "wrk": wrk_version.split(" [")[0],
    }


def render_report(args, machine, results) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`scripts/bench.py`); do not edit by hand — the findings",
        "at the end come from `scripts/bench_findings.md`.",
        "",
        f"Run on {date.today().isoformat()}: {args.cohorts} cohorts, {args.questions} questions, "
        f"{args.seconds:g} s of load per path with wrk ({args.connections} connections, 1 thread) against "
        f"gunicorn ({args.workers} sync workers) on {HOST}, DJANGO_DEBUG=0, whitenoise, "
        "cache: per-process LocMemCache (the default).",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
    ]
    lines += [f"| {key} | {value} |" for key, value in machine.items()]
    lines += [f"| {r['label']} | {r['db_version']} |" for r in results]
    for result in results:
        lines += ["", f"## {result['label']}", ""]
        archive = result["archive"]
        lines.append(
            f"Archive: {archive['cohorts']} cohorts ({archive['public']} public), {archive['questions']} questions "
            f"({archive['imported']} cohorts through the importer), built in {result['build_seconds']:.1f} s. "
            f"Largest cohort: `{archive['largest_slug']}`, {archive['largest_questions']} questions. "
            f"Chapter {archive['chapter']}: {archive['chapter_questions']} visible questions. "
            f"Search word `{archive['search_word']}`: {archive['search_hits']} matching questions."
        )
        lines += ["", *table_lines(result), ""]
        constant = result["constant_queries"]
        if constant:
            sizes = ", ".join(f"{n} questions → {q} queries" for n, q in constant["counts"].items())
            verdict = "constant" if constant["constant"] else "NOT constant"
            lines.append(f"SQL queries of a cohort page (uncached) by size of the cohort: {sizes} — {verdict}.")
        imp = result["import_1mb"]
        if imp:
            # CaptureQueriesContext keeps at most 9,000 queries.
            queries = f"{imp['queries']:,}" + (" or more" if imp["queries"] >= 9000 else "")
            lines.append(
                f"Import of a {imp['bytes'] / 1e6:.2f} MB notes file ({imp['questions']} questions) through "
                f"`{imp['function']}`: {imp['seconds']:.2f} s, {imp['questions'] / imp['seconds']:.0f} questions/s, "
                f"{queries} SQL queries."
            )
    if results and results[0].get("reimport"):
        lines += ["", *bench_reimport.report_lines(results[0]["reimport"])]
    lines += ["", "## Targets", "", *target_lines(results), ""]
    profiled = [r for r in results if r.get("profile")]
    for result in profiled:
        profile = result["profile"]
        lines += [
            "",
            f"## Profile of the slowest page ({result['label']}): {profile['label']}",
            "",
            f"pyinstrument over {profile['requests']} in-process requests of `{profile['path']}` "
            "(same cache state as under load):",
            "",
            "```",
            profile["text"].rstrip(),
            "```",
        ]
    lines += ["", *render_section()]
    if FINDINGS.exists():
        lines += ["", FINDINGS.read_text(encoding="utf-8").rstrip()]
    return "\n".join(lines) + "\n"


def render_section() -> list[str]:
    """The rendering cost of the worst accepted inputs (scripts/bench_render.py), between markers."""
    import django

    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mspt3.settings")
    django.setup()
    import bench_render

    return [RENDER_BEGIN, *bench_render.report_lines(bench_render.measure()), RENDER_END]


def render_only(output: Path) -> int:
    """Measure rendering alone and replace that section of ``output`` (the rest stays as it was)."""
    section = "\n".join(render_section())
    report = output.read_text(encoding="utf-8") if output.exists() else ""
    if RENDER_BEGIN in report:
        head, rest = report.split(RENDER_BEGIN, 1)
        report = head + section + rest.split(RENDER_END, 1)[1]
    else:
        marker = "\n## Findings and changes"
        head, found, tail = report.partition(marker)
        report = head.rstrip("\n") + "\n\n" + section + "\n" + (found + tail if found else "")
    print(section)
    output.write_text(report, encoding="utf-8")
    log(f"wrote the rendering section of {output}")
    return 0


RENDER_BEGIN = "<!-- rendering cost: scripts/bench_render.py -->"
RENDER_END = "<!-- end of rendering cost -->"


def table_lines(result) -> list[str]:
    lines = [
        "| Path | URL | Status | Requests/s | × /healthz | SQL queries | In-process: uncached · warm "
        "(× /healthz) | Target | Met |",
        "| --- | --- | --- | ---: | ---: | --- | ---: | --- | --- |",
    ]
    for m in result["measures"]:
        m = Measure(**m)
        ratio = "—" if m.ratio is None else f"{m.ratio:.2f}"
        target = "" if m.target is None else f"≥ {m.target}" + (f" ({m.target_db})" if m.target_db else "")
        applies = m.target_db in (None, result["vendor"])
        met = "" if m.met is None else ("yes" if m.met else "no") if applies else "(n/a here)"
        queries = "" if m.queries is None else f"{m.queries}{m.queries_note}"
        errors = f" ({m.errors} errors)" if m.errors else ""
        cold = "—" if m.cold_ms is None else f"{m.cold_ms:,.0f} ms"
        cold += f" · {m.warm_ms:,.1f} ms ({m.warm_ratio:.2f})" if m.warm_ms is not None else ""
        lines.append(
            f"| {m.label} | `{m.path}` | {m.status} | {m.rps:,.0f}{errors} | {ratio} | {queries} | {cold} "
            f"| {target} | {met} |"
        )
    return lines


def target_lines(results) -> list[str]:
    lines = []
    for result in results:
        for m in map(lambda d: Measure(**d), result["measures"]):
            if m.target is None or m.target_db not in (None, result["vendor"]):
                continue
            state = "met" if m.met else "NOT met"
            inprocess = f"; in-process {m.warm_ratio:.2f}" if m.warm_ratio is not None else ""
            lines.append(
                f"- {result['label']}, {m.label}: {m.ratio:.2f} × /healthz under load{inprocess}, "
                f"target ≥ {m.target} — {state}"
            )
        constant = result["constant_queries"]
        if constant:
            state = "met" if constant["constant"] else "NOT met"
            lines.append(f"- {result['label']}, SQL queries per cohort page constant in its questions — {state}")
    return lines


# ---------------------------------------------------------------- the child (one database)


def child(args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mspt3.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    label = args.child
    result = Result(label=label, vendor=connection.vendor)
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        result.db_version = ("SQLite " if connection.vendor == "sqlite" else "PostgreSQL ") + cursor.fetchone()[0]

    started = time.perf_counter()
    result.archive = build_archive(args)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum would soon do after such a load
    result.build_seconds = time.perf_counter() - started
    log(f"{label}: archive built in {result.build_seconds:.1f} s")

    measures = planned_measures(result.archive)
    count_queries(measures)
    result.constant_queries = constant_query_check(args)
    serve_and_measure(args, measures)
    result.measures = [asdict(m) for m in measures]
    result.profile = profile_slowest(measures)
    result.import_1mb = time_import(args)
    (args.workdir / f"{label}.json").write_text(json.dumps(asdict(result), ensure_ascii=False))
    return 0


def fixtures_of(args):
    return bench_corpus.load_fixtures(BASE_DIR, args.fixtures or bench_corpus.FIXTURE_GLOBS)


def import_text(text, slug):
    """The real importer; returns the cohort. One place that knows its signature."""
    from notes.importer import import_notes_text

    outcome = import_notes_text(text, slug=slug)
    return getattr(outcome, "cohort", outcome)


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

    largest = (
        Cohort.objects.filter(is_public=True)
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
    hits = {word: visible.search(word).count() for word in SEARCH_WORDS}
    word = max(hits, key=hits.get)
    return {
        "cohorts": Cohort.objects.count(),
        "public": Cohort.objects.filter(is_public=True).count(),
        "imported": len(counts),
        "questions": Question.objects.count(),
        "largest_slug": largest["slug"],
        "largest_questions": largest["n"],
        "chapter": chapter["chapter__number"],
        "chapter_questions": chapter["n"],
        "search_word": word,
        "search_hits": hits[word],
    }


def planned_measures(archive) -> list[Measure]:
    from urllib.parse import quote

    paths = {
        "healthz": "/healthz",
        "cohort": f"/cohorts/{quote(archive['largest_slug'])}/",
        "cohort_304": f"/cohorts/{quote(archive['largest_slug'])}/",
        "chapter": f"/chapters/{archive['chapter']}/",
        "search": f"/search/?q={quote(archive['search_word'])}",
        "api": "/api/questions/?page_size=100",
    }
    return [Measure(name, label, paths[name], target=t, target_db=db) for name, label, t, db in ROWS]


def count_queries(measures):
    """SQL queries per page, in-process against the same database: the first request
    after clearing the cache (what a change costs), and the cached one if different."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME=HOST)
    client.get("/healthz")  # the process's first request loads the URLconf and templates
    for m in measures:
        if m.name == "cohort_304":
            continue
        cache.clear()
        counts = []
        for _ in range(2):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(m.path)
            m.cold_ms = m.cold_ms or (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (m.path, response.status_code)
            counts.append(len(ctx.captured_queries))
        m.queries = counts[0]
        m.queries_note = f" ({counts[1]} cached)" if counts[1] != counts[0] else ""
    page = next(m for m in measures if m.name == "cohort")
    etag = client.get(page.path)["ETag"]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(page.path, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304, response.status_code
    next(m for m in measures if m.name == "cohort_304").queries = len(ctx.captured_queries)
    inprocess_costs(measures, etag)


def inprocess_costs(measures, etag, rounds=30):
    """Median in-process time of each path, the paths taken in turn so that a load
    change on the machine hits all of them alike: what the server itself spends."""
    from statistics import median

    from django.test import Client

    client = Client(SERVER_NAME=HOST)
    times = {m.name: [] for m in measures}
    for _ in range(rounds):
        for m in measures:
            headers = {"HTTP_IF_NONE_MATCH": etag} if m.name == "cohort_304" else {}
            started = time.perf_counter()
            client.get(m.path, **headers)
            times[m.name].append((time.perf_counter() - started) * 1000)
    floor = median(times["healthz"])
    for m in measures:
        m.warm_ms = median(times[m.name])
        m.warm_ratio = floor / m.warm_ms


def constant_query_check(args) -> dict:
    """Queries of an uncached cohort page for a small and a large cohort of the same shape."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from courses.models import Cohort

    client = Client(SERVER_NAME=HOST)
    fixtures = fixtures_of(args)
    counts = {}
    # 10 and 500 questions; a tiny archive (the test suite's run) compares 10 and 50.
    for size in (10, max(50, min(500, args.questions // 20))):
        rng = random.Random(size)
        cohort = import_text(bench_corpus.variant(fixtures[0], f"쿼리 수 {size}", size, rng), slug=f"queries-{size}")
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(cohort.get_absolute_url()).status_code == 200
        counts[size] = len(ctx.captured_queries)
        Cohort.objects.filter(pk=cohort.pk).delete()
    return {"counts": counts, "constant": len(set(counts.values())) == 1}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def request(port, path, headers=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheader("ETag"), len(response.read())
    finally:
        conn.close()


def serve_and_measure(args, measures):
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "mspt3.wsgi:application",
            f"--bind={HOST}:{port}",
            f"--workers={args.workers}",
            "--log-level=warning",
        ],
        cwd=BASE_DIR,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if request(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("bench: gunicorn did not come up")
            time.sleep(0.2)
        by_name = {m.name: m for m in measures}
        etag = request(port, by_name["cohort"].path)[1]
        healthz = by_name["healthz"]
        # /healthz before and after every path: the load on a shared machine drifts, so
        # each ratio is to the mean of the two /healthz runs around it.
        floor = [load(port, healthz, {}, args)[0]]
        for m in measures[1:]:
            m.rps, m.errors = load(port, m, {"If-None-Match": etag} if m.name == "cohort_304" else {}, args)
            floor.append(load(port, healthz, {}, args)[0])
            m.ratio = m.rps / ((floor[-2] + floor[-1]) / 2)
        healthz.rps, healthz.ratio = sum(floor) / len(floor), 1.0
        healthz.label += f" (mean of {len(floor)} runs, {min(floor):,.0f}–{max(floor):,.0f})"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def load(port, m, headers, args):
    """wrk on ``m.path`` for ``--seconds`` after warming every worker's cache; (req/s, errors)."""
    for _ in range(args.workers * 2):
        m.status, _, m.bytes = request(port, m.path, headers)
    rps, errors = run_wrk(port, m.path, headers, args)
    log(f"  {m.path} {m.status}: {rps:,.0f} req/s")
    # Requests wrk left queued are still being served; let them drain before the next run.
    time.sleep(0.2 + args.connections / max(rps, 1))
    return rps, errors


def run_wrk(port, path, headers, args):
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{args.seconds:g}s", "--timeout=10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [f"http://{HOST}:{port}{path}"], capture_output=True, text=True, check=True)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output.stdout).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output.stdout))
    socket_errors = re.search(r"Socket errors: (.*)", output.stdout)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return rps, errors


def profile_slowest(measures) -> dict:
    """pyinstrument over in-process requests of the slowest page, cache warm as under load."""
    from django.test import Client
    from pyinstrument import Profiler

    candidates = [m for m in measures if m.name not in ("healthz", "cohort_304") and m.rps]
    slowest = min(candidates, key=lambda m: m.rps)
    client = Client(SERVER_NAME=HOST)
    client.get(slowest.path)
    requests = 30
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(requests):
            client.get(slowest.path)
    text = profiler.output_text(unicode=True, color=False, show_all=False, short_mode=False)
    # The call tree below the first frames is what matters; keep the document readable.
    trimmed = "\n".join(line for line in text.splitlines()[:90] if line.strip())
    return {"label": slowest.label, "path": slowest.path, "requests": requests, "text": trimmed}


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


if __name__ == "__main__":
    sys.exit(main())
