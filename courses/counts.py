"""The figures a list of cohorts shows (questions, pending answers, chapters done).

A query helper beside the models rather than a method of ``CohortQuerySet``: it counts
rows of ``qa`` and ``curriculum``, whose models import ``courses.models``, so as a
method it made the model modules import each other in a loop."""

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from curriculum.models import Progress
from qa.models import Question


def _count(rows: QuerySet) -> Coalesce:
    """How many of ``rows`` (annotated with ``cohort_key``) belong to the outer cohort."""
    counted = rows.order_by().values("cohort_key").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def with_counts(cohorts: QuerySet) -> QuerySet:
    """``cohorts`` annotated with ``question_count``, ``pending_count`` and ``chapters_done``
    (chapters whose theory is completed), one subquery each: no query per cohort, and no
    join of questions × progress rows."""
    questions = Question.objects.annotate(cohort_key=F("section__cohort")).filter(cohort_key=OuterRef("pk"))
    completed = Progress.objects.completed().annotate(cohort_key=F("cohort")).filter(cohort_key=OuterRef("pk"))
    return cohorts.annotate(
        question_count=_count(questions),
        pending_count=_count(questions.pending()),
        chapters_done=_count(completed),
    )
