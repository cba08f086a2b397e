"""Hearing back: when a question someone asked or voted for is answered, they are told.

Answered means the notes question a student question became or was merged into has an
answer: at the triage (accepting with an answer, merging into an answered question,
answering directly) or later, when the pending question gets its answer by any path — the
pending queue, the quick entry, the API, the admin, a bulk ``Question.objects.update()``, the
notes importer. Those later ones are heard through the one mechanism every visible write
already goes through: the announcement of the notes question's cohort
(courses.changes.cohorts_changed, after the commit), not a signal of their own that a write
path could skip. Each recipient gets one Notification row per student question (a
unique constraint), under their voter key, so anonymous askers see theirs through their
cookie; users who opted in (AskerSettings.email_when_answered) and have an address also get
an e-mail, sent after the commit through Django's e-mail framework (settings: EMAIL_URL).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from asking.models import AskerSettings, Notification, StudentQuestion, Vote
from courses.changes import cohorts_changed
from notes.parser.text import is_pending_answer


def recipients_of(student_question) -> dict[str, tuple[int | None, bool]]:
    """voter key → (user id or None, whether they asked it): the asker, then every voter."""
    found: dict[str, tuple[int | None, bool]] = {}
    for voter, user_id in Vote.objects.filter(student_question=student_question).values_list("voter", "user_id"):
        found[voter] = (user_id, False)
    found[student_question.participant] = (student_question.author_id, True)
    return found


def record(student_question, kind: str, recipients: dict[str, tuple[int | None, bool]]) -> list[Notification]:
    """Notification rows for ``recipients`` (a second one for the same question and kind is ignored)."""
    rows = [
        Notification(recipient=key, user_id=user_id, student_question=student_question, kind=kind, asked=asked)
        for key, (user_id, asked) in recipients.items()
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return rows


def record_answered(student_questions) -> int:
    """Tell the askers and voters of ``student_questions`` not yet told; returns how many were told.
    Call inside the write transaction: the e-mails go after its commit."""
    told = 0
    now = timezone.now()
    for student_question in student_questions.filter(answered_at__isnull=True).select_related("question"):
        # At most once per student question, even with two saves racing.
        if not StudentQuestion.objects.filter(pk=student_question.pk, answered_at__isnull=True).update(
            answered_at=now
        ):
            continue
        record(student_question, Notification.Kind.ANSWERED, recipients_of(student_question))
        told += 1
        pk = student_question.pk
        transaction.on_commit(lambda pk=pk: send_answered_emails(pk))
    return told


def record_dismissed(student_question) -> None:
    """Only the asker hears of a dismissal (and only they see its reason)."""
    record(
        student_question,
        Notification.Kind.DISMISSED,
        {student_question.participant: (student_question.author_id, True)},
    )


def forget(student_question, kind: str) -> None:
    """Undo of a triage: what it told is withdrawn (an e-mail already sent stays sent)."""
    Notification.objects.filter(student_question=student_question, kind=kind).delete()


@receiver(cohorts_changed)
def answered_later(sender, cohort_ids, **kwargs):
    """Cohorts changed (committed): tell those still waiting on student questions whose notes
    question, in one of them, now has an answer. One query per announcement finds them (none
    once told: ``answered_at``); a failure here leaves them untold until the next change of
    that cohort, which finds them again."""
    waiting = StudentQuestion.objects.filter(
        ~Q(question__answer=""), answered_at__isnull=True, question__section__cohort_id__in=cohort_ids
    ).select_related("question")
    answered = [sq.pk for sq in waiting if not is_pending_answer(sq.question.answer)]
    if answered:
        with transaction.atomic():
            record_answered(StudentQuestion.objects.filter(pk__in=answered))


def wants_email(user) -> bool:
    if not user.email:
        return False
    return AskerSettings.objects.filter(user=user, email_when_answered=True).exists()


def send_answered_emails(student_question_id: int) -> int:
    """E-mail the opted-in recipients of the answered notifications not e-mailed yet; returns the count."""
    pending = Notification.objects.filter(
        student_question_id=student_question_id,
        kind=Notification.Kind.ANSWERED,
        emailed_at__isnull=True,
        user__isnull=False,
        user__email__gt="",
        user__asker_settings__email_when_answered=True,
    ).select_related("user", "student_question__question__section__cohort")
    messages, sent = [], []
    for notification in pending:
        student_question = notification.student_question
        question = student_question.question
        if question is None:
            continue
        link = settings.SITE_URL.rstrip("/") + question.get_absolute_url() if settings.SITE_URL else ""
        subject = _("Answered: %(text)s") % {"text": student_question.text[:60]}
        body = "\n\n".join(
            part
            for part in (
                _("The question you asked in %(cohort)s has an answer:")
                % {"cohort": question.section.cohort.title}
                if notification.asked
                else _("A question you voted for in %(cohort)s has an answer:")
                % {"cohort": question.section.cohort.title},
                question.question,
                question.answer,
                link,
            )
            if part
        )
        messages.append((subject, body, None, [notification.user.email]))
        sent.append(notification.pk)
    if messages:
        send_mass_mail(messages, fail_silently=False)
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    return len(messages)


def notifications_for(keys, *, unseen_only: bool = False):
    """The notifications of a caller with voter ``keys`` (asking.participants.participant_keys)."""
    found = Notification.objects.filter(recipient__in=list(keys)).select_related("student_question__question")
    return found.filter(seen_at__isnull=True) if unseen_only else found


def mark_seen(keys) -> int:
    return Notification.objects.filter(recipient__in=list(keys), seen_at__isnull=True).update(seen_at=timezone.now())
