"""The cohort page's posts about the class's questions: ask, vote, the instructors' triage and
undo, "that answers it", and "I have seen my notices". Each calls asking.actions, which checks
the access rule itself; the lookups here only decide 404 (a cohort the caller may not read).

Requests from static/js (X-Requested-With: XMLHttpRequest) get JSON or fragments; plain form
posts get redirects with a message, so everything also works without JavaScript.
"""

from types import SimpleNamespace

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from asking import actions
from asking.hearing import mark_seen
from asking.limits import RateLimited
from asking.models import StudentQuestion
from asking.participants import participant_keys, participant_of, remember_participant
from courses.policy import can_view, get_cohort_for_user
from mspt3.conditional import (
    IdempotencyKeyReused,
    InvalidIdempotencyKey,
    check_same_request,
    idempotency_key,
    request_fingerprint,
)
from mspt3.fragments import wants_fragment
from qa.models import Question

# Undo within the session: the last triages, newest last (asking.actions.Triage.as_dict).
UNDO_SESSION_KEY = "room:triages"
UNDO_DEPTH = 20


def _back(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _refused(request, errors, fallback, status=400):
    """Bad input: the errors (for the outbox: `.errorlist li`), or a message and the page back."""
    text = [str(m) for messages_ in errors.values() for m in messages_] if isinstance(errors, dict) else [str(errors)]
    if wants_fragment(request):
        items = "".join(f"<li>{escape(t)}</li>" for t in text)
        return HttpResponse(f'<ul class="errorlist">{items}</ul>', status=status)
    messages.error(request, " ".join(text))
    return redirect(fallback)


def _rate_limited(request, error, fallback):
    response = _refused(request, {"limit": [_("Too many at once: try again in a few minutes.")]}, fallback, 429)
    response["Retry-After"] = str(error.retry_after)
    return response


# The fields of an ask that make it this question and not another (mspt3.conditional).
_ASK_FIELDS = ("text", "nickname", "anonymous_to_classmates")


@require_POST
def ask(request, slug):
    """Ask the class's question. A retry with the same Idempotency-Key (the outbox's) gets the
    first one back; the same key with another text is refused (422)."""
    cohort = get_cohort_for_user(request.user, slug)
    page = cohort.get_absolute_url() + "#ask"
    participant = participant_of(request, create=True)
    try:
        key = idempotency_key(request, SimpleNamespace(pk=participant.key))
    except InvalidIdempotencyKey as error:
        return _refused(request, {"key": [str(error)]}, page)
    fingerprint = request_fingerprint("site-ask", cohort.pk, {n: request.POST.get(n, "") for n in _ASK_FIELDS})
    try:
        if key and (earlier := _replay(key, fingerprint)) is not None:
            return _asked_response(request, cohort, earlier, page)
        student_question = actions.ask(
            cohort,
            participant,
            request.POST.get("text", ""),
            nickname=request.POST.get("nickname", ""),
            anonymous_to_classmates=request.POST.get("anonymous_to_classmates") in ("on", "1", "true"),
            idempotency=(key, fingerprint),
        )
    except actions.InvalidInput as error:
        return _refused(request, error.errors, page)
    except RateLimited as error:
        return _rate_limited(request, error, page)
    except IdempotencyKeyReused as error:
        return _refused(request, {"key": [str(error)]}, page, 422)
    except IntegrityError:  # a concurrent twin with the same key won
        if (earlier := _replay(key, fingerprint)) is None:
            raise
        return _asked_response(request, cohort, earlier, page)
    if not wants_fragment(request):
        messages.success(request, _("Your question was sent to the class."))
    return remember_participant(request, _asked_response(request, cohort, student_question, page, status=201))


def _replay(key, fingerprint):
    """The question the first request with ``key`` asked (IdempotencyKeyReused if it asked another)."""
    first = StudentQuestion.objects.filter(idempotency_key=key).first()
    if first is not None:
        check_same_request(first.idempotency_fingerprint, fingerprint)
    return first


def _asked_response(request, cohort, student_question, page, status=200):
    if not wants_fragment(request):
        return redirect(page)
    response = JsonResponse({"id": student_question.pk, "status": student_question.status}, status=status)
    response["X-Student-Question-Id"] = str(student_question.pk)
    return response


def _student_question(request, pk):
    """The student question ``pk`` if the caller may read its cohort (else 404)."""
    found = get_object_or_404(StudentQuestion.objects.select_related("cohort"), pk=pk)
    if not can_view(request.user, found.cohort):
        raise Http404("No such question.")
    return found


@require_http_methods(["GET", "POST"])
def vote(request, pk):
    """POST vote=1 votes, vote=0 takes it back. GET (the shared page's vote button without
    JavaScript: it carries no CSRF token) asks for confirmation with a form that does."""
    student_question = _student_question(request, pk)
    cohort = student_question.cohort
    back = f"{cohort.get_absolute_url()}#sq-{student_question.pk}"
    if request.method == "GET":
        voted = bool(set(participant_keys(request)) & set(student_question.vote_rows.values_list("voter", flat=True)))
        context = {"cohort": cohort, "student_question": student_question, "voted": voted}
        return render(request, "room/vote_confirm.html", context)
    participant = participant_of(request, create=True)
    wanted = request.POST.get("vote", "1") != "0"
    try:
        (actions.vote if wanted else actions.unvote)(student_question, participant)
    except actions.Conflict as error:
        return _refused(request, {"status": [str(error)]}, back, 409)
    except RateLimited as error:
        return _rate_limited(request, error, back)
    if wants_fragment(request):
        response = JsonResponse({"id": student_question.pk, "votes": actions.votes_of(student_question),
                                 "voted": wanted})
    else:
        response = redirect(back)
    return remember_participant(request, response)


TRIAGE_DONE = {
    "accept": gettext_lazy("Accepted into the notes."),
    "answer": gettext_lazy("Answered."),
    "merge": gettext_lazy("Merged."),
    "dismiss": gettext_lazy("Dismissed."),
}


@require_POST
def triage(request, pk, action):
    """accept (section, chapter, answer: all optional), answer (answer), merge (into: "q:<id>"
    a notes question, "s:<id>" a student question), dismiss (reason, optional)."""
    student_question = _student_question(request, pk)
    back = _back(request, student_question.cohort.get_absolute_url() + "#class-questions")
    data = request.POST
    try:
        if action == "accept":
            _question, done = actions.accept(student_question, request.user, section=data.get("section") or None,
                                             chapter=data.get("chapter") or None, answer=data.get("answer", ""))
        elif action == "answer":
            _question, done = actions.answer_directly(student_question, request.user, data.get("answer", ""))
        elif action == "merge":
            done = actions.merge(student_question, request.user, into=_merge_target(request, data.get("into", "")))
        elif action == "dismiss":
            done = actions.dismiss(student_question, request.user, reason=data.get("reason", ""))
        else:
            raise Http404("No such triage.")
    except actions.InvalidInput as error:
        return _refused(request, error.errors, back)
    except actions.Conflict as error:
        return _refused(request, {"status": [str(error)]}, back, 409)
    kept = request.session.get(UNDO_SESSION_KEY, [])
    request.session[UNDO_SESSION_KEY] = (kept + [done.as_dict()])[-UNDO_DEPTH:]
    said = str(TRIAGE_DONE[action])
    if wants_fragment(request):
        return JsonResponse({"done": action, "id": student_question.pk, "message": said})
    messages.success(request, said)
    return redirect(back)


def _merge_target(request, into):
    """The question ``into`` names ("q:<id>" notes question the caller may read, "s:<id>" student
    question); InvalidInput if it names nothing."""
    kind, _sep, number = (into or "").strip().partition(":")
    if not number.isdigit():
        if kind.isdigit():  # a bare id is a notes question
            kind, number = "q", kind
        else:
            raise actions.InvalidInput({"into": [_("Choose the question to merge into.")]})
    if kind == "q":
        found = Question.objects.visible_to(request.user).select_related("section__cohort").filter(pk=number).first()
    elif kind == "s":
        found = StudentQuestion.objects.filter(pk=number).first()
    else:
        found = None
    if found is None:
        raise actions.InvalidInput({"into": [_("No such question.")]})
    return found


@require_POST
def undo(request):
    """Undo the session's last triage (the newest first, one at a time)."""
    kept = request.session.get(UNDO_SESSION_KEY, [])
    back = _back(request, "/")
    if not kept:
        return _refused(request, {"undo": [_("Nothing to undo.")]}, back, 409)
    last = actions.Triage.from_dict(kept[-1])
    try:
        reopened = actions.undo(last, request.user)
    except StudentQuestion.DoesNotExist:
        reopened = None
    except actions.Conflict as error:
        request.session[UNDO_SESSION_KEY] = kept[:-1]
        return _refused(request, {"undo": [str(error)]}, back, 409)
    request.session[UNDO_SESSION_KEY] = kept[:-1]
    said = _("Undone: the question is open again.")
    if wants_fragment(request):
        return JsonResponse({"undone": last.action, "id": reopened.pk if reopened else None, "message": said,
                             "more": len(kept) > 1})
    messages.success(request, said)
    return redirect(back)


@require_POST
def seen(request, slug):
    """The viewer has looked at their notices: the badge goes."""
    cohort = get_cohort_for_user(request.user, slug)
    marked = mark_seen(participant_keys(request))
    if wants_fragment(request):
        return JsonResponse({"seen": marked})
    return redirect(cohort.get_absolute_url() + "#my-questions")


@require_POST
def answered_before(request, slug):
    """"That answers it": an earlier answer answered the viewer's question, which is not sent."""
    cohort = get_cohort_for_user(request.user, slug)
    number = request.POST.get("question", "")
    question = (
        Question.objects.visible_to(request.user).filter(pk=number).first() if number.isdigit() else None
    )
    if question is None:
        return _refused(request, {"question": [_("No such question.")]}, cohort.get_absolute_url() + "#ask")
    participant = participant_of(request, create=True)
    try:
        count = actions.that_answers_it(cohort, participant, question)
    except actions.InvalidInput as error:
        return _refused(request, error.errors, cohort.get_absolute_url() + "#ask")
    except RateLimited as error:
        return _rate_limited(request, error, cohort.get_absolute_url() + "#ask")
    if wants_fragment(request):
        response = JsonResponse({"question": question.pk, "count": count})
    else:
        messages.success(request, _("Glad it was answered already."))
        response = redirect(cohort.get_absolute_url() + "#ask")
    return remember_participant(request, response)


@require_POST
def open_asking(request, slug):
    """The instructors' switch: asking open (or not) to visitors of the public cohort."""
    cohort = get_cohort_for_user(request.user, slug, write=True)
    try:
        on = actions.set_open_asking(cohort, request.user, request.POST.get("open_asking") == "on")
    except actions.InvalidInput as error:
        return _refused(request, error.errors, cohort.get_absolute_url())
    messages.success(request, _("Visitors may now ask and vote here.") if on else _("Only members may ask now."))
    return redirect(cohort.get_absolute_url())
