"""What ``make bench`` measures on one database (the child process of scripts/bench.py).

Each row is a path with the request headers a browser sends (Accept-Encoding gzip, or
gzip and br), measured three ways: SQL queries and the in-process time of Django's test
client (no HTTP), then requests per second with wrk against gunicorn. Every ratio is to
``/healthz`` in the same run — /healthz is loaded before and after every row and each
row is divided by the mean of the two around it, as the machine's load drifts — and a
target may instead be a ratio to another row (the cohort page to the same bytes served
as a static file).
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from dataclasses import asdict, dataclass, field
from statistics import median
from urllib.parse import quote

import bench_data
import bench_search
import bench_serve
from bench_data import log
from bench_serve import BROTLI, GZIP, HOST

# name, label, headers, target ratio, the row the target is a ratio to, wire limit (share of the HTML)
ROWS = [
    ("healthz", "/healthz (floor)", GZIP, None, None, None),
    ("static_gzip", "the cohort page's HTML as a static file (whitenoise, precompressed), gzip", GZIP,
     None, None, None),
    ("static_br", "the same static file, br", BROTLI, None, None, None),
    ("cohort_gzip", "cohort page, gzip", GZIP, 0.8, "static_gzip", 0.2),
    ("cohort_br", "cohort page, br", BROTLI, 0.8, "static_br", 0.2),
    ("largest_gzip", "largest generated cohort page, gzip", GZIP, None, None, 0.2),
    ("chapter", "chapter page, gzip", GZIP, None, None, None),
    ("home", "home page, gzip", GZIP, None, None, None),
    ("page_304", "unchanged cohort page, If-None-Match → 304", GZIP, 0.8, "healthz", None),
    ("live_304", "unchanged /live/ poll, If-None-Match → 304", GZIP, 0.8, "healthz", None),
    ("search_random", "search, a random word from the notes per request", GZIP, 0.3, "healthz", None),
    ("search_again", f"search, one of {bench_search.AGAIN_WORDS} words asked before (the shared page)", GZIP,
     None, None, None),
    ("page_floor", "login page: rendered per request with no SQL (the floor of any uncached page)", GZIP,
     None, None, None),
    ("api", "question API list, page_size=100", GZIP, None, None, None),
]
STATIC_ROWS = ("static_gzip", "static_br")
POLL_ROWS = ("page_304", "live_304")  # conditional GETs of what the server sent before


@dataclass
class Measure:
    name: str
    label: str
    path: str
    headers: dict = field(default_factory=dict)
    status: int = 0
    bytes: int = 0  # body bytes on the wire (compressed if the response is)
    encoding: str = ""
    rps: float = 0.0
    errors: int = 0
    queries: int | None = None
    queries_note: str = ""
    cold_ms: float | None = None  # in-process time of the first request after a change (cache cleared)
    warm_ms: float | None = None  # in-process median, cache as under load
    warm_ratio: float | None = None  # /healthz's warm_ms over this one's: server work only, no HTTP
    ratio: float | None = None  # requests/s over /healthz's around it
    target: float | None = None
    target_of: str | None = None
    wire_limit: float | None = None
    script: str | None = None  # a wrk Lua script making each request (the path is its first one)
    warm: list[str] = field(default_factory=list)  # paths every worker has served before the load


def child(args) -> int:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mspt3.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    label = args.child
    result = {"label": label, "vendor": connection.vendor}
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        result["db_version"] = ("SQLite " if connection.vendor == "sqlite" else "PostgreSQL ") + cursor.fetchone()[0]

    started = time.perf_counter()
    archive = bench_data.build_archive(args)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum would soon do after such a load
    result["build_seconds"] = time.perf_counter() - started
    log(f"{label}: archive built in {result['build_seconds']:.1f} s")

    measures = planned_measures(archive, args.workdir)
    archive["page_html_bytes"] = write_static_twin(measures)
    count_queries(measures)
    result["constant_queries"] = bench_data.constant_query_check(args)
    with bench_serve.gunicorn(args.workers) as port:
        measure_served(port, measures, args)
    result["archive"] = archive
    result["measures"] = [asdict(m) for m in measures]
    result["profile"] = profile_slowest(measures)
    result["import_1mb"] = bench_data.time_import(args)
    (args.workdir / f"{label}.json").write_text(json.dumps(result, ensure_ascii=False))
    return 0


def planned_measures(archive, workdir) -> list[Measure]:
    page = f"/cohorts/{quote(archive['page_slug'])}/"
    paths = {
        "healthz": "/healthz",
        "static_gzip": "/static/" + bench_serve.STATIC_COPY,
        "static_br": "/static/" + bench_serve.STATIC_COPY,
        "cohort_gzip": page,
        "cohort_br": page,
        "largest_gzip": f"/cohorts/{quote(archive['largest_slug'])}/",
        "chapter": f"/chapters/{archive['chapter']}/",
        "home": "/",
        "page_304": page,
        "live_304": page + "live/",
        "search_random": f"/search/?q={quote(archive['random_words'][0])}",
        "search_again": f"/search/?q={quote(archive['random_words'][-1])}",
        "page_floor": "/accounts/login/",
        "api": "/api/questions/?page_size=100",
    }
    measures = [
        Measure(name, label, paths[name], dict(headers), target=target, target_of=of, wire_limit=wire)
        for name, label, headers, target, of, wire in ROWS
    ]
    again = archive["random_words"][-bench_search.AGAIN_WORDS:]
    for m in measures:
        if m.name == "search_random":
            m.script = str(bench_search.wrk_script(archive["random_words"], workdir, "search_random"))
        if m.name == "search_again":
            m.script = str(bench_search.wrk_script(again, workdir, "search_again"))
            m.warm = [f"/search/?q={quote(word)}" for word in again]
    return measures


def write_static_twin(measures) -> int:
    """The cohort page's HTML, as an anonymous visitor gets it, written as the static file
    of the static rows (before gunicorn starts, so whitenoise serves it); its size."""
    from django.test import Client

    page = next(m for m in measures if m.name == "cohort_gzip")
    response = Client(SERVER_NAME=HOST).get(page.path)
    assert response.status_code == 200 and not response.has_header("Content-Encoding"), response
    url = bench_serve.write_static_copy(response.content)
    for m in measures:
        if m.name in STATIC_ROWS:
            m.path = url
    return len(response.content)


def _client_headers(headers: dict) -> dict:
    return {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}


def count_queries(measures):
    """SQL queries per page, in-process against the same database: the first request
    after clearing the caches (what a change costs), and the cached one if different."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from courses.freshness import forget
    from mspt3.pagecache import page_cache

    client = Client(SERVER_NAME=HOST)
    client.get("/healthz")  # the process's first request loads the URLconf and templates
    for m in measures:
        if m.name in STATIC_ROWS or m.name in POLL_ROWS:
            continue
        cache.clear()
        page_cache().clear()
        forget()  # the heads and fingerprints kept for anonymous pages (courses.freshness)
        counts = []
        for _ in range(2):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(m.path, **_client_headers(m.headers))
            m.cold_ms = m.cold_ms or (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (m.path, response.status_code)
            counts.append(len(ctx.captured_queries))
        m.queries = counts[0]
        m.queries_note = f" ({counts[1]} cached)" if counts[1] != counts[0] else ""
    for m in measures:
        if m.name in POLL_ROWS:
            m.headers["If-None-Match"] = client.get(m.path, **_client_headers(m.headers))["ETag"]
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(m.path, **_client_headers(m.headers))
            assert response.status_code == 304, (m.path, response.status_code)
            m.queries = len(ctx.captured_queries)
    inprocess_costs(measures)


def inprocess_costs(measures, rounds=30):
    """Median in-process time of each path, the paths taken in turn so that a load
    change on the machine hits all of them alike: what the server itself spends."""
    from django.test import Client

    client = Client(SERVER_NAME=HOST)
    served = [m for m in measures if m.name not in STATIC_ROWS]
    times = {m.name: [] for m in served}
    for _ in range(rounds):
        for m in served:
            headers = _client_headers(m.headers)
            started = time.perf_counter()
            client.get(m.path, **headers)
            times[m.name].append((time.perf_counter() - started) * 1000)
    floor = median(times["healthz"])
    for m in served:
        m.warm_ms = median(times[m.name])
        m.warm_ratio = floor / m.warm_ms


def measure_served(port, measures, args):
    """wrk on every row against gunicorn on ``port``, /healthz before and after each."""
    for m in measures:
        if m.name in POLL_ROWS:  # this server's own entity tag (the date and language are in it)
            m.headers.pop("If-None-Match", None)
            m.headers["If-None-Match"] = bench_serve.request(port, m.path, m.headers)[1]["ETag"]
    healthz = measures[0]
    floor = [load(port, healthz, args)]
    for m in measures[1:]:
        m.rps = load(port, m, args)
        floor.append(load(port, healthz, args))
        m.ratio = m.rps / ((floor[-2] + floor[-1]) / 2)
    healthz.rps, healthz.ratio = sum(floor) / len(floor), 1.0
    healthz.label += f" (mean of {len(floor)} runs, {min(floor):,.0f}–{max(floor):,.0f})"


def load(port, m, args) -> float:
    """wrk on ``m.path`` for ``--seconds`` after warming every worker's cache; req/s."""
    for _ in range(args.workers * 2):
        m.status, headers, m.bytes = bench_serve.request(port, m.path, m.headers)
    # Each request is a new connection, so a worker's turn comes around: four rounds reach both.
    for path in m.warm * (args.workers * 2):
        bench_serve.request(port, path, m.headers)
    m.encoding = headers.get("Content-Encoding", "")
    rps, errors = run_wrk(port, m, args)
    m.errors = max(m.errors, errors)
    log(f"  {m.name} {m.path} {m.status}: {rps:,.0f} req/s")
    # Requests wrk left queued are still being served; let them drain before the next run.
    time.sleep(0.2 + args.connections / max(rps, 1))
    return rps


def run_wrk(port, m, args):
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{args.seconds:g}s", "--timeout=10s"]
    if m.script:
        command += ["-s", m.script]
    for name, value in m.headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [f"http://{HOST}:{port}{m.path}"], capture_output=True, text=True, check=True)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output.stdout).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output.stdout))
    socket_errors = re.search(r"Socket errors: (.*)", output.stdout)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return rps, errors


def profile_slowest(measures) -> dict:
    """pyinstrument over in-process requests of the slowest page, cache as under load: warm,
    or for a row that asks for another word each time (a wrk script), a miss every time."""
    from django.test import Client
    from pyinstrument import Profiler

    from mspt3.pagecache import page_cache

    candidates = [m for m in measures if m.name not in ("healthz", *STATIC_ROWS, *POLL_ROWS) and m.rps]
    slowest = min(candidates, key=lambda m: m.rps)
    client = Client(SERVER_NAME=HOST)
    headers = _client_headers(slowest.headers)
    client.get(slowest.path, **headers)
    requests = 30
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(requests):
            if slowest.script and not slowest.warm:
                page_cache().clear()
            client.get(slowest.path, **headers)
    text = profiler.output_text(unicode=True, color=False, show_all=False, short_mode=False)
    # The call tree below the first frames is what matters; keep the document readable.
    trimmed = "\n".join(line for line in text.splitlines()[:90] if line.strip())
    return {"label": slowest.label, "path": slowest.path, "requests": requests, "text": trimmed,
            "cache": "page cache cleared before each request" if slowest.script and not slowest.warm else "warm"}
