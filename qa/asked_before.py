"""Links between one question asked in two cohorts (``Question.similar_to``, symmetrical), made when
an instructor takes an earlier question's answer with "use this answer" (static/js/asked_before.js
sends its id as ``similar_to`` with the save), and what a question's permalink shows of them.

Both sides read through the access rule: a link is made only to a question the instructor may see,
and "also asked in" lists only the linked questions the visitor may see (a private cohort's
question never shows, not even as a count)."""

from __future__ import annotations

from django.db import transaction

from courses.changes import announce
from qa.models import Question

FIELD = "similar_to"
MAX_ID_DIGITS = 15


class BadLink(ValueError):
    """``similar_to`` is not a question id."""


def requested_link(data) -> int | None:
    """The id in ``data[FIELD]`` (None when absent or empty); BadLink when it is not one."""
    value = (data.get(FIELD) or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > MAX_ID_DIGITS:
        raise BadLink("similar_to must be the id of the question whose answer was used.")
    return int(value)


def link_asked_before(question: Question, other_pk: int | None, user) -> bool:
    """Link ``question`` with ``other_pk`` if ``user`` may see that one (it is another question).
    One that is not visible (any more) is skipped, not refused: the question itself is saved."""
    if other_pk is None or other_pk == question.pk:
        return False
    other = Question.objects.visible_to(user).filter(pk=other_pk).select_related("section").first()
    if other is None:
        return False
    with transaction.atomic():
        question.similar_to.add(other)
        announce({question.section.cohort_id, other.section.cohort_id})  # both permalinks show it
    return True


def also_asked_in(question: Question, user):
    """The linked questions of other cohorts that ``user`` may see, newest cohort first."""
    return (
        Question.objects.visible_to(user).filter(similar_to=question)
        .exclude(section__cohort_id=question.section.cohort_id)
        .select_related("section__cohort", "chapter").archive_order()
    )
