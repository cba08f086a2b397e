"""What the cohort page shows of the class's questions.

Two parts, because one is shared and one is not:

- ``class_questions_block``: the open questions by votes then time, with counts, in the page's
  flow. Readers share one rendering per cohort version (courses.views._flow_html), so it
  carries nothing about the viewer; who voted for what, and which are theirs, are marked in
  the browser from ``viewer_state``. Instructors' flow is theirs alone: it adds who asked and
  the triage tools.
- ``viewer_state``/``my_questions``: the viewer's own questions with their status (a dismissal's
  reason is the asker's only), their votes and what they have not seen yet; rendered per
  request, sent with the live poll's payload when the cohort changed.
"""

from __future__ import annotations

import hashlib

from asking.hearing import notifications_for
from asking.models import Notification, StudentQuestion
from asking.participants import participant_keys
from courses.policy import can_ask
from qa.models import Question

# The class list on the page: enough for a class, not a whole course's worth.
CLASS_LIST_LIMIT = 50
MY_LIST_LIMIT = 20


def class_questions_block(cohort, writer: bool) -> dict:
    """The flow block of the open student questions (``kind`` "class_questions")."""
    questions = list(
        StudentQuestion.objects.filter(cohort=cohort).open().with_votes().by_votes().select_related("author")[
            :CLASS_LIST_LIMIT
        ]
    )
    sections = list(cohort.sections.all()) if writer else []
    for question in questions:
        question.shown_asker = asker_name(question, instructor=writer)
        question.triage_sections = sections
        question.triage_next = cohort.get_absolute_url() + "#class-questions"
    block = {"kind": "class_questions", "questions": questions}
    if writer:
        block["merge_targets"] = merge_targets(cohort)
    return block


def triage_queue(user):
    """The open student questions of every cohort ``user`` teaches, for /pending/: by cohort,
    then votes, then time."""
    from django.db.models import Prefetch

    from courses.models import Cohort
    from qa.models import Section

    questions = list(
        StudentQuestion.objects.filter(cohort__in=Cohort.objects.taught_by(user))
        .open()
        .with_votes()
        .select_related("cohort", "author")
        .prefetch_related(Prefetch("cohort__sections", queryset=Section.objects.order_by("position", "pk")))
        .order_by("cohort__title", "-votes", "created_at", "pk")
    )
    for question in questions:
        question.shown_asker = asker_name(question, instructor=True)
        question.triage_sections = list(question.cohort.sections.all())
        question.triage_next = "/pending/#class-questions"
    return questions


def merge_targets(cohort):
    """The cohort's notes questions a duplicate may be merged into: answered ones first."""
    rows = Question.objects.filter(section__cohort=cohort).select_related("section").order_by("-answer_html", "-pk")
    return [(q.pk, f"{q.section.title} · {q.question[:90]}") for q in rows[:500]]


def queue_merge_targets(questions):
    """Merge targets for the pending queue: the notes questions of the cohorts ``questions`` are in."""
    cohorts = {q.cohort_id: q.cohort for q in questions}
    return [target for cohort in cohorts.values() for target in merge_targets(cohort)]


def asker_name(student_question, *, instructor: bool) -> str:
    """Who asked, as the viewer may see it: classmates get the nickname (or the account's name)
    unless it was asked anonymously to them; instructors always see who asked."""
    author = student_question.author
    account = (author.get_full_name() or author.get_username()) if author is not None else ""
    if instructor:
        return " · ".join(dict.fromkeys(filter(None, [student_question.nickname, account])))
    return "" if student_question.anonymous_to_classmates else (student_question.nickname or account)


def status_of(student_question) -> str:
    """The status as the asker reads it: open, answered, accepted (answer coming), merged, dismissed."""
    status = student_question.status
    if status in (StudentQuestion.Status.ACCEPTED, StudentQuestion.Status.MERGED) and student_question.answered_at:
        return "answered"
    if status == StudentQuestion.Status.MERGED and student_question.question_id and _answered(student_question):
        return "answered"
    return status


def _answered(student_question) -> bool:
    question = student_question.question
    return bool(question is not None and question.answer_html)


def viewer_state(request, cohort) -> dict:
    """The viewer's part of the page: may they ask, their questions, votes and unseen notices."""
    keys = participant_keys(request)
    state = {"keys": keys, "may_ask": can_ask(request.user, cohort), "mine": [], "voted": [], "unseen": 0,
             "notices": [], "script": {"voted": [], "mine": [], "statuses": {}, "notices": []}}
    if not keys:
        return state
    mine = (
        StudentQuestion.objects.filter(cohort=cohort, participant__in=keys)
        .with_votes()
        .select_related("question__section", "merged_into")
        .order_by("-created_at", "-pk")[:MY_LIST_LIMIT]
    )
    state["mine"] = [(q, status_of(q)) for q in mine]
    state["voted"] = list(
        StudentQuestion.objects.filter(cohort=cohort, vote_rows__voter__in=keys).values_list("pk", flat=True)
    )
    # One query for the badge and the toasts: the unseen notices of this cohort, newest first.
    unseen = list(notifications_for(keys, unseen_only=True).filter(student_question__cohort=cohort)[:MY_LIST_LIMIT])
    state["notices"] = [
        {"id": n.pk, "question": n.student_question_id, "kind": n.kind, "asked": n.asked}
        for n in unseen
        if n.kind == Notification.Kind.ANSWERED
    ]
    state["unseen"] = len(unseen)
    state["script"] = {
        "voted": state["voted"],
        "mine": [q.pk for q, _status in state["mine"]],
        "statuses": {q.pk: status for q, status in state["mine"]},
        "notices": state["notices"],
    }
    return state


def viewer_tag(request) -> str:
    """A short, opaque part of an ETag that changes with who the viewer is as a participant
    (their own questions and votes are in what they get) and with their unseen notices.

    Marking notices seen (asking.hearing.mark_seen) announces nothing, since nobody else's page
    changes; the unseen count is what makes a reload after "seen" miss its old ETag instead of
    a 304 with the old badge. One indexed count (Notification.recipient), for participants only:
    an anonymous visitor without a cookie stays at the cohort lookup alone."""
    keys = participant_keys(request)
    if not keys:
        return "0"
    unseen = notifications_for(keys, unseen_only=True).count()
    return hashlib.sha256("|".join(keys).encode()).hexdigest()[:12] + f"n{unseen}"
