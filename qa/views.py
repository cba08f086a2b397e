from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from courses.policy import can_view
from qa.models import NotesImage


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
