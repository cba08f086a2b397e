from urllib.parse import quote

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from courses.policy import get_cohort_for_user
from qa.exporter import export_cohort


@require_safe
def cohort_notes(request, slug):
    """The cohort's notes as markdown, for those who may read the cohort."""
    cohort = get_cohort_for_user(request.user, slug)
    response = HttpResponse(export_cohort(cohort), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(cohort.slug)}.md"
    response["X-Content-Type-Options"] = "nosniff"
    if not cohort.is_public:
        response["Cache-Control"] = "private, no-store"
    return response
