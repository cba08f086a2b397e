#!/usr/bin/env python
"""Where an unchanged conditional poll spends its time, in-process (issue 18, item 2).

Configured like production (scripts/bench_serve.production_env: DJANGO_DEBUG=0,
whitenoise…), on a scratch SQLite database (or DATABASE_URL) holding the demo
cohort, requests go through Django's real WSGI handler, as gunicorn calls it
(request_finished and all), with no HTTP around them:

1. the median time of ``/healthz``, the page's 304 and ``/live/``'s 304;
2. the time of each middleware on the 304, measured by a timestamp middleware
   between every two of settings.MIDDLEWARE (what a layer costs is its time in
   on the way down plus out on the way up; the innermost slot is URL resolution,
   the views' process_view hooks and the view);
3. cProfile of the page's 304, the top functions by their own time.

    python scripts/profile_poll.py [--requests N] [--json FILE]

Nothing here is a pass/fail test; docs/benchmarks.md quotes its figures.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "scripts"))

import bench_serve  # noqa: E402

HOST = bench_serve.HOST
_stamps: list[list[float]] = []  # per slot: [time in, time out] of the current request


def _stamp_class(slot: int):
    class Stamp:
        def __init__(self, get_response):
            self.get_response = get_response

        def __call__(self, request):
            record = _stamps[slot]
            record[0] = time.perf_counter()
            response = self.get_response(request)
            record[1] = time.perf_counter()
            return response

    Stamp.__name__ = Stamp.__qualname__ = f"Stamp{slot}"
    return Stamp


def interleaved(middleware: list[str]) -> list[str]:
    """``middleware`` with a timestamp before each one and after the last."""
    module = sys.modules[__name__]
    out = []
    for slot in range(len(middleware) + 1):
        setattr(module, f"Stamp{slot}", _stamp_class(slot))
        _stamps.append([0.0, 0.0])
        out.append(f"{module.__name__}.Stamp{slot}")
        if slot < len(middleware):
            out.append(middleware[slot])
    return out


def environ(path: str, headers: dict) -> dict:
    from wsgiref.util import setup_testing_defaults

    path, _, query = path.partition("?")
    env = {"PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": HOST, "HTTP_HOST": HOST,
           "REQUEST_METHOD": "GET"}
    env.update({"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()})
    setup_testing_defaults(env)
    return env


def call(handler, path, headers):
    """One request through the WSGI handler as gunicorn makes it: (status, headers)."""
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(response_headers)

    body = handler(environ(path, headers), start_response)
    for _chunk in body:
        pass
    body.close()  # request_finished: Django closes or keeps the connection here
    return seen["status"], seen["headers"]


def median_ms(handler, path, headers, requests) -> float:
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        call(handler, path, headers)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def per_middleware(handler, middleware, path, headers, requests) -> list[tuple[str, float]]:
    """Median microseconds of each middleware (in + out) and of the innermost slot."""
    samples = [[] for _ in range(len(middleware) + 1)]
    for _ in range(requests):
        call(handler, path, headers)
        for slot in range(len(middleware)):
            outer, inner = _stamps[slot], _stamps[slot + 1]
            if inner[0] < outer[0]:  # the middleware answered itself: the rest did not run
                samples[slot].append((outer[1] - outer[0]) * 1e6)
                continue
            samples[slot].append(((inner[0] - outer[0]) + (outer[1] - inner[1])) * 1e6)
        last = _stamps[-1]
        samples[-1].append(max(0.0, last[1] - last[0]) * 1e6)
        for record in _stamps:
            record[0] = record[1] = 0.0
    names = [*middleware, "URL resolution + process_view + the view"]
    return [(name, statistics.median(values)) for name, values in zip(names, samples, strict=True)]


def top_functions(handler, path, headers, requests, limit=25) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        call(handler, path, headers)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime")
    stats.print_stats(limit)
    text = out.getvalue()
    return text[text.find("   ncalls"):].rstrip()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="mspt3-profile-poll-"))
    os.environ.update(bench_serve.production_env(scratch))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'poll.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mspt3.settings")
    import django
    from django.conf import settings

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command

    call_command("collectstatic", verbosity=0, interactive=False)  # the manifest {% static %} reads
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", verbosity=0)
    middleware = list(settings.MIDDLEWARE)
    plain = WSGIHandler()
    gzip = {"Accept-Encoding": "gzip, deflate, br"}
    page, live = "/cohorts/demo/", "/cohorts/demo/live/"
    page_tag = call(plain, page, gzip)[1]["ETag"]
    live_tag = call(plain, live, gzip)[1]["ETag"]
    polls = {
        "/healthz": ("/healthz", gzip),
        "page, 304": (page, {**gzip, "If-None-Match": page_tag}),
        "/live/, 304": (live, {**gzip, "If-None-Match": live_tag}),
    }
    for name, (path, headers) in polls.items():
        status = call(plain, path, headers)[0]
        assert status == (200 if path == "/healthz" else 304), (name, status)
    for path, headers in polls.values():  # warm: compiled lookups, URLconf, translations
        median_ms(plain, path, headers, 50)
    figures = {"database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1], "requests": args.requests}
    figures["median_ms"] = {name: median_ms(plain, p, h, args.requests) for name, (p, h) in polls.items()}

    settings.MIDDLEWARE = interleaved(middleware)
    stamped = WSGIHandler()
    figures["middleware_us"] = {
        name: per_middleware(stamped, middleware, p, h, args.requests) for name, (p, h) in polls.items()
        if name != "/healthz"
    }
    settings.MIDDLEWARE = middleware
    figures["cprofile"] = top_functions(plain, *polls["page, 304"], requests=args.requests)

    print(f"{figures['database']}, median of {args.requests} requests, in-process:")
    for name, ms in figures["median_ms"].items():
        print(f"  {name:14} {ms * 1000:7.0f} µs  ({figures['median_ms']['/healthz'] / ms:.2f} × /healthz)")
    for poll, rows in figures["middleware_us"].items():
        print(f"\nper middleware, {poll} (µs, median):")
        for name, us in rows:
            print(f"  {us:7.1f}  {name}")
    print("\ncProfile of the page's 304, by own time:\n" + figures["cprofile"])
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
