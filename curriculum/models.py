from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CohortContent, CohortContentQuerySet
from mspt3.fields import SingleLineCharField


class Chapter(CohortContent):
    """One of the 15 chapters; its theory part is the book chapter. Every cohort's page shows it."""

    cohort_lookup = None

    class Part(models.TextChoices):
        DOCKER = "docker", "Docker"
        KUBERNETES = "kubernetes", "Kubernetes"
        HELM = "helm", "Helm"

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    slug = models.CharField(_("slug"), max_length=100, help_text=_("e.g. 06_Dockerfile_BestPractice"))
    title = models.CharField(_("title"), max_length=200, help_text=_("e.g. Dockerfile Best Practice"))
    part = models.CharField(_("part"), max_length=20, choices=Part.choices)

    class Meta:
        ordering = ["number"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1) & Q(number__lte=99), name="chapter_number_range"),
        ]

    def __str__(self):
        return f"{self.number:02d} {self.title}"

    @property
    def theory_label(self):
        """The theory part as the notes write it: ``[Book] 06_Dockerfile_BestPractice``."""
        return f"[Book] {self.slug}"

    def get_absolute_url(self):
        return reverse("chapter", kwargs={"number": self.number})

    @property
    def lab_or_none(self):
        """The chapter's hands-on lab, or None for a chapter without one: the one way the
        site asks (select_related("lab") makes it free)."""
        try:
            return self.lab
        except ObjectDoesNotExist:
            return None


class LabQuerySet(CohortContentQuerySet):
    def setup(self, track=""):
        """Labs outside the 15 chapters, for one track (plus the track-independent ones)."""
        return self.filter(chapter__isnull=True).filter(Q(track="") | Q(track=track))


def lab_chapter_numbers():
    """{a chapter lab's own number: its chapter's number} (lab 05 → 6), as references name labs."""
    return {
        int(lab.code): lab.chapter.number
        for lab in Lab.objects.filter(kind=Lab.Kind.CHAPTER).select_related("chapter")
        if lab.code.isdigit()
    }


class Lab(CohortContent):
    """A hands-on lab. Its own number need not match its chapter's (lab 05 is chapter 6).
    Every cohort's page shows the chapter labs."""

    cohort_lookup = None

    class Kind(models.TextChoices):
        CHAPTER = "chapter", _("chapter lab")
        SETUP = "setup", _("set-up")
        TERMINATION = "termination", _("termination")

    code = models.CharField(_("code"), max_length=20, help_text=_("The lab's own number as written, e.g. 05"))
    slug = models.CharField(_("slug"), max_length=100, help_text=_("e.g. 05_Dockerfile"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CHAPTER)
    chapter = models.OneToOneField(
        Chapter, verbose_name=_("chapter"), null=True, blank=True, on_delete=models.SET_NULL, related_name="lab"
    )
    track = models.CharField(
        _("track"), max_length=50, blank=True, help_text=_("Only for this track (AWS, SCP…); blank: all.")
    )
    has_self_study = models.BooleanField(_("has self study"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = LabQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "position", "code"]
        verbose_name = _("lab")
        verbose_name_plural = _("labs")
        constraints = [
            models.UniqueConstraint(fields=["slug", "track"], name="unique_lab_per_track"),
            models.CheckConstraint(
                condition=Q(kind="chapter", chapter__isnull=False) | ~Q(kind="chapter"),
                name="chapter_lab_has_chapter",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return f"[Hands-on] {self.slug}"


class ScheduleDayQuerySet(CohortContentQuerySet):
    def default(self):
        return self.filter(cohort__isnull=True)

    def for_cohort(self, cohort):
        """The cohort's own schedule if it has one, else the default plan."""
        own = self.filter(cohort=cohort)
        return own if own.exists() else self.default()

    def today_for(self, cohort, on=None):
        """The day being taught on ``on`` (today): day N of a running cohort's plan, else None."""
        number = cohort.course_day(on)
        if number is None:
            return None
        return self.for_cohort(cohort).filter(day=number).first()


class ScheduleDay(CohortContent):
    """A day of the plan: which theory and lab ranges it covers.

    Rows without a cohort are the default 3-day plan; a cohort may have its own.
    """

    cohort = models.ForeignKey(
        "courses.Cohort",
        verbose_name=_("cohort"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedule_days",
    )
    day = models.PositiveSmallIntegerField(_("day"))
    theory = SingleLineCharField(_("theory"), max_length=200, help_text=_("Docker overview ~ network"))
    lab = SingleLineCharField(_("lab"), max_length=200, blank=True, help_text="Docker 설치 ~ network")
    first_chapter = models.ForeignKey(
        Chapter, verbose_name=_("first chapter"), on_delete=models.PROTECT, related_name="+"
    )
    last_chapter = models.ForeignKey(
        Chapter, verbose_name=_("last chapter"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ScheduleDayQuerySet.as_manager()
    # The default plan is shown on every cohort that has no plan of its own.
    unset_cohort_shows_everywhere = True

    class Meta:
        ordering = ["cohort_id", "day"]
        verbose_name = _("schedule day")
        verbose_name_plural = _("schedule days")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "day"], name="one_row_per_cohort_day"),
            models.UniqueConstraint(fields=["day"], condition=Q(cohort__isnull=True), name="one_default_row_per_day"),
        ]

    def __str__(self):
        return f"{self.day}일차: {self.theory}"

    def page_cohort(self):
        return self.cohort if self.cohort_id else None

    def date_for(self, cohort):
        """The calendar date of this day in ``cohort`` (None while it has no start date)."""
        return cohort.starts_on + timedelta(days=self.day - 1) if cohort.starts_on else None

    def chapter_numbers(self):
        return range(self.first_chapter.number, self.last_chapter.number + 1)


class ProgressQuerySet(CohortContentQuerySet):
    def completed(self):
        return self.filter(theory_done_at__isnull=False)


class Progress(CohortContent):
    """Per cohort and chapter: theory and lab are completed separately (who and when)."""

    cohort = models.ForeignKey(
        "courses.Cohort", verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="progress"
    )
    chapter = models.ForeignKey(Chapter, verbose_name=_("chapter"), on_delete=models.CASCADE, related_name="progress")
    theory_done_at = models.DateTimeField(_("theory done at"), null=True, blank=True)
    theory_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("theory done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lab_done_at = models.DateTimeField(_("lab done at"), null=True, blank=True)
    lab_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lab done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProgressQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "chapter__number"]
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        constraints = [models.UniqueConstraint(fields=["cohort", "chapter"], name="one_progress_per_cohort_chapter")]

    def __str__(self):
        marks = ("theory ✓" if self.theory_done else "theory") + " / " + ("lab ✓" if self.lab_done else "lab")
        return f"{self.cohort} · CH{self.chapter.number:02d} · {marks}"

    @property
    def theory_done(self):
        return self.theory_done_at is not None

    @property
    def lab_done(self):
        return self.lab_done_at is not None

    def mark(self, part: str, done: bool, user=None, when=None) -> bool:
        """Strike ``part`` ("theory" or "lab") through, or back, recording who and when.

        A part already in that state keeps its first record. Returns whether
        anything changed; the caller saves.
        """
        if getattr(self, f"{part}_done") == done:
            return False
        setattr(self, f"{part}_done_at", (when or timezone.now()) if done else None)
        setattr(self, f"{part}_done_by", user if done else None)
        return True

    def page_cohort(self):
        return self.cohort
