"""Rendering cost of the worst texts the limits accept (part of ``make bench``).

For each shape of costly markdown, the largest text of that shape that
mspt3.limits accepts for an answer is found (by bisection on the repeat count),
then rendered with mspt3.markdown.render_markdown: the median time of a few
runs and the HTML's size relative to the text. The texts the limits refuse are
timed too: what the refusal costs, against what rendering them used to cost.
"""

from __future__ import annotations

import statistics
import time

from mspt3.limits import (
    ANSWER_MAX_CHARS,
    EXPANSION_ALLOWANCE,
    MAX_CONTAINER_DEPTH,
    MAX_ELEMENT_DEPTH,
    MAX_TABLE_COLUMNS,
    check_markdown,
)
from mspt3.markdown import render_markdown

ROUNDS = 5
TARGET_MS = 100
TARGET_EXPANSION = 10

_TABLE_HEADER = "|" + "a|" * MAX_TABLE_COLUMNS + "\n|" + "-|" * MAX_TABLE_COLUMNS + "\n"
_NESTED_DIVS = "<div>" * (MAX_ELEMENT_DEPTH - 1) + "x" + "</div>" * (MAX_ELEMENT_DEPTH - 1)
_SMALL_FENCE = "```python\n" + "x = a.b(c[d], e=f)\n" * 20 + "```\n\n"
SHAPES = {
    "block quotes, max depth": lambda n: (">" * MAX_CONTAINER_DEPTH + " 인용\n\n") * n,
    "lists, max depth": lambda n: "".join("  " * i + "- 항목\n" for i in range(MAX_CONTAINER_DEPTH)) * n,
    "plain paragraphs, max size": lambda n: ("도커 이미지 레이어는 읽기 전용입니다. " * 8 + "\n\n") * n,
    "widest table": lambda n: _TABLE_HEADER + ("|" + "셀|" * MAX_TABLE_COLUMNS + "\n") * n,
    "table, short rows": lambda n: _TABLE_HEADER + "|b|\n" * n,
    "raw HTML, max depth": lambda n: (_NESTED_DIVS + "\n\n") * n,
    "highlighted code": lambda n: "```python\n" + "x = a.b(c[d], e=f)  # 주석\n" * n + "```\n",
    "code blocks (highlighted up to the budget)": lambda n: _SMALL_FENCE * n,
    "inline markup": lambda n: "**a** _b_ `c` [d](https://e.example/f) ~~g~~ " * n,
}
REFUSED = {
    '">" * 40000 + " x" (issue 12)': ">" * 40_000 + " x",
    "200,000-character answer": "가" * 200_000,
    "5,000-column table": "|" + "a|" * 5000 + "\n|" + "-|" * 5000 + "\n" + "|b|\n" * 100,
    "<div> nested 20,000 deep": "<div>" * 20_000 + "x",
}


def largest_accepted(shape) -> str:
    """The longest text ``shape(n)`` that the limits accept for an answer."""
    low, high = 1, 1
    while check_markdown(shape(high), max_chars=ANSWER_MAX_CHARS) is None and len(shape(high)) < ANSWER_MAX_CHARS:
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        if check_markdown(shape(middle), max_chars=ANSWER_MAX_CHARS) is None:
            low = middle
        else:
            high = middle
    text = shape(low)
    assert check_markdown(text, max_chars=ANSWER_MAX_CHARS) is None, "the smallest text of this shape is refused"
    return text


def _median_ms(function, text) -> float:
    runs = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        function(text)
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def measure() -> dict:
    accepted = []
    for name, shape in SHAPES.items():
        text = largest_accepted(shape)
        html = render_markdown(text)
        accepted.append({
            "shape": name, "chars": len(text), "render_ms": _median_ms(render_markdown, text),
            "check_ms": _median_ms(lambda t: check_markdown(t, max_chars=ANSWER_MAX_CHARS), text),
            "expansion": len(html) / len(text), "html_chars": len(html),
        })
    refused = []
    for name, text in REFUSED.items():
        refused.append({
            "input": name, "chars": len(text),
            "refusal_ms": _median_ms(lambda t: check_markdown(t, max_chars=ANSWER_MAX_CHARS), text),
            "reason": str(check_markdown(text, max_chars=ANSWER_MAX_CHARS)),
            # What the renderer alone costs on it (what every path did before the limits): once.
            "render_ms": _render_once_ms(text),
        })
    return {"accepted": accepted, "refused": refused}


def _render_once_ms(text) -> float:
    started = time.perf_counter()
    render_markdown(text)
    return (time.perf_counter() - started) * 1000


def report_lines(figures: dict) -> list[str]:
    lines = [
        "## Rendering cost of the worst accepted inputs",
        "",
        f"`scripts/bench_render.py` (`make bench`, or alone: `scripts/bench.py --render-only`): the longest "
        f"answer of each shape that `mspt3/limits.py` accepts (≤ {ANSWER_MAX_CHARS:,} characters, quotes and "
        f"lists ≤ {MAX_CONTAINER_DEPTH} deep, HTML ≤ {MAX_ELEMENT_DEPTH} deep, ≤ {MAX_TABLE_COLUMNS} columns, "
        f"HTML ≤ 10× the text + {EXPANSION_ALLOWANCE:,} characters), rendered by `render_markdown` (median of "
        f"{ROUNDS}). Targets: under {TARGET_MS} ms, HTML at most ~{TARGET_EXPANSION}× the text (a short text "
        f"may use the {EXPANSION_ALLOWANCE:,}-character allowance: a one-word quote 16 deep is 25× its size).",
        "",
        "| Shape | Characters | Limits check (ms) | Render (ms) | HTML (characters) | HTML / text | Met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in figures["accepted"]:
        small = row["html_chars"] <= TARGET_EXPANSION * row["chars"] + EXPANSION_ALLOWANCE
        met = row["render_ms"] < TARGET_MS and (row["expansion"] <= TARGET_EXPANSION + 0.5 or small)
        lines.append(
            f"| {row['shape']} | {row['chars']:,} | {row['check_ms']:.1f} | {row['render_ms']:.1f} | "
            f"{row['html_chars']:,} | {row['expansion']:.1f}× | {'yes' if met else 'NO'} |"
        )
    lines += [
        "",
        "Refused before rendering (the check's cost) against rendering them anyway (what every write path did "
        "before the limits, inside the write transaction):",
        "",
        "| Input | Characters | Refusal (ms) | Render (ms) | Reason |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for row in figures["refused"]:
        lines.append(
            f"| {row['input']} | {row['chars']:,} | {row['refusal_ms']:.1f} | {row['render_ms']:.0f} | "
            f"{row['reason']} |"
        )
    return lines
