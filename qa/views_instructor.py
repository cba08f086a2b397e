"""What instructors do in class: log, edit, answer and move questions (striking chapters through is
curriculum.views.progress_toggle).

Every view starts with one lookup from courses.policy. Requests from
static/js/instructor.js (X-Requested-With: XMLHttpRequest) get fragments to
patch into the page; plain form posts get pages and redirects, so everything
also works without JavaScript.
"""

from functools import wraps
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from markdownx.views import ImageUploadView, MarkdownifyView

from courses.policy import get_cohort_for_user, get_question_for_user, teaches_any
from curriculum.models import Chapter
from mspt3.conditional import (
    IdempotencyKeyReused,
    InvalidIdempotencyKey,
    check_same_request,
    idempotency_key,
    request_fingerprint,
)
from mspt3.fragments import wants_fragment
from mspt3.limits import ANSWER_MAX_CHARS, check_markdown
from mspt3.uploads import ValidatedImageForm
from qa.asked_before import BadLink, link_asked_before, requested_link
from qa.forms import AnswerForm, QuestionEditForm, QuestionMoveForm, QuickEntryForm
from qa.models import ChapterSource, Question, StaleEdit
from qa.rendering import rendered_in_advance
from room.context import queue_merge_targets, triage_queue


def _next_url(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _question_response(request, question, status=200):
    """The question as the cohort page shows it to its instructors (or a redirect to it)."""
    if not wants_fragment(request):
        return redirect(_next_url(request, question.get_absolute_url()), permanent=False)
    cohort = question.section.cohort
    context = {"question": question, "cohort": cohort, "can_write": True, "sections": cohort.sections.all()}
    response = render(request, "qa/_question.html", context, status=status)
    response["X-Question-Id"] = str(question.pk)
    response["X-Section-Id"] = str(question.section_id)
    # Percent-encoded (headers are Latin-1): the quick entry's "Saved in …" names a section it may not show yet.
    response["X-Section-Title"] = quote(question.section.title)
    return response


def _form_response(request, form, *, action, question=None, cohort=None, status=200):
    template = "qa/_edit_form.html" if wants_fragment(request) else "qa/question_form.html"
    context = {
        "form": form,
        "action": action,
        "question": question,
        "cohort": cohort or question.section.cohort,
        "next": request.POST.get("next", ""),
    }
    return render(request, template, context, status=status)


# The fields of a quick entry that make it this question and not another.
_ENTRY_FIELDS = ("question", "section", "chapter", "answer")


def _entry_fingerprint(request, cohort):
    return request_fingerprint("site", cohort.pk, {name: request.POST.get(name, "") for name in _ENTRY_FIELDS})


def _replay(request, key, fingerprint):
    """The question a first request with ``key`` created, if the caller may still change it now
    (404/403 from the policy otherwise); IdempotencyKeyReused if that request asked for another one."""
    first = Question.objects.filter(idempotency_key=key).only("pk", "idempotency_fingerprint").first()
    if first is None:
        return None
    question = get_question_for_user(request.user, first.pk, write=True)
    check_same_request(question.idempotency_fingerprint, fingerprint)
    return _question_response(request, question)


@require_POST
def question_create(request, slug):
    """Log a question. A retry carrying the same Idempotency-Key gets the first one back (200);
    the same key with another question or cohort is refused (422)."""
    cohort = get_cohort_for_user(request.user, slug, write=True)
    try:
        key = idempotency_key(request, request.user)
    except InvalidIdempotencyKey as error:
        return HttpResponseBadRequest(str(error))
    fingerprint = _entry_fingerprint(request, cohort) if key else ""
    try:
        used = requested_link(request.POST)  # the question whose answer "use this answer" took
    except BadLink as error:
        return HttpResponseBadRequest(str(error))
    try:
        if key and (replay := _replay(request, key, fingerprint)):
            return replay
        form = QuickEntryForm(request.POST, cohort=cohort)
        if not form.is_valid():
            return _form_response(request, form, action=request.path, cohort=cohort, status=400)
        form.instance.author = request.user
        form.instance.idempotency_key = key
        form.instance.idempotency_fingerprint = fingerprint
        try:
            with rendered_in_advance([form.instance.question, form.instance.answer], cohort.pk), transaction.atomic():
                question = form.save()
                link_asked_before(question, used, request.user)
        except IntegrityError:
            # Two copies of one submission raced; the other one won.
            if key and (replay := _replay(request, key, fingerprint)):
                return replay
            raise
    except IdempotencyKeyReused as error:
        return render(request, "qa/_refused.html", {"message": str(error)}, status=422)
    return _question_response(request, question, status=201)


def _checked_edit(request, pk, form_class):
    question = get_question_for_user(request.user, pk, write=True)
    if request.method == "GET":
        return _form_response(request, form_class(instance=question), action=request.path, question=question)
    form = form_class(request.POST, instance=question)
    try:
        used = requested_link(request.POST)
    except BadLink as error:
        return HttpResponseBadRequest(str(error))
    if not form.is_valid():
        return _form_response(request, form, action=request.path, question=question, status=400)
    try:
        question = form.save_checked()  # analyses before its own transaction: not inside another
        link_asked_before(question, used, request.user)
    except StaleEdit as stale:
        template = "qa/_conflict.html" if wants_fragment(request) else "qa/conflict.html"
        context = {
            "theirs": stale.current,
            "yours": form.cleaned_data,
            "form": form.merge_form(stale.current),
            "action": request.path,
            "question": stale.current,
            "cohort": stale.current.section.cohort,
            "next": request.POST.get("next", ""),
        }
        return render(request, template, context, status=409)
    return _question_response(request, question)


@require_http_methods(["GET", "POST"])
def question_edit(request, pk):
    """Edit question, chapter and answer in place; refused (409) over a newer revision."""
    return _checked_edit(request, pk, QuestionEditForm)


@require_http_methods(["GET", "POST"])
def question_answer(request, pk):
    """Fill or change just the answer (the pending queue's inline form)."""
    return _checked_edit(request, pk, AnswerForm)


@require_POST
def question_move(request, pk):
    """Up or down within its section, or to the end of another section of the cohort."""
    question = get_question_for_user(request.user, pk, write=True)
    form = QuestionMoveForm(request.POST, question=question)
    if not form.is_valid():
        return HttpResponseBadRequest(" ".join(form.errors.get("__all__", [])) or form.errors.as_text())
    form.save()
    if wants_fragment(request):
        return JsonResponse({"question": question.pk, "section": form.question.section_id})
    return redirect(question.get_absolute_url())


@require_POST
def question_chapter(request, pk):
    """An instructor's one-click chapter for a question (``chapter``: a number, or empty for none):
    its source becomes ``instructor``, which a re-import keeps."""
    question = get_question_for_user(request.user, pk, write=True)
    value = request.POST.get("chapter", "").strip()
    chapter = None
    if value:
        chapter = Chapter.objects.filter(number=int(value)).first() if value.isdigit() and len(value) < 3 else None
        if chapter is None:
            return HttpResponseBadRequest("chapter must be a chapter number, or empty for none.")
    # Only the chapter changes (nobody's text is overwritten); a new revision, announced by update().
    Question.objects.filter(pk=question.pk).update(
        chapter=chapter, chapter_source=ChapterSource.INSTRUCTOR, revision=F("revision") + 1,
        updated_at=timezone.now(),
    )
    question.refresh_from_db()
    return _question_response(request, question)


def _instructors_only(view):
    """Instructor tools not tied to one cohort, for those who teach one (and staff): visitors go to
    log in, anyone else gets the 403 page."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not teaches_any(request.user):
            raise PermissionDenied(_("Only instructors may use this."))
        return view(request, *args, **kwargs)

    return wrapped


@_instructors_only
@require_safe
def pending_queue(request):
    """Every pending question in the cohorts I teach, oldest first, each with an answer form."""
    questions = (
        Question.objects.pending()
        .writable_by(request.user)
        .select_related("section__cohort", "chapter")
        .order_by("created_at", "id")
    )
    items = [(q, AnswerForm(instance=q, auto_id=f"q{q.pk}-%s")) for q in questions]
    class_questions = triage_queue(request.user)
    context = {
        "items": items,
        "class_questions": class_questions,
        "merge_targets": queue_merge_targets(class_questions),
    }
    return render(request, "qa/pending.html", context)


@require_safe
def offline_worker(request):
    """The service worker that lets instructors reload a cohort page while offline (see
    static/js/quick_entry.js). Served from the site's root so its scope can cover /cohorts/."""
    response = render(request, "qa/offline-worker.js", content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


@_instructors_only
@require_POST
def markdown_preview(request):
    """markdownx's preview, rendered by mspt3.markdown.render_markdown (MARKDOWNX_MARKDOWNIFY_FUNCTION)."""
    if "content" not in request.POST:
        return HttpResponseBadRequest("content is required.")
    if problem := check_markdown(request.POST["content"], max_chars=ANSWER_MAX_CHARS):
        return HttpResponseBadRequest(f"Too costly to preview: {problem}.")
    return MarkdownifyView.as_view()(request)


# The stock form trusts the browser's Content-Type and would store SVG; ours checks the bytes.
markdown_upload = _instructors_only(require_POST(ImageUploadView.as_view(form_class=ValidatedImageForm)))
