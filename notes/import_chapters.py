"""The chapter of every question an import writes, and its source (qa.chapter_sources): decided
with the plan, before the transaction (inference analyses text).

A chapter an instructor set stays whatever the file says (the three-way merge of chapters: the
file never states an inferred chapter, and an instructor's correction is the site's edit that the
file did not touch); so does the stored chapter of a question the file does not hold. Every
other question takes the reference its text names, else an inferred one,
with its section's named chapters as neighbours; so a question whose text gains ``CH08`` on
re-import becomes explicit."""

from __future__ import annotations

from collections import defaultdict

from qa.chapter_sources import ChapterTables
from qa.models import ChapterSource, Question


def assign_chapters(writes, tables: ChapterTables) -> None:
    """Set ``chapter`` and ``chapter_source`` on each QuestionWrite of the plan (in place)."""
    by_section = defaultdict(list)
    for write in writes:
        by_section[write.section].append(write)
    for title, items in by_section.items():
        items.sort(key=lambda write: write.position)
        kept = [(write.stored.chapter, write.stored.chapter_source) if _stands(write) else None for write in items]
        found = tables.section([(w.question, w.answer, k) for w, k in zip(items, kept, strict=True)], title)
        for write, (chapter, source) in zip(items, found, strict=True):
            write.chapter, write.chapter_source = chapter, source


def _stands(write) -> bool:
    """An instructor's chapter; or the stored one of a question the file does not hold (logged on
    the site, its chapter may be the one taught when it was asked, which the file cannot tell).
    Everything else is decided from the file alone, so a re-import ends where a fresh import would."""
    stored = write.stored
    if stored is None:
        return False
    return stored.chapter_source == ChapterSource.INSTRUCTOR or (
        write.origin == Question.Origin.SITE and not write.content_changed and stored.chapter_id is not None)
