"""Questions students ask a cohort, their votes, and what tells an asker the question was answered.

A student question is not part of the notes: accepting it (asking.actions) makes a
qa.Question through that model's save path; only that one is exported. Both models here are
cohort content (courses.models.CohortContent): every save, delete and bulk change announces
the cohort (courses.changes), so the cohort page's ETag and its live poll cover the class's
questions and their vote counts with no request of their own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from courses.models import CohortContent, CohortContentQuerySet
from mspt3.fields import SingleLineCharField
from mspt3.limits import QUESTION_MAX_CHARS
from mspt3.validators import MarkdownLimitValidator

# A student question becomes a notes question when accepted: the same limit as a question's text.
ASK_MAX_CHARS = QUESTION_MAX_CHARS
NICKNAME_MAX_CHARS = 40
DISMISS_REASON_MAX_CHARS = 500
# "u:<user id>" or "p:<participant id>" (asking.participants.Participant.key).
VOTER_KEY_MAX_CHARS = 64


class StudentQuestionQuerySet(CohortContentQuerySet):
    def with_votes(self, voter_key: str = ""):
        """Annotate ``votes`` (the count) and ``voted`` (whether ``voter_key`` voted)."""
        mine = Vote.objects.filter(student_question=OuterRef("pk"), voter=voter_key)
        return self.annotate(votes=Count("vote_rows", distinct=True), voted=Exists(mine))

    def open(self):
        return self.filter(status=StudentQuestion.Status.OPEN)

    def by_votes(self):
        """Open ones first, by votes then time (the class list and the projector's order)."""
        is_open = models.Case(models.When(status=StudentQuestion.Status.OPEN, then=0), default=1)
        return self.order_by(is_open, "-votes", "created_at", "pk")

    def asked_by(self, voter_key: str):
        return self.filter(participant=voter_key) if voter_key else self.none()


class StudentQuestion(CohortContent):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        MERGED = "merged", _("merged")
        DISMISSED = "dismissed", _("dismissed")

    cohort = models.ForeignKey(
        "courses.Cohort", verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="student_questions"
    )
    text = models.TextField(_("question"), validators=[MarkdownLimitValidator(ASK_MAX_CHARS)])
    # Rendered and sanitised before the write (qa.rendering.rendered_in_advance), never per view.
    html = models.TextField(_("html"), blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="student_questions",
    )
    # Who asked, as a voter key: the user, or an anonymous visitor's signed participant cookie.
    participant = models.CharField(_("participant"), max_length=VOTER_KEY_MAX_CHARS, db_index=True)
    nickname = SingleLineCharField(_("nickname"), max_length=NICKNAME_MAX_CHARS, blank=True)
    anonymous_to_classmates = models.BooleanField(_("anonymous to classmates"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    # The notes question it became (accepted) or was merged into (merged).
    question = models.ForeignKey(
        "qa.Question",
        verbose_name=_("question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="student_questions",
    )
    # Merged into another student question of the class (a duplicate): its votes moved there.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )
    dismiss_reason = models.TextField(_("reason"), blank=True, max_length=DISMISS_REASON_MAX_CHARS)
    # When the asker and voters were told it was answered (asking.hearing): at most once.
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # Idempotency-Key of the API request that asked it, scoped to the asker ("<voter key>:<key>"),
    # and the fingerprint of that request's body (mspt3.conditional).
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=200, null=True, blank=True, unique=True, editable=False
    )
    idempotency_fingerprint = models.CharField(
        _("idempotency fingerprint"), max_length=64, blank=True, default="", editable=False
    )
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("triaged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = StudentQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "created_at", "pk"]
        verbose_name = _("student question")
        verbose_name_plural = _("student questions")
        indexes = [models.Index(fields=["cohort", "status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "accepted", "merged", "dismissed"]), name="student_question_status"
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def page_cohort(self):
        return self.cohort

    def render(self):
        from qa.rendering import render_for_cohort

        self.html = render_for_cohort(self.text, self.cohort_id)

    def save(self, *args, **kwargs):
        self.render()
        super().save(*args, **kwargs)

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    def etag(self, votes: int) -> str:
        """The API's entity tag: any triage (updated_at) or vote count change moves it."""
        return f'"sq{self.pk}-{int(self.updated_at.timestamp() * 1_000_000)}-v{votes}"'


class Vote(CohortContent):
    """One participant's vote for one student question: the database refuses a second."""

    cohort_lookup = "student_question__cohort"

    student_question = models.ForeignKey(
        StudentQuestion, verbose_name=_("student question"), on_delete=models.CASCADE, related_name="vote_rows"
    )
    voter = models.CharField(_("voter"), max_length=VOTER_KEY_MAX_CHARS)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["student_question", "voter"], name="one_vote_per_participant")]
        indexes = [models.Index(fields=["voter"])]

    def __str__(self):
        return f"{self.voter} → {self.student_question_id}"

    def page_cohort(self):
        return self.student_question.cohort


class Notification(models.Model):
    """Something an asker or voter should hear: their question was answered (or dismissed).

    Per recipient (a voter key, so anonymous askers see theirs through their cookie);
    ``seen_at`` is set when they have looked at it (the badge counts the unseen).
    """

    class Kind(models.TextChoices):
        ANSWERED = "answered", _("answered")
        DISMISSED = "dismissed", _("dismissed")

    recipient = models.CharField(_("recipient"), max_length=VOTER_KEY_MAX_CHARS, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="asking_notifications",
    )
    student_question = models.ForeignKey(
        StudentQuestion, verbose_name=_("student question"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    asked = models.BooleanField(
        _("recipient asked"), default=False, help_text=_("The recipient asked it (else they voted for it).")
    )
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "student_question", "kind"], name="one_notification_each"),
            models.CheckConstraint(condition=Q(kind__in=["answered", "dismissed"]), name="notification_kind"),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.kind} {self.student_question_id}"


class AskerSettings(models.Model):
    """A user's choices about hearing back. No row: the defaults (no e-mail)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="asker_settings"
    )
    email_when_answered = models.BooleanField(
        _("e-mail me when my question is answered"),
        default=False,
        help_text=_("Sent to the address on your account, for questions you asked or voted for."),
    )

    class Meta:
        verbose_name = _("asker settings")
        verbose_name_plural = _("asker settings")

    def __str__(self):
        return f"{self.user}: e-mail {'on' if self.email_when_answered else 'off'}"


class Deflection(models.Model):
    """A question not sent: while typing, the asker saw an earlier answer ("asked before") and
    pressed "that answers it". Counted once per participant and earlier question, for the
    instructors; nobody's page shows it, so it announces nothing. Archived with the app."""

    cohort = models.ForeignKey(
        "courses.Cohort", verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="deflections"
    )
    question = models.ForeignKey(
        "qa.Question", verbose_name=_("question"), on_delete=models.CASCADE, related_name="deflections"
    )
    participant = models.CharField(_("participant"), max_length=VOTER_KEY_MAX_CHARS)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deflection")
        verbose_name_plural = _("deflections")
        indexes = [models.Index(fields=["cohort", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["question", "participant"], name="deflection_once_per_participant")
        ]

    def __str__(self):
        return f"{self.participant}: answered by {self.question_id}"
