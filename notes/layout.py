"""The shape of ``Cohort.notes_layout``: the notes file's blocks in order, as the import
wrote them. The one module that writes it and reads it; the importer (``layout_of``,
``stored_title``/``stored_curriculum``/``stored_schedule``, ``section_digests``), the
exporter (``stored_blocks``) and the cohort page (``page_blocks``, ``has``) ask it rather
than reading the dicts themselves.

An entry is a dict with a ``kind``:
- ``text``: ``text`` (verbatim, what the site does not model) and ``html`` (rendered:
  ``render_texts``, then ``rewrite_html`` for the stored images' URLs);
- ``title``: ``text`` (the title line as written) and ``title``;
- ``curriculum``: ``text`` and ``rows`` (number, theory_done, lab_done … of the file);
- ``schedule``: ``text`` and ``days`` (day, theory, lab of the file);
- ``section``: ``title``, ``gap`` (the blank lines after its heading) and ``digests``
  (each question's short digest at the import, to tell a site deletion from a new one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from notes.parser import document as notes
from notes.parser.parser import lone_heading_text
from notes.parser.text import content_digest

TEXT, TITLE, CURRICULUM, SCHEDULE, SECTION = "text", "title", "curriculum", "schedule", "section"


def short_digest(question: str, answer: str) -> str:
    """What a section entry remembers of each question it had."""
    return content_digest(question, answer)[:16]


def layout_of(document: notes.Document) -> list[dict]:
    """The layout of a parsed document; text entries' ``html`` is filled by the importer."""
    out: list[dict] = []
    for block in document.blocks:
        if isinstance(block, notes.Text):
            out.append({"kind": TEXT, "text": block.text, "html": ""})
        elif isinstance(block, notes.Title):
            out.append({"kind": TITLE, "text": block.text, "title": block.title})
        elif isinstance(block, notes.Curriculum):
            out.append({"kind": CURRICULUM, "text": block.text, "rows": [row.__dict__ for row in block.rows]})
        elif isinstance(block, notes.Schedule):
            out.append({"kind": SCHEDULE, "text": block.text, "days": [day.__dict__ for day in block.days]})
        else:
            digests = [short_digest(q.question, q.answer) for q in block.questions]
            out.append({"kind": SECTION, "title": block.title, "gap": block.gap, "digests": digests})
    return out


def entry(layout: list[dict] | None, kind: str) -> dict | None:
    """The first entry of ``kind`` (title, curriculum, schedule), or None."""
    return next((item for item in layout or [] if item.get("kind") == kind), None)


def has(layout: list[dict] | None, kind: str) -> bool:
    return entry(layout, kind) is not None


@dataclass(frozen=True)
class StoredSection:
    """Where a section stood in the file, and the blank lines after its heading."""

    title: str
    gap: str


StoredBlock = notes.Text | notes.Title | notes.Curriculum | notes.Schedule | StoredSection
Stored = TypeVar("Stored", notes.Curriculum, notes.Schedule)


def _block(item: dict) -> StoredBlock | None:
    """An entry as the parser's block it was made from (a section by title and gap only)."""
    kind = item.get("kind")
    if kind == TEXT:
        return notes.Text(item["text"])
    if kind == TITLE:
        return notes.Title(item["text"], item["title"])
    if kind == CURRICULUM:
        return notes.Curriculum(item["text"], [notes.CurriculumRow(**row) for row in item["rows"]])
    if kind == SCHEDULE:
        days = [notes.ScheduleEntry(day["day"], day["theory"], day["lab"]) for day in item["days"]]
        return notes.Schedule(item["text"], days)
    if kind == SECTION:
        return StoredSection(item["title"], item["gap"])
    return None


def stored_blocks(layout: list[dict] | None) -> Iterator[StoredBlock]:
    """The file's blocks as the last import stored them, in order: what the exporter writes back."""
    for item in layout or []:
        if (block := _block(item)) is not None:
            yield block


def stored_title(layout: list[dict] | None) -> str | None:
    """The cohort title the file had at the last import (None: no title line, or no import)."""
    item = entry(layout, TITLE)
    return item.get("title") if item else None


def stored_curriculum(layout: list[dict] | None) -> notes.Curriculum | None:
    """The curriculum table as the file had it at the last import: the base of a re-import's merge."""
    return _stored(layout, CURRICULUM, notes.Curriculum)


def stored_schedule(layout: list[dict] | None) -> notes.Schedule | None:
    """The schedule as the file had it at the last import: the base of a re-import's merge."""
    return _stored(layout, SCHEDULE, notes.Schedule)


def _stored(layout: list[dict] | None, kind: str, block_type: type[Stored]) -> Stored | None:
    block = _block(entry(layout, kind) or {})
    return block if isinstance(block, block_type) else None


def _text_entries(layout: list[dict] | None) -> Iterator[dict]:
    return (item for item in layout or [] if item.get("kind") == TEXT)


def render_texts(layout: list[dict] | None, render: Callable[[str], str]) -> None:
    """Give each verbatim entry its ``html``, rendered from its text (the planner, before the write)."""
    for item in _text_entries(layout):
        item["html"] = render(item["text"])


def rewrite_html(layout: list[dict] | None, rewrite: Callable[[str], str]) -> None:
    """Pass each verbatim entry's ``html`` through ``rewrite`` (the writer: the stored images' URLs)."""
    for item in _text_entries(layout):
        item["html"] = rewrite(item["html"])


def section_digests(layout: list[dict] | None) -> Iterator[tuple[str, list[str]]]:
    """(section title, its questions' digests at the last import), in file order."""
    for item in layout or []:
        if item.get("kind") == SECTION:
            yield item["title"], item.get("digests", [])


@dataclass(frozen=True)
class PageBlock:
    """What the cohort page shows for an entry: ``curriculum``, ``schedule``, a
    ``section`` by ``title``, a ``verbatim`` block's ``html``, or ``schedule_title``: the
    notes' own heading of their plan (its ``title``; its ``html`` where the plan is
    already shown)."""

    kind: str
    title: str | None = None
    html: str = ""


def page_blocks(layout: list[dict] | None) -> Iterator[PageBlock]:
    """The layout as the cohort page reads it. A text block that is one heading line
    right before the schedule (``##MSP T3 강의계획``) titles the schedule; empty text shows
    nothing; the title line is the page's header."""
    layout = layout or []
    for index, item in enumerate(layout):
        kind = item.get("kind")
        following = layout[index + 1].get("kind") if index + 1 < len(layout) else None
        if kind == TEXT:
            heading = lone_heading_text(item.get("text", ""))
            if heading and following == SCHEDULE:
                yield PageBlock("schedule_title", title=heading, html=item.get("html", ""))
            elif item.get("text", "").strip():
                yield PageBlock("verbatim", html=item.get("html", ""))
        elif kind in (CURRICULUM, SCHEDULE):
            yield PageBlock(kind)
        elif kind == SECTION:
            yield PageBlock(SECTION, title=item.get("title"))
