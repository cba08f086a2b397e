from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from courses.policy import can_view, can_write, get_question_for_user
from mspt3.uploads import validate_image
from qa.asked_before import also_asked_in
from qa.models import NotesImage


@require_safe
def question_detail(request, pk):
    """A question's permalink: the question, and where else it was asked (the linked questions of
    other cohorts the visitor may see, qa.asked_before)."""
    question = get_question_for_user(request.user, pk)
    cohort = question.section.cohort
    context = {
        "question": question,
        "cohort": cohort,
        "can_write": can_write(request.user, cohort),
        "also_asked": list(also_asked_in(question, request.user)),
    }
    return render(request, "qa/question_detail.html", context)


@require_safe
def notes_image(request, pk):
    """A notes image, served only to those who may see its cohort."""
    image = get_object_or_404(NotesImage.objects.select_related("cohort"), pk=pk)
    if not can_view(request.user, image.cohort):
        raise Http404
    response = FileResponse(image.file.open("rb"), content_type=image.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600" if not image.cohort.is_public else "public, max-age=86400"
    return response


@require_safe
def uploaded_image(request, path):
    """An image an instructor uploaded with the markdown editor.

    Stored under a random 128-bit name by mspt3.uploads, so the address itself is
    the secret; the bytes are checked again so only a raster image is ever served.
    """
    name = f"{settings.MARKDOWNX_MEDIA_PATH.strip('/')}/{path}"
    if ".." in path.split("/") or not default_storage.exists(name):
        raise Http404
    with default_storage.open(name) as stored:
        data = stored.read()
    try:
        image = validate_image(data)
    except ValidationError:
        raise Http404 from None
    response = HttpResponse(image.content, content_type=image.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400, immutable"
    return response
