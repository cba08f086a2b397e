"""docs/benchmarks.md from the results of ``make bench``: the machine, one table per
database (requests/s as a ratio of /healthz in the same run, bytes on the wire, SQL
queries, in-process cost), the targets met or not, profiles, the rendering cost section
(scripts/bench_render.py) and the hand-written findings (scripts/bench_findings.md)."""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import bench_reimport
from bench_measure import Measure
from bench_serve import HOST, PYTHON

BASE_DIR = Path(__file__).resolve().parent.parent
FINDINGS = BASE_DIR / "scripts" / "bench_findings.md"
RENDER_BEGIN = "<!-- rendering cost: scripts/bench_render.py -->"
RENDER_END = "<!-- end of rendering cost -->"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine_info(wrk: str, load_at_start: str) -> dict:
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
        # Other engineers share the cores: the ratios within one run are what compare.
        "load average (1, 5, 15 min), start → end": f"{load_at_start} → {load_average()}",
    }


def measures_of(result) -> list[Measure]:
    return [Measure(**m) for m in result["measures"]]


def target_ratio(m: Measure, by_name: dict) -> float | None:
    """``m``'s rate over the rate of the row its target is about (both over /healthz in the run)."""
    if m.target is None or m.ratio is None:
        return None
    base = by_name[m.target_of]
    return m.ratio / base.ratio if base.ratio else None


def wire_share(m: Measure, result) -> float | None:
    return m.bytes / result["archive"]["page_html_bytes"] if m.wire_limit is not None and m.name != "largest_gzip" \
        else None


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
        "cache: per-process LocMemCache (the default). Every request carries `Accept-Encoding` as a browser's "
        "does (`gzip, deflate`, or with `br`).",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
    ]
    lines += [f"| {key} | {value} |" for key, value in machine.items()]
    lines += [f"| {r['label']} | {r['db_version']} |" for r in results]
    for result in results:
        lines += ["", f"## {result['label']}", "", archive_line(result), "", *table_lines(result), ""]
        lines += summary_lines(result)
    if results and results[0].get("reimport"):
        lines += ["", *bench_reimport.report_lines(results[0]["reimport"])]
    lines += ["", "## Targets", "", *target_lines(results), ""]
    for result in results:
        profile = result.get("profile")
        if not profile:
            continue
        lines += [
            "",
            f"## Profile of the slowest page ({result['label']}): {profile['label']}",
            "",
            f"pyinstrument over {profile['requests']} in-process requests of `{profile['path']}` "
            f"(cache as under load: {profile.get('cache', 'warm')}):",
            "",
            "```",
            profile["text"].rstrip(),
            "```",
        ]
    lines += ["", *render_section()]
    if FINDINGS.exists():
        lines += ["", FINDINGS.read_text(encoding="utf-8").rstrip()]
    return "\n".join(lines) + "\n"


def archive_line(result) -> str:
    a = result["archive"]
    return (
        f"Archive: {a['cohorts']} cohorts ({a['public']} public), {a['questions']} questions "
        f"({a['imported']} cohorts through the importer), built in {result['build_seconds']:.1f} s. "
        f"Cohort page `/cohorts/{a['page_slug']}/`: {a['page_source']} ({a['page_notes_bytes'] / 1024:,.0f} KiB of "
        f"notes, {a['page_questions']} questions), {a['page_html_bytes'] / 1024:,.0f} KiB of HTML. "
        f"Largest generated cohort: `{a['largest_slug']}`, {a['largest_questions']} questions. "
        f"Chapter {a['chapter']}: {a['chapter_questions']} visible questions. "
        f"Random-word search: {len(a['random_words'])} words of the questions."
    )


def table_lines(result) -> list[str]:
    lines = [
        "| Path | URL | Status | Requests/s | × /healthz | Bytes on the wire | SQL queries | In-process: "
        "uncached · warm (× /healthz) | Target | Met |",
        "| --- | --- | --- | ---: | ---: | ---: | --- | ---: | --- | --- |",
    ]
    measures = measures_of(result)
    by_name = {m.name: m for m in measures}
    for m in measures:
        ratio = "—" if m.ratio is None else f"{m.ratio:.2f}"
        queries = "" if m.queries is None else f"{m.queries}{m.queries_note}"
        errors = f" ({m.errors} errors)" if m.errors else ""
        cold = "—" if m.cold_ms is None else f"{m.cold_ms:,.0f} ms"
        cold += f" · {m.warm_ms:,.2f} ms ({m.warm_ratio:.2f})" if m.warm_ms is not None else ""
        wire = f"{m.bytes:,}" + (f" ({m.encoding})" if m.encoding else "")
        share = wire_share(m, result)
        wire += f", {share:.0%} of the HTML" if share is not None else ""
        target, met = "", ""
        if m.target is not None:
            of = "/healthz" if m.target_of == "healthz" else f"“{by_name[m.target_of].label}”"
            target = f"≥ {m.target} × {of}"
            reached = target_ratio(m, by_name)
            met = f"{'yes' if reached is not None and reached >= m.target else 'no'} ({reached:.2f})"
        if share is not None:
            target += ("; " if target else "") + f"≤ {m.wire_limit:.0%} of the HTML on the wire"
            met += ("; " if met else "") + ("yes" if share <= m.wire_limit else "no")
        lines.append(
            f"| {m.label} | `{m.path}` | {m.status} | {m.rps:,.0f}{errors} | {ratio} | {wire} | {queries} | {cold} "
            f"| {target} | {met} |"
        )
    return lines


def summary_lines(result) -> list[str]:
    lines = []
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
    return lines


def target_lines(results) -> list[str]:
    lines = []
    for result in results:
        measures = measures_of(result)
        by_name = {m.name: m for m in measures}
        for m in measures:
            reached = target_ratio(m, by_name)
            if reached is not None:
                of = "/healthz" if m.target_of == "healthz" else f"“{by_name[m.target_of].label}”"
                inprocess = f" (in-process × /healthz: {m.warm_ratio:.2f})" if m.warm_ratio is not None else ""
                state = "met" if reached >= m.target else "NOT met"
                lines.append(f"- {result['label']}, {m.label}: {reached:.2f} × {of}{inprocess}, target ≥ {m.target}"
                             f" — {state}")
            share = wire_share(m, result)
            if share is not None:
                state = "met" if share <= m.wire_limit else "NOT met"
                html = result["archive"]["page_html_bytes"]
                lines.append(f"- {result['label']}, {m.label}: {m.bytes:,} bytes on the wire, {share:.1%} of the "
                             f"{html:,}-byte HTML, target ≤ {m.wire_limit:.0%} — {state}")
        constant = result["constant_queries"]
        if constant:
            state = "met" if constant["constant"] else "NOT met"
            lines.append(f"- {result['label']}, SQL queries per cohort page constant in its questions — {state}")
    return lines


def render_section() -> list[str]:
    """The rendering cost of the worst accepted inputs (scripts/bench_render.py), between markers."""
    import django

    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mspt3.settings")
    django.setup()
    import bench_render

    return [RENDER_BEGIN, *bench_render.report_lines(bench_render.measure()), RENDER_END]


def replace_section(output: Path, heading: str, section: str, before: str) -> None:
    """Put ``section`` where the part of ``output`` starting at ``heading`` was (up to the
    next ``## `` heading), or before ``before`` if there is none; the rest stays."""
    old = output.read_text(encoding="utf-8") if output.exists() else ""
    start = old.find(heading)
    if start < 0:
        start = old.find(before) if before in old else len(old)
        end = start
    else:
        following = old.find("\n## ", start + 1)
        end = following + 1 if following >= 0 else len(old)
    output.write_text(old[:start] + section + "\n\n" + old[end:].lstrip("\n"), encoding="utf-8")


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
    print(f"bench: wrote the rendering section of {output}", file=sys.stderr)
    return 0
