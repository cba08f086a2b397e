from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from courses.changes import fingerprint
from courses.freshness import kept
from courses.models import Cohort
from courses.people import person_names
from courses.policy import get_cohort_for_user
from curriculum.faq import faq_entries, shown_questions
from curriculum.models import Chapter, Progress
from mspt3.fragments import wants_fragment
from mspt3.pagecache import shared_page
from qa.models import Question

CHAPTER_PAGE_SIZE = 50


@require_safe
def chapter_detail(request, number):
    """The chapter and its FAQ across every cohort the visitor may see (curriculum.faq)."""
    # All 15 chapters in one query: this one, its neighbours, and (for the shared
    # page's key) what the admin may have changed in any of them.
    def chapters_and_cohorts():
        return list(Chapter.objects.select_related("lab")), fingerprint(Cohort.objects.visible_to(request.user))

    # For anonymous visitors both are kept while no cohort changed (a chapter's change moves them all).
    anonymous = not request.user.is_authenticated
    chapters, cohorts = kept(("chapter-page",), chapters_and_cohorts) if anonymous else chapters_and_cohorts()
    chapter = next((c for c in chapters if c.number == number), None)
    if chapter is None:
        raise Http404("No such chapter.")

    def page_context(page_request=request):
        questions = Question.objects.visible_to(page_request.user).for_chapter(number)
        entries = faq_entries(questions, ("chapter", number, cohorts))
        # A page of entries at a time: chapter 6 of a full archive is ~500 questions (half a megabyte).
        page = Paginator(entries, CHAPTER_PAGE_SIZE).get_page(page_request.GET.get("page"))
        shown = shown_questions(page.object_list)
        return {
            "chapter": chapter,
            "entries": page,
            "shown": [(entry, shown[entry.best]) for entry in page.object_list if entry.best in shown],
            "question_count": sum(len(entry.asked) for entry in entries),
            "previous": next((c for c in reversed(chapters) if c.number < number), None),
            "next": next((c for c in chapters if c.number > number), None),
        }

    if request.user.is_authenticated:
        return render(request, "curriculum/chapter_detail.html", page_context())
    key = ("chapter", number, [_shown(c) for c in chapters], cohorts)
    return shared_page(request, "curriculum/chapter_detail.html", key, page_context, query=("page",))


def _shown(chapter):
    """What a chapter page shows of a chapter (its own, or a neighbour's)."""
    lab = chapter.lab_or_none
    lab_shown = (lab.label, lab.has_self_study) if lab else None
    return (chapter.pk, chapter.number, chapter.slug, chapter.title, chapter.part, lab_shown)


@require_POST
def progress_toggle(request, slug, number, part):
    """Strike a chapter's theory or lab through (done=1) or back (done=0); who and when are kept."""
    cohort = get_cohort_for_user(request.user, slug, write=True)
    chapter = get_object_or_404(Chapter.objects.select_related("lab"), number=number)
    done = request.POST.get("done")
    if part not in ("theory", "lab"):
        return HttpResponseBadRequest("part must be theory or lab.")
    if done not in ("0", "1"):
        return HttpResponseBadRequest("done must be 1 (completed) or 0 (not completed).")
    if part == "lab" and chapter.lab_or_none is None:
        return HttpResponseBadRequest(f"Chapter {number} has no lab.")
    progress, _created = Progress.objects.get_or_create(cohort=cohort, chapter=chapter)
    if progress.mark(part, done == "1", request.user):
        progress.save()
    if wants_fragment(request):
        done_at = getattr(progress, f"{part}_done_at")
        done_by = getattr(progress, f"{part}_done_by")
        return JsonResponse(
            {
                "chapter": number,
                "part": part,
                "done": done_at is not None,
                "done_at": timezone.localtime(done_at).isoformat() if done_at else None,
                "done_by": person_names(request)(done_by, cohort.pk),
            }
        )
    return redirect(cohort.get_absolute_url() + "#curriculum")
