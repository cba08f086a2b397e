"""Blocks → notes markdown.

Unchanged content is written from the lines it came from; what changed is
written in the notes' own style: ``- question`` with the answer indented two
spaces under the bullet, a blank line after; a curriculum cell gains or loses
its ``~`` strike-through and nothing else on the line moves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from notes.parser.document import Curriculum, Document, Extra, Schedule, ScheduleEntry, Section, Text, Title
from notes.parser.parser import is_struck, split_table_row
from notes.parser.text import is_pending_answer, one_paragraph

# An answer starting like this can sit right under the question line; anything
# else (a paragraph) would run on into the question's paragraph without a blank line.
_INTERRUPTS = re.compile(r"(?:[-*+](?:\s|$)|`{3}|~{3}|>|\|)")


# The notes' own mark of a question still waiting for its answer.
PENDING_MARKER = "- ..."


def question_markdown(question: str, answer: str) -> str:
    lines = (one_paragraph(question) or "…").split("\n")
    out = [f"- {lines[0]}"] + [f"  {line}" for line in lines[1:]]
    answer = PENDING_MARKER if is_pending_answer(answer) else answer.strip("\n")
    if answer.strip():
        if not _INTERRUPTS.match(answer.lstrip()):
            out.append("")
        out += [f"  {line}" if line.strip() else "" for line in answer.split("\n")]
    return "\n".join(out) + "\n\n"


def schedule_markdown(days: Iterable[ScheduleEntry]) -> str:
    out = []
    for day in days:
        out.append(f"- {day.day}일차\n")
        out.append(f"  - 이론 : {day.theory}\n")
        if day.lab:
            out.append(f"  - 실습 : {day.lab}\n")
    return "".join(out)


def _restrike(cell: str, done: bool, marker: str) -> str:
    """The cell text with its strike-through set to ``done``, padding kept where it can be."""
    content = cell.strip()
    lead = cell[: len(cell) - len(cell.lstrip())]
    trail = cell[len(cell.rstrip()):]
    new = f"{marker}{content}{marker}" if done else re.sub(r"^~~?|~~?$", "", content)
    width = len(content) + len(trail)
    return lead + new + " " * max(1, width - len(new)) if trail else lead + new


def curriculum_markdown(curriculum: Curriculum, done: dict[int, tuple[bool, bool]]) -> str:
    """The table with only the cells whose state differs from ``done`` (number → (theory, lab)) rewritten."""
    lines = curriculum.text.split("\n")
    marker = "~~" if "~~" in curriculum.text else "~"
    for row in curriculum.rows:
        theory, lab = done.get(row.number, (row.theory_done, row.lab_done))
        wanted = {row.theory_col: theory}
        if row.lab_col is not None:
            wanted[row.lab_col] = lab
        line = lines[row.line]
        for col, state in sorted(wanted.items(), reverse=True):
            spans = split_table_row(line)
            if col < len(spans):
                a, b = spans[col]
                if is_struck(line[a:b]) != state:
                    line = line[:a] + _restrike(line[a:b], state, marker) + line[b:]
        lines[row.line] = line
    return "\n".join(lines)


class Output:
    """Accumulates pieces, keeping a blank line before and after anything regenerated."""

    def __init__(self):
        self.parts: list[str] = []

    def _tail(self) -> str:
        return "".join(self.parts[-2:])

    def add(self, text: str, *, generated: bool = False):
        if not text:
            return
        if self.parts and not self._tail().endswith("\n"):
            self.parts.append("\n")
        if generated and self.parts and not self._tail().endswith("\n\n"):
            self.parts.append("\n")
        self.parts.append(text)

    def text(self) -> str:
        return "".join(self.parts)


def write_section(out: Output, section: Section):
    out.add(section.heading + "\n" + section.gap, generated=section.fresh)
    for item in section.items:
        if isinstance(item, Extra):
            out.add(item.source)
        elif item.source_text:
            out.add(item.source_text)
        else:
            out.add(question_markdown(item.question, item.answer), generated=True)


def write_notes(document: Document) -> str:
    """The document as markdown: its lines as read, regenerated only where a block has no source."""
    out = Output()
    for block in document.blocks:
        if isinstance(block, (Text, Title, Curriculum, Schedule)):
            out.add(block.text)
        elif isinstance(block, Section):
            write_section(out, block)
    return out.text()

