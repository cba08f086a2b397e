from django.db.models import F
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
        .select_related("section__cohort", "chapter")
        .order_by(
            F("section__cohort__starts_on").desc(nulls_last=True),
            "-section__cohort__created_at",
            "section__position",
            "position",
            "id",
        )
    )
    context = {
        "chapter": chapter,
        "questions": list(questions),
        "previous": Chapter.objects.filter(number__lt=number).order_by("-number").first(),
        "next": Chapter.objects.filter(number__gt=number).order_by("number").first(),
    }
    return render(request, "curriculum/chapter_detail.html", context)
