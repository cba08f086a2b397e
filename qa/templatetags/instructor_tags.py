"""Template tags for instructors' tools: the quick entry form and the pending count in the navigation."""

from django import template
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from courses.models import Cohort
from curriculum.models import Chapter
from qa.forms import QuickEntryForm

register = template.Library()


@register.simple_tag
def quick_entry_form(cohort):
    """A blank quick entry form for ``cohort``, defaulting to what the schedule says is taught today."""
    return QuickEntryForm(cohort=cohort)


@register.simple_tag(takes_context=True)
def pending_queue(context):
    """What waits in /pending/ for the logged-in user: {"teaches", "answers" (notes questions
    without an answer), "class_questions" (open questions from the class), "count" (both: the
    nav shows one number, its title tells them apart)}; None for visitors. One query: the class
    questions are counted in a subquery per cohort, since joining them beside the notes
    questions would multiply the rows."""
    from asking.models import StudentQuestion

    user = context["request"].user
    if not user.is_authenticated:
        return None
    open_here = (
        StudentQuestion.objects.open().filter(cohort=OuterRef("pk")).order_by()
        .values("cohort").annotate(n=Count("pk")).values("n")
    )
    totals = (
        Cohort.objects.taught_by(user)
        .annotate(
            pending_here=Count("sections__questions", filter=Q(sections__questions__pending=True)),
            open_here=Coalesce(Subquery(open_here), 0),
        )
        .aggregate(cohorts=Count("pk"), answers=Sum("pending_here"), class_questions=Sum("open_here"))
    )
    answers, class_questions = totals["answers"] or 0, totals["class_questions"] or 0
    return {
        "teaches": totals["cohorts"] > 0,
        "answers": answers,
        "class_questions": class_questions,
        "count": answers + class_questions,
    }


@register.simple_tag(takes_context=True)
def chapter_choices(context):
    """The chapters for the instructors' chapter picker: one query per page, however many questions."""
    request = context.get("request")
    cached = getattr(request, "_chapter_choices", None)
    if cached is None:
        cached = list(Chapter.objects.only("pk", "number", "title"))
        if request is not None:
            request._chapter_choices = cached
    return cached
