"""A chapter's FAQ across cohorts: its questions, near-duplicates grouped into one entry
(search.grouping over the analysed terms the index stores), most-asked first.

Each entry shows its best answer: an answered question before a pending one, then the longest
answer (the most complete of the instructors' answers to it), then the newest. Entries asked in
more cohorts come first, then those asked more often, then the notes' archive order (newest cohort
first). An entry is marked inferred when no question of it names the chapter or had it set by an
instructor. The grouping is kept per version of the cohorts the visitor may see
(``changes.fingerprint``): any change to them makes a new key, so it is never stale.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import F
from django.db.models.functions import Length

from mspt3.pagecache import page_cache
from qa.models import ChapterSource, Question
from search.grouping import THRESHOLD, group_near_duplicates

TIMEOUT = 24 * 3600
WORDING_CHARS = 200


@dataclass(frozen=True)
class Asked:
    """One question of an entry: where it was asked."""

    pk: int
    cohort_slug: str
    cohort_title: str
    question: str  # its wording, the first line (plain markdown text; the template escapes it)

    @property
    def url(self):
        return f"/cohorts/{self.cohort_slug}/#q-{self.pk}"


@dataclass(frozen=True)
class Entry:
    best: int  # the pk of the question shown, with its answer
    asked: tuple[Asked, ...]  # every question of the entry, the shown one first
    cohorts: tuple[tuple[str, str], ...]  # (slug, title) of each cohort it was asked in, in order
    inferred: bool


def faq_entries(questions, key) -> list[Entry]:
    """The entries of ``questions`` (a queryset, already narrowed to what the visitor may see and to
    the chapter), cached under ``key`` (which must change with those questions)."""
    cache_key = "chapter-faq:" + hashlib.sha256(repr((key, THRESHOLD)).encode()).hexdigest()
    return page_cache().get_or_set(cache_key, lambda: build_entries(questions), timeout=TIMEOUT)


def build_entries(questions) -> list[Entry]:
    rows = list(
        questions.archive_order().annotate(answer_length=Length("answer"), terms=F("search_document__question_terms"))
        .values_list("pk", "section__cohort__slug", "section__cohort__title", "chapter_source", "pending",
                     "answer_length", "created_at", "terms", "question")
    )
    rank = {row[0]: n for n, row in enumerate(rows)}
    by_pk = {row[0]: row for row in rows}
    groups = group_near_duplicates([(row[0], (row[7] or "").split()) for row in rows])
    entries = []
    for group in groups:
        members = sorted((by_pk[pk] for pk in group), key=_best_first)
        cohorts = tuple(dict.fromkeys((row[1], row[2]) for row in members))
        entries.append((
            (-len(cohorts), -len(members), min(rank[pk] for pk in group)),
            Entry(
                best=members[0][0],
                asked=tuple(Asked(row[0], row[1], row[2], row[8][:WORDING_CHARS]) for row in members),
                cohorts=cohorts,
                inferred=all(row[3] == ChapterSource.INFERRED for row in members),
            ),
        ))
    return [entry for _order, entry in sorted(entries, key=lambda pair: pair[0])]


def _best_first(row):
    _pk, _slug, _title, _source, pending, answer_length, created_at, _terms, _question = row
    return (pending, -(answer_length or 0), -created_at.timestamp())


def shown_questions(entries) -> dict[int, Question]:
    """The questions a page of entries shows, in one query."""
    return Question.objects.select_related("section__cohort", "chapter").in_bulk([entry.best for entry in entries])
