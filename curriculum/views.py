from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from curriculum.models import Chapter
from qa.models import Question


@require_safe
def chapter_detail(request, number):
    chapter = get_object_or_404(Chapter.objects.select_related("lab"), number=number)
    questions = (
        Question.objects.visible_to(request.user)
        .for_chapter(number)
        .select_related("section__cohort")
        .order_by("-section__cohort__starts_on", "section__cohort__title", "section__position", "position")
    )
    return render(request, "curriculum/chapter_detail.html", {"chapter": chapter, "questions": questions})
