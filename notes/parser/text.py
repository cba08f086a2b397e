"""Text rules that keep what the site writes expressible in the notes, with no Django.

* An answer that is only whitespace, empty bullets or ``...`` is pending.
* A question is one paragraph (the notes' question is a bullet's first
  paragraph): blank lines are dropped and a line that would start a block of
  its own (a list item, heading, quote, fence, rule…) is escaped, so the export
  reads back as the same question instead of a question plus an answer.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

_PLACEHOLDER_LINE = re.compile(r"^\s*(?:[-*+]\s*)?(?:\.{3}|…)?\s*$")
_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def is_pending_answer(answer: str) -> bool:
    return all(_PLACEHOLDER_LINE.match(line) for line in (answer or "").splitlines())


def _block_line(lines: list[str]) -> int | None:
    """Which of ``lines``, written as a notes question, makes it more than one paragraph (None: none)."""
    tokens = _MD.parse("- " + "\n  ".join(lines) + "\n")
    if tokens[0].type != "bullet_list_open":  # "- a | b" over a delimiter row is a table
        return 1
    blocks = [tok for tok in tokens[2:] if tok.level == 2 and tok.nesting >= 0 and tok.map]
    first = blocks[0]
    if first.type == "paragraph_open":
        if first.map[1] >= len(lines):
            return None
        first = blocks[1]
    if first.type == "table_open" or (first.type == "heading_open" and first.markup in ("=", "-")):
        return first.map[1] - 1 if first.type == "heading_open" else first.map[0] + 1
    return first.map[0]


def _escaped(line: str) -> str:
    """The line with its first character backslash-escaped, so it is text, not a block marker."""
    stripped = line.lstrip()
    lead = line[: len(line) - len(stripped)]
    if ordered := _ORDERED.match(stripped):
        return f"{lead}{ordered.group(1)}\\{stripped[ordered.end(1):]}"
    return f"{lead}\\{stripped}"


def one_paragraph(question: str) -> str:
    """``question`` as one markdown paragraph; unchanged when it already is one."""
    lines = [line for line in (question or "").strip().split("\n") if line.strip()]
    if not lines:
        return (question or "").strip()
    for _ in range(len(lines)):
        line = _block_line(lines)
        if line is None:
            break
        lines[line] = _escaped(lines[line])
    return "\n".join(lines)


def is_one_heading(text: str) -> bool:
    """Whether ``text`` is exactly one heading (``## X``, or a setext heading), nothing else."""
    tokens = _MD.parse(text or "")
    return len(tokens) == 3 and tokens[0].type == "heading_open"
