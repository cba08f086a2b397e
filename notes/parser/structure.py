"""The structure check: did any answer line become a question?

A question is the author's top-level bullet (marker in column 0 or 1). A
question whose first line is indented two columns or more is an answer line
read as a question — the count must be 0 for every notes file.
"""

from __future__ import annotations

from dataclasses import dataclass

from notes.parser.parser import parse_notes


@dataclass
class StructureReport:
    questions: int
    indented: list[str]  # the first lines of questions indented ≥ 2 columns


def check_structure(text: str) -> StructureReport:
    questions = parse_notes(text).questions
    first_lines = [q.source_text.split("\n", 1)[0] for q in questions]
    return StructureReport(
        questions=len(questions),
        indented=[line for line in first_lines if len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip()) >= 2],
    )
