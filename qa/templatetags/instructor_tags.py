"""Template tags for instructors' tools: the quick entry form and the pending count in the navigation."""

from django import template
from django.db.models import Count, Q

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
    """{"teaches": bool, "count": int} for the logged-in user, from one query; None for visitors."""
    user = context["request"].user
    if not user.is_authenticated:
        return None
    totals = Cohort.objects.taught_by(user).aggregate(
        cohorts=Count("pk", distinct=True),
        pending=Count("sections__questions", filter=Q(sections__questions__pending=True)),
    )
    return {"teaches": totals["cohorts"] > 0, "count": totals["pending"]}


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
