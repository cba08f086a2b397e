"""The projector view, /cohorts/<slug>/present/: large type for the room — the chapter being
taught, the class's open questions by votes, the one marked "now answering" with its answer
once written, and the QR code of the ask/join link. It polls itself with the ETag it holds
(courses.changes.stamp, like the cohort page): an unchanged cohort answers 304."""

from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_POST, require_safe

from asking.models import StudentQuestion
from courses.policy import can_write, get_cohort_for_user
from courses.qr import qr_for
from courses.views import cohort_etag
from curriculum.models import Chapter, Progress
from curriculum.schedule import todays_topic
from mspt3.fragments import wants_fragment
from room.models import NowAnswering

# What fits a 1080-pixel-high screen in the projector's type.
PRESENT_LIMIT = 8


@require_safe
def cohort_present(request, slug):
    cohort = get_cohort_for_user(request.user, slug)
    writer = can_write(request.user, cohort)
    etag = cohort_etag("present", cohort, writer)
    if (not_modified := get_conditional_response(request, etag=etag)) is not None:
        return not_modified
    context = {**_context(request, cohort, writer), "present_etag": etag}
    if request.GET.get("live"):
        response = JsonResponse({"html": render_to_string("room/_present_body.html", context, request=request)})
    else:
        response = render(request, "room/present.html", context)
    response["ETag"] = etag
    return response


@require_POST
def mark_now_answering(request, slug):
    """The instructor marks the question being answered (``question``: a student question's id;
    empty clears it). The projector and the cohort page follow through the cohort's change."""
    cohort = get_cohort_for_user(request.user, slug, write=True)
    chosen = request.POST.get("question", "")
    student_question = None
    if chosen:
        if not chosen.isdigit():
            raise Http404("No such question.")
        student_question = StudentQuestion.objects.filter(cohort=cohort, pk=int(chosen)).first()
        if student_question is None:
            raise Http404("No such question in this cohort.")
    NowAnswering.mark(cohort, student_question)
    if wants_fragment(request):
        return JsonResponse({"question": student_question.pk if student_question else None})
    return redirect("cohort-present", slug=cohort.slug)


def _context(request, cohort, writer):
    marked = NowAnswering.of(cohort)
    questions = list(StudentQuestion.objects.filter(cohort=cohort).open().with_votes().by_votes()[:PRESENT_LIMIT])
    if marked is not None and all(q.pk != marked.pk for q in questions):
        marked = StudentQuestion.objects.with_votes().filter(pk=marked.pk).select_related("question").first()
    return {
        "cohort": cohort,
        "can_write": writer,
        "chapter": taught_chapter(cohort),
        "questions": questions,
        "open_count": StudentQuestion.objects.filter(cohort=cohort).open().count(),
        "now": marked,
        "now_answer_html": _answer_html(marked),
        "qr": qr_for(request, cohort, writer),
    }


def taught_chapter(cohort):
    """The chapter on today's schedule; off schedule, the first one not struck through yet."""
    _title, chapter = todays_topic(cohort)
    if chapter is not None:
        return chapter
    completed = Progress.objects.filter(cohort=cohort).completed().values("chapter")
    return Chapter.objects.exclude(pk__in=completed).first()


def _answer_html(student_question):
    question = student_question.question if student_question is not None else None
    return question.answer_html if question is not None and question.answer_html else ""
