#!/usr/bin/env python
"""What the Korean analyser costs a deployment (issue 14's "analyser's cost"; run by ``make bench``,
nothing here is a pass/fail test):

- start-up: a fresh Python process importing Django and the site, then loading Kiwi and teaching
  it the glossary (``search.glossary.warm_up``), wall time and resident memory, median of 3;
- memory per web worker: gunicorn with the site's own settings file (deploy/gunicorn.conf.py, two
  workers) on a scratch SQLite database holding the demo cohort, with ``--preload`` (the image's
  default) and without; after the same warm-up searches on every worker, the proportional set size
  (PSS, /proc/<pid>/smaps_rollup: pages shared by n processes count 1/n to each) of the master and
  of each worker;
- import of a 1 MB notes file with the search analysis and index writes, and with them switched off
  (the same text, the same fresh database kind), through ``notes.importer.import_notes_text``.

    python scripts/analyser_cost.py [--output docs/benchmarks.md] [--import-bytes N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "scripts"))

import bench_serve  # noqa: E402
from search_eval import write_section  # noqa: E402  (scripts/, beside this one)

BEGIN, END = "<!-- analyser-cost -->", "<!-- /analyser-cost -->"
WARM_UP_SEARCHES = ["컨테이너를 지우면", "볼륨", "ingress", "포트포워딩", "파드가 재시작"]

STARTUP = """
import json, os, resource, time
started = time.perf_counter()
import django
django.setup()
from django.urls import resolve
resolve("/")
site = time.perf_counter()
rss_site = int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
from search.glossary import warm_up
warm_up()
done = time.perf_counter()
rss_all = int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
print(json.dumps({"site_s": site - started, "analyser_s": done - site, "rss_site": rss_site, "rss_all": rss_all}))
"""


def _env(workdir: Path) -> dict:
    env = bench_serve.production_env(workdir)
    env["DATABASE_URL"] = f"sqlite:///{workdir / 'cost.sqlite3'}"
    env["DJANGO_SETTINGS_MODULE"] = "mspt3.settings"
    env["PYTHONPATH"] = str(BASE_DIR)
    return env


def startup(env) -> dict:
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", STARTUP], cwd=BASE_DIR, env=env, check=True,
                             capture_output=True, text=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def _pss(pid: int) -> int:
    """Proportional set size of ``pid`` in bytes."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no Pss line for {pid}")


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


def worker_memory(env, preload: bool) -> dict:
    """PSS of gunicorn's master and workers after the warm-up searches."""
    from urllib.parse import quote

    port = bench_serve.free_port()
    run_env = dict(env, GUNICORN_PRELOAD="1" if preload else "0", WEB_CONCURRENCY="2", GUNICORN_THREADS="1",
                   PORT=str(port), LISTEN_ADDRESS=bench_serve.HOST)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "mspt3.wsgi:application",
         "--log-level=warning"],
        cwd=BASE_DIR, env=run_env, start_new_session=True,
    )
    try:
        bench_serve.wait_until_up(server, port, seconds=120)
        while len(_children(server.pid)) < 2:
            time.sleep(0.1)
        # Four at a time, so both workers are busy (one after another, one idle worker may take
        # them all). Each query is a new one (a word of its own added): no page kept before answers it.
        paths = [f"/search/?q={quote(f'{word} 회차{n}')}" for n in range(6) for word in WARM_UP_SEARCHES]
        with ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(lambda path: bench_serve.request(port, path)[0], paths))
        assert statuses == [200] * len(paths), statuses
        workers = _children(server.pid)
        return {"preload": preload, "master": _pss(server.pid), "workers": [_pss(pid) for pid in workers]}
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def import_cost(workdir: Path, size: int) -> dict:
    """Seconds to import ``size`` bytes of notes, with and without the search analysis."""
    os.environ.update(_env(workdir))
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    import bench_corpus
    from django.core.management import call_command

    import notes.import_write as import_write
    from notes.importer import import_notes_text
    from search.glossary import warm_up

    call_command("migrate", verbosity=0, interactive=False)
    warm_up()  # the analyser's start-up is its own figure above, not the import's
    fixtures = bench_corpus.load_fixtures(BASE_DIR, bench_corpus.FIXTURE_GLOBS)
    text, _ = bench_corpus.notes_of_size(fixtures, size, random.Random(7))
    original = (import_write.prepare, import_write.write_documents)
    results = {"bytes": len(text.encode())}
    for label, indexed in (("with", True), ("without", False)):
        if not indexed:
            import_write.prepare = lambda texts, **kwargs: {}
            import_write.write_documents = lambda rows, prepared, **kwargs: 0
        try:
            started = time.perf_counter()
            import_notes_text(text, slug=f"cost-import-{label}")
            results[label] = time.perf_counter() - started
        finally:
            import_write.prepare, import_write.write_documents = original
    from qa.models import Question
    from search.models import SearchDocument

    results["questions"] = Question.objects.filter(section__cohort__slug="cost-import-with").count()
    results["indexed_with"] = SearchDocument.objects.filter(question__section__cohort__slug="cost-import-with").count()
    results["indexed_without"] = SearchDocument.objects.filter(
        question__section__cohort__slug="cost-import-without").count()
    return results


def _mb(n: float) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def markdown(result: dict) -> str:
    start, imp = result["startup"], result["import"]
    added = imp["with"] - imp["without"]
    lines = [
        BEGIN,
        "## The Korean analyser's cost (`scripts/analyser_cost.py`)",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d}; load average at the start {result['load']}.",
        "",
        f"**Start-up** (a fresh process, median of 3): the site itself (Django set up, URLconf loaded) "
        f"{start['site_s']:.2f} s and {_mb(start['rss_site'])} resident; then Kiwi loaded and taught the "
        f"glossary (`search.glossary.warm_up`) {start['analyser_s']:.2f} s more, {_mb(start['rss_all'])} "
        f"resident in all (+{_mb(start['rss_all'] - start['rss_site'])}).",
        "",
        "**Memory per web worker** (gunicorn, `deploy/gunicorn.conf.py`, 2 workers, after the same "
        f"{len(WARM_UP_SEARCHES) * 6} uncached searches spread over both; PSS counts a page shared by "
        "n processes 1/n to each):",
        "",
        "| gunicorn | master PSS | each worker's PSS | all processes |",
        "| --- | ---: | ---: | ---: |",
    ]
    for run in result["memory"]:
        total = run["master"] + sum(run["workers"])
        name = "`--preload` (the image's default)" if run["preload"] else "without `--preload`"
        lines.append(f"| {name} | {_mb(run['master'])} | {', '.join(_mb(w) for w in run['workers'])} | {_mb(total)} |")
    lines += [
        "",
        f"**Import of a {imp['bytes'] / 1e6:.2f} MB notes file** ({imp['questions']} questions, "
        "`notes.importer.import_notes_text`, SQLite, analyser already loaded): "
        f"{imp['with']:.2f} s with the search analysis and index ({imp['indexed_with']} documents written), "
        f"{imp['without']:.2f} s with both switched off ({imp['indexed_without']} written): the analysis adds "
        f"{added:.2f} s, {1000 * added / max(imp['questions'], 1):.2f} ms "
        "per question, all of it before the import's write transaction.",
        END,
    ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=BASE_DIR / "docs" / "benchmarks.md")
    parser.add_argument("--import-bytes", type=int, default=1_000_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mspt3-analyser-") as scratch:
        workdir = Path(scratch)
        env = _env(workdir)
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        for command in (["migrate", "--no-input", "-v0"], ["load_demo"], ["collectstatic", "--no-input", "-v0"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, check=True,
                           capture_output=True)
        result = {"load": load, "startup": startup(env),
                  "memory": [worker_memory(env, preload) for preload in (True, False)]}
        (workdir / "cost.sqlite3").unlink()
        result["import"] = import_cost(workdir, args.import_bytes)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    write_section(args.output, markdown(result), BEGIN, END)
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
