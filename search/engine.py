"""Full-text queries over the index, in the database's own engine.

SQLite: FTS5 (``search_fts``, BM25). PostgreSQL: ``tsvector`` + GIN (``ts_rank``, question
terms weighted A and answer terms B). Both are joined to the caller's queryset, so
visibility and filters stay ordinary ORM filters and nothing scans every question.
Terms are letters and digits only (search.analysis), so they never carry query syntax.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from search.analysis import CONCEPT_PREFIX, Mode, query_words
from search.glossary import current_glossary

# The question's words count this many times the answer's.
SEARCH_WEIGHTS = (4.0, 1.0)
SIMILAR_WEIGHTS = (2.0, 1.0)
# An "asked before" text is a whole question: its most telling terms are enough.
SIMILAR_MAX_TERMS = 64
RANK = "search_rank"


@dataclass(frozen=True)
class Match:
    """Terms a document must have: all of them (``every``) or any; in the question only, or anywhere."""

    terms: tuple[str, ...]
    every: bool
    question_only: bool = False
    weights: tuple[float, float] = SEARCH_WEIGHTS

    def sqlite(self) -> str:
        joined = (" AND " if self.every else " OR ").join(
            f'"{term}"' + ("*" if self.every and is_prefix(term) else "") for term in self.terms
        )
        return f"question_terms : ({joined})" if self.question_only else joined

    def postgresql(self) -> str:
        def operand(term):
            flags = ("*" if self.every and is_prefix(term) else "") + ("A" if self.question_only else "")
            return f"'{term}'" + (f":{flags}" if flags else "")

        return (" & " if self.every else " | ").join(operand(term) for term in self.terms)


def is_prefix(term: str) -> bool:
    """In a search, a word (not a glossary concept) also matches the longer words it starts
    (컨테이 → 컨테이너): a word still being typed, or one the analyser cut short."""
    return not term.startswith(CONCEPT_PREFIX)


def ranked(queryset, match: Match):
    """``queryset`` (of questions) narrowed to the documents matching, best first (``search_rank``
    ascending; ties in the caller's order after it)."""
    question_weight, answer_weight = match.weights
    if connection.vendor == "postgresql":
        weights = f"'{{0.1, 0.2, {answer_weight / question_weight}, 1.0}}'"
        query = "to_tsquery('simple', %s)"
        return queryset.extra(
            tables=["search_searchdocument"],
            where=[
                'search_searchdocument.question_id = "qa_question"."id"', f"search_searchdocument.vector @@ {query}"
            ],
            params=[match.postgresql()],
            select={RANK: f"round((-ts_rank({weights}, search_searchdocument.vector, {query}, 1))::numeric, 6)"},
            select_params=[match.postgresql()],
        ).order_by(RANK)
    return queryset.extra(
        tables=["search_fts"],
        where=['search_fts.rowid = "qa_question"."id"', "search_fts MATCH %s"],
        params=[match.sqlite()],
        select={RANK: f"round(bm25(search_fts, {question_weight}, {answer_weight}), 6)"},
    ).order_by(RANK)


def search_words(query: str, mode: Mode = Mode.GLOSSARY, glossary=None):
    """The analysed words of ``query`` (the analyser runs once per call: a page that needs them
    twice, to search and to mark, passes them on)."""
    return query_words(query, glossary or current_glossary(), mode)


def search(queryset, query: str, words=None):
    """Every word of ``query`` must match after analysis; best first, newest as tie-break.
    ``words``: ``search_words(query)`` when the caller has them already."""
    words = search_words(query) if words is None else words
    terms = tuple(dict.fromkeys(term for word in words for term in word.terms))
    if not terms:
        return queryset.none()
    return ranked(queryset, Match(terms, every=True)).order_by(
        RANK, "-section__cohort__starts_on", "-created_at", "-id"
    )


def similar(queryset, text: str, *, with_answers: bool = True, mode: Mode = Mode.GLOSSARY):
    """Questions of ``queryset`` sharing terms with ``text``, most similar first; answered ones
    first where scores tie, then the newest."""
    terms = tuple(dict.fromkeys(term for word in search_words(text, mode) for term in word.terms))
    if not terms:
        return queryset.none()
    match = Match(terms[:SIMILAR_MAX_TERMS], every=False, question_only=not with_answers, weights=SIMILAR_WEIGHTS)
    return ranked(queryset, match).order_by(RANK, "pending", "-created_at", "-id")
