"""Keeping the index in step with the questions, on every write path of a question (single
saves, conditional saves, bulk updates, the importer).

Analysis is the slow part, and on SQLite a write transaction holds the one global write lock:
so a write path analyses its texts with ``prepare`` *before* it opens its transaction, and
inside it ``write_documents`` only stores them (the same rule as rendering markdown).
``index_questions`` does both for callers outside any transaction (the rebuild command,
the glossary admin)."""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

from search.analysis import Mode, index_terms
from search.glossary import current_glossary
from search.models import SearchDocument

# Bump when the analysis changes: every document is then analysed again by rebuild_search_index.
ANALYSIS_VERSION = "1"
BATCH = 500
# Texts analysed by a write path before its transaction (analysed_in_advance): text → terms.
_in_advance: ContextVar[dict | None] = ContextVar("analysed_in_advance", default=None)


def document_digest(question: str, answer: str) -> str:
    return hashlib.sha256(f"{ANALYSIS_VERSION}\x00{question}\x00{answer}".encode()).hexdigest()


@contextmanager
def analysed_in_advance(texts):
    """Analyse ``texts`` now; documents written inside the block reuse the terms
    (the same hand-over as qa.rendering.rendered_in_advance, which calls this)."""
    ready = dict(_in_advance.get() or {})
    glossary = current_glossary()
    for text in texts:
        if text not in ready:
            ready[text] = index_terms(text, glossary, Mode.GLOSSARY)
    token = _in_advance.set(ready)
    try:
        yield
    finally:
        _in_advance.reset(token)


def _terms(text: str, glossary, mode) -> str:
    ready = _in_advance.get()
    if mode is Mode.GLOSSARY and ready is not None and text in ready:
        return " ".join(ready[text])
    return " ".join(index_terms(text, glossary, mode))


def analysed_document(question_id: int, question: str, answer: str, glossary, mode=Mode.GLOSSARY) -> SearchDocument:
    return SearchDocument(
        question_id=question_id,
        question_terms=_terms(question, glossary, mode),
        answer_terms=_terms(answer, glossary, mode),
        digest=document_digest(question, answer),
    )


def prepare(texts, *, known=frozenset(), mode: Mode = Mode.GLOSSARY) -> dict[str, SearchDocument]:
    """Documents of the (question, answer) ``texts``, analysed now, keyed by digest; those whose
    digest is ``known`` (stored already) are skipped. Call it before a write transaction."""
    prepared: dict[str, SearchDocument] = {}
    glossary = None
    for question, answer in texts:
        digest = document_digest(question, answer)
        if digest not in known and digest not in prepared:
            glossary = glossary or current_glossary()
            prepared[digest] = analysed_document(None, question, answer, glossary, mode)
    return prepared


def stored_digests(questions) -> set[str]:
    """The digests stored for ``questions`` (a queryset): what ``prepare`` may skip."""
    return set(SearchDocument.objects.filter(question__in=questions).values_list("digest", flat=True))


def write_documents(rows, prepared, *, force: bool = False, mode: Mode = Mode.GLOSSARY) -> int:
    """Store the documents of ``rows`` ((pk, question, answer)) whose stored one is stale, taken from
    ``prepared``; a text it lacks is analysed here. Returns how many were written."""
    written = 0
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        documents = SearchDocument.objects.filter(question_id__in=[pk for pk, _, _ in batch])
        stored = {} if force else dict(documents.values_list("question_id", "digest"))
        changed = [row for row in batch if force or stored.get(row[0]) != document_digest(row[1], row[2])]
        if not changed:
            continue
        missing = prepare(((q, a) for _, q, a in changed if document_digest(q, a) not in prepared), mode=mode)
        documents = []
        for pk, question, answer in changed:
            made = prepared.get(document_digest(question, answer)) or missing[document_digest(question, answer)]
            documents.append(SearchDocument(question_id=pk, question_terms=made.question_terms,
                                            answer_terms=made.answer_terms, digest=made.digest))
        with transaction.atomic():
            SearchDocument.objects.bulk_create(
                documents, update_conflicts=True, unique_fields=["question"],
                update_fields=["question_terms", "answer_terms", "digest"],
            )
        written += len(documents)
    return written


def index_questions(questions, *, force: bool = False, mode: Mode = Mode.GLOSSARY) -> int:
    """Analyse and store the documents of ``questions`` (a queryset or model instances) whose text
    changed, outside any transaction of the caller's. Returns how many were (re)analysed.
    ``force``: all of them (the glossary changed; ``mode`` other than the site's is for the
    evaluation only)."""
    rows = [(q.pk, q.question, q.answer) for q in questions] if isinstance(questions, list) else list(
        questions.values_list("pk", "question", "answer")
    )
    return write_documents(rows, {}, force=force, mode=mode)
