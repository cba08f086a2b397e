from urllib.parse import quote

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from courses.policy import get_cohort_for_user
from notes.exporter import export_cohort, notes_zip

ZIP = "application/zip"


def wants_zip(request) -> bool:
    """``?format=zip`` or ``Accept: application/zip``: the notes with their images."""
    return request.GET.get("format") == "zip" or ZIP in request.headers.get("Accept", "")


def markdown_response(cohort) -> HttpResponse:
    """The cohort's notes as a markdown file shown inline (the page and the API download it alike)."""
    response = HttpResponse(export_cohort(cohort), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(cohort.slug)}.md"
    return response


def zip_response(cohort) -> HttpResponse:
    response = HttpResponse(notes_zip(cohort), content_type=ZIP)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(cohort.slug)}.zip"
    return response


@require_safe
def cohort_notes(request, slug):
    """The cohort's notes as markdown (or a zip with its images), for those who may read the cohort."""
    cohort = get_cohort_for_user(request.user, slug)
    response = zip_response(cohort) if wants_zip(request) else markdown_response(cohort)
    response["X-Content-Type-Options"] = "nosniff"
    if not cohort.is_public:
        response["Cache-Control"] = "private, no-store"
    return response
