"""What the room is looking at: the student question the instructor marks "now answering".

One row per cohort, cohort content like the questions themselves: marking one announces the
cohort (courses.changes), so the projector, the cohort page and their polls follow at once.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import CohortContent


class NowAnswering(CohortContent):
    cohort = models.OneToOneField(
        "courses.Cohort", verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="now_answering"
    )
    # None: nothing marked (the projector shows the list alone).
    student_question = models.ForeignKey(
        "asking.StudentQuestion",
        verbose_name=_("student question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Now answering")
        verbose_name_plural = _("Now answering")

    def __str__(self):
        return f"{self.cohort_id}: {self.student_question_id}"

    def page_cohort(self):
        return self.cohort

    @classmethod
    def mark(cls, cohort, student_question):
        """Mark ``student_question`` (of ``cohort``, or None to clear) as the one being answered."""
        if student_question is not None and student_question.cohort_id != cohort.pk:
            raise ValueError("That question was asked in another cohort.")
        row, _created = cls.objects.update_or_create(cohort=cohort, defaults={"student_question": student_question})
        return row

    @classmethod
    def of(cls, cohort):
        """The student question marked for ``cohort``, or None."""
        row = cls.objects.filter(cohort=cohort).select_related("student_question__question").first()
        return row.student_question if row else None
