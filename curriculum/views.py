from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from courses.models import Cohort
from curriculum.models import Chapter
from mspt3.pagecache import shared_page
from qa.models import Question


CHAPTER_PAGE_SIZE = 50


@require_safe
def chapter_detail(request, number):
    # All 15 chapters in one query: this one, its neighbours, and (for the shared
    # page's key) what the admin may have changed in any of them.
    chapters = list(Chapter.objects.select_related("lab"))
    chapter = next((c for c in chapters if c.number == number), None)
    if chapter is None:
        raise Http404("No such chapter.")

    def page_context(page_request=request):
        questions = (
            Question.objects.visible_to(page_request.user)
            .for_chapter(number)
            .select_related("section__cohort", "chapter")
            .archive_order()
        )
        return {
            "chapter": chapter,
            # A page of questions at a time: chapter 6 of a full archive is ~500 (half a megabyte).
            "questions": Paginator(questions, CHAPTER_PAGE_SIZE).get_page(page_request.GET.get("page")),
            "previous": next((c for c in reversed(chapters) if c.number < number), None),
            "next": next((c for c in chapters if c.number > number), None),
        }

    if request.user.is_authenticated:
        return render(request, "curriculum/chapter_detail.html", page_context())
    key = ("chapter", number, [_shown(c) for c in chapters], Cohort.objects.visible_to(request.user).change_stamp())
    return shared_page(request, "curriculum/chapter_detail.html", key, page_context, query=("page",))


def _shown(chapter):
    """What a chapter page shows of a chapter (its own, or a neighbour's)."""
    lab = getattr(chapter, "lab", None)
    lab_shown = (lab.label, lab.has_self_study) if lab else None
    return (chapter.pk, chapter.number, chapter.slug, chapter.title, chapter.part, lab_shown)
