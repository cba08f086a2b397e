"""The parsed shape of a notes file: an ordered list of blocks that, written out
in order, give back the file.

Every line of the file belongs to exactly one block. Modelled blocks (title,
curriculum table, schedule, topic sections with their questions and extras)
keep the lines they came from, so an unchanged document is written back
byte for byte; everything else is a verbatim ``Text`` block.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Text:
    text: str


@dataclass
class Title:
    text: str  # the heading line(s) as written
    title: str  # the heading's words: the cohort title


@dataclass
class CurriculumRow:
    line: int  # index of the row's line within the table's lines
    number: int
    theory_col: int
    lab_col: int | None  # None when the chapter has no lab ("-")
    theory_done: bool
    lab_done: bool


@dataclass
class Curriculum:
    text: str
    rows: list[CurriculumRow]


@dataclass
class ScheduleEntry:
    day: int
    theory: str
    lab: str


@dataclass
class Schedule:
    text: str
    days: list[ScheduleEntry]


@dataclass
class Question:
    question: str  # markdown of the question line(s), without the bullet
    answer: str  # markdown as a person types it: dedented, not under the bullet
    source_text: str = ""  # the exact lines it came from, trailing blank lines included


@dataclass
class Extra:
    kind: str  # "summary" or "text"
    source: str


@dataclass
class Section:
    title: str
    heading: str  # the heading line(s) as written, without the final newline
    gap: str = ""  # blank lines between the heading and the first item
    items: list[Question | Extra] = field(default_factory=list)
    fresh: bool = False  # added on the site: written after a blank line, not from notes lines

    @property
    def questions(self) -> list[Question]:
        return [item for item in self.items if isinstance(item, Question)]


Block = Text | Title | Curriculum | Schedule | Section


@dataclass
class Document:
    blocks: list[Block]

    def _first(self, kind):
        return next((block for block in self.blocks if isinstance(block, kind)), None)

    @property
    def title(self) -> str | None:
        block = self._first(Title)
        return block.title if block else None

    @property
    def curriculum(self) -> Curriculum | None:
        return self._first(Curriculum)

    @property
    def schedule(self) -> Schedule | None:
        return self._first(Schedule)

    @property
    def sections(self) -> list[Section]:
        return [block for block in self.blocks if isinstance(block, Section)]

    @property
    def questions(self) -> list[Question]:
        return [q for section in self.sections for q in section.questions]

    @property
    def is_empty(self) -> bool:
        """Nothing the site models: no title, table, schedule or section."""
        return all(isinstance(block, Text) for block in self.blocks)
