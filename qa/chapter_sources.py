"""A question's chapter and where it came from (``Question.chapter_source``), on every path that
sets one: the importer, the quick entry and the API (through qa.placement), an instructor's
correction, and the backfill of questions stored before sources existed.

The rule itself is pure (search.chapters.section_chapters_with_sources): the reference the text
names (``explicit``), else one inferred from its content (``inferred``); an instructor's choice
(``instructor``) is kept as it is, also by a re-import. Inference analyses text, so every caller
runs it before its write transaction, as rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from curriculum.models import Chapter, lab_chapter_numbers
from notes.parser.chapters import find_chapter
from qa.models import ChapterSource
from search.chapters import section_chapters_with_sources
from search.glossary import current_glossary


@dataclass
class ChapterTables:
    """What reading and inferring a chapter needs from the database, loaded once per unit of work."""

    chapters: dict  # number → Chapter
    lab_chapters: dict
    titles: dict

    @classmethod
    def load(cls, chapters=None) -> ChapterTables:
        chapters = chapters if chapters is not None else {c.number: c for c in Chapter.objects.all()}
        return cls(chapters, lab_chapter_numbers(), {n: c.title for n, c in chapters.items()})

    def explicit(self, question: str, answer: str = "") -> int | None:
        return find_chapter(question, answer, lab_chapters=self.lab_chapters, titles=self.titles)

    def section(self, items, section_title: str, taught: int | None = None):
        """(Chapter or None, source) for each (question, answer, kept) of one section, in order;
        ``kept`` is a (Chapter or None, source) that stands, or None."""
        numbered = [(q, a, None if kept is None else (_number(kept[0]), kept[1])) for q, a, kept in items]
        found = section_chapters_with_sources(
            numbered, glossary=current_glossary(), section_title=section_title,
            explicit=partial(_explicit, self), taught=taught,
        )
        return [(self.chapters.get(number) if number else None, source) for number, source in found]


def _number(chapter):
    return chapter.number if chapter is not None else None


def _explicit(tables: ChapterTables, question, answer):
    number = tables.explicit(question, answer)
    return number if number in tables.chapters else None


def source_of_placement(reason: str | None) -> str:
    """The source of a chapter qa.placement chose: the instructor's pick, the text's reference,
    or the chapter being taught (an inference)."""
    from qa.placement import Reason

    return {Reason.CHOSEN: ChapterSource.INSTRUCTOR, Reason.TEXT: ChapterSource.EXPLICIT,
            Reason.SCHEDULE: ChapterSource.INFERRED}.get(reason, "")


def site_question_chapter(question: str, answer: str, section_title: str, placement_chapter, reason):
    """(Chapter or None, source) of a question logged on the site: placement's chapter when it had
    one; else one inferred from the content (before the write transaction)."""
    if placement_chapter is not None:
        return placement_chapter, source_of_placement(reason)
    tables = ChapterTables.load()
    return tables.section([(question, answer, None)], section_title)[0]


def backfill(question_model, *, batch: int = 200) -> int:
    """Give a source to every stored question and a chapter to those without one (the migration
    that added sources calls it). Reads and infers first, then writes in short transactions.
    Returns how many rows it changed."""
    from django.db import transaction

    tables = ChapterTables.load({c.number: c for c in _chapter_model(question_model).objects.all()})
    rows = list(question_model.objects.order_by("section_id", "position", "id")
                .values_list("pk", "section_id", "section__title", "question", "answer", "chapter_id"))
    by_id = {c.pk: c for c in tables.chapters.values()}
    changes = []
    for section_id in dict.fromkeys(row[1] for row in rows):
        section_rows = [row for row in rows if row[1] == section_id]
        found = tables.section([(q, a, None) for _, _, _, q, a, _ in section_rows], section_rows[0][2])
        for (pk, _, _, question, answer, chapter_id), (chapter, source) in zip(section_rows, found, strict=True):
            if chapter_id is not None:
                named = tables.explicit(question, answer)
                stored = by_id.get(chapter_id)
                changes.append((pk, chapter_id, ChapterSource.EXPLICIT if stored and named == stored.number
                                else ChapterSource.INFERRED))
            elif chapter is not None:
                changes.append((pk, chapter.pk, source))
    for start in range(0, len(changes), batch):
        with transaction.atomic():
            for pk, chapter_id, source in changes[start:start + batch]:
                # The historical model: no save() override, no announce; a migration runs with the site down.
                question_model.objects.filter(pk=pk).update(chapter_id=chapter_id, chapter_source=source)
    return len(changes)


def _chapter_model(question_model):
    return question_model._meta.get_field("chapter").related_model
