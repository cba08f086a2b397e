"""Keeping the index in step with the questions: every write path of a question calls
``index_questions`` (single saves, conditional saves, bulk updates, the importer)."""

from __future__ import annotations

import hashlib

from django.db import transaction

from search.analysis import Mode, index_terms
from search.glossary import current_glossary
from search.models import SearchDocument

# Bump when the analysis changes: every document is then analysed again by rebuild_search_index.
ANALYSIS_VERSION = "1"
BATCH = 500


def document_digest(question: str, answer: str) -> str:
    return hashlib.sha256(f"{ANALYSIS_VERSION}\x00{question}\x00{answer}".encode()).hexdigest()


def analysed_document(question_id: int, question: str, answer: str, glossary, mode=Mode.GLOSSARY) -> SearchDocument:
    return SearchDocument(
        question_id=question_id,
        question_terms=" ".join(index_terms(question, glossary, mode)),
        answer_terms=" ".join(index_terms(answer, glossary, mode)),
        digest=document_digest(question, answer),
    )


def index_questions(questions, *, force: bool = False, mode: Mode = Mode.GLOSSARY) -> int:
    """Write the documents of ``questions`` (a queryset or model instances) whose text changed.

    Returns how many were (re)analysed. ``force``: analyse all of them (the glossary changed;
    ``mode`` other than the site's is for the evaluation only).
    """
    rows = [(q.pk, q.question, q.answer) for q in questions] if isinstance(questions, list) else list(
        questions.values_list("pk", "question", "answer")
    )
    written = 0
    glossary = None
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        documents = SearchDocument.objects.filter(question_id__in=[pk for pk, _, _ in batch])
        stored = {} if force else dict(documents.values_list("question_id", "digest"))
        changed = [row for row in batch if force or stored.get(row[0]) != document_digest(row[1], row[2])]
        if not changed:
            continue
        glossary = glossary or current_glossary()
        documents = [analysed_document(pk, question, answer, glossary, mode) for pk, question, answer in changed]
        with transaction.atomic():
            SearchDocument.objects.bulk_create(
                documents, update_conflicts=True, unique_fields=["question"],
                update_fields=["question_terms", "answer_terms", "digest"],
            )
        written += len(documents)
    return written
