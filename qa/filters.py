"""Filters of questions: what each one means, once (``QuestionFilterSet``), and the search
page's filters, which offer (and only ever match) what the visitor may see.

``/api/questions/`` (``qa.api.filters.QuestionFilter``) and the search page
(``QuestionSearchFilter``) both derive from ``QuestionFilterSet``: they differ in how a
value is given (free text in the API, a choice of what exists on the page), not in what
it selects."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Cohort
from curriculum.models import Chapter
from qa.models import Question, Section


def _as_given(value, model, attribute: str):
    """A value as the API gives it: the page's choices are ``model`` rows, named by ``attribute``."""
    return getattr(value, attribute) if isinstance(value, model) else value


class QuestionFilterSet(django_filters.FilterSet):
    """The meaning of the filters both filter sets have: a cohort (by slug), a section (by
    title), a chapter (by number), pending or answered."""

    # How a section's title is matched: the page offers one choice per spelling (any case).
    section_title_lookup = "exact"

    class Meta:
        model = Question
        fields: list[str] = []

    def filter_cohort(self, questions, name, value):
        return questions.filter(section__cohort__slug=_as_given(value, Cohort, "slug"))

    def filter_section(self, questions, name, value):
        return questions.filter(**{f"section__title__{self.section_title_lookup}": value})

    def filter_chapter(self, questions, name, value):
        return questions.filter(chapter__number=_as_given(value, Chapter, "number"))

    def filter_pending(self, questions, name, value):
        return questions.pending() if value in (True, "true") else questions.answered()


def _visible_cohorts(request):
    return Cohort.objects.visible_to(request.user if request else None)


class QuestionSearchFilter(QuestionFilterSet):
    section_title_lookup = "iexact"

    program = django_filters.ChoiceFilter(
        field_name="section__cohort__program", label=_("Program"), empty_label=_("All programs")
    )
    cohort = django_filters.ModelChoiceFilter(
        method="filter_cohort",
        queryset=_visible_cohorts,
        to_field_name="slug",
        label=_("Cohort"),
        empty_label=_("All cohorts"),
    )
    # The sections that exist (in cohorts the visitor may see), not a free-text box.
    section = django_filters.ChoiceFilter(method="filter_section", label=_("Section"), empty_label=_("All sections"))
    chapter = django_filters.ModelChoiceFilter(
        method="filter_chapter",
        queryset=Chapter.objects.all(),
        to_field_name="number",
        label=_("Chapter"),
        empty_label=_("All chapters"),
    )
    pending = django_filters.BooleanFilter(
        method="filter_pending",
        label=_("Answer"),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Pending")), ("false", _("Answered"))]),
    )

    class Meta:
        model = Question
        fields = ["program", "cohort", "section", "chapter", "pending"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        programs = _visible_cohorts(self.request).exclude(program="").order_by("program")
        names = programs.values_list("program", flat=True).distinct()
        self.filters["program"].extra["choices"] = [(name, name) for name in names]
        sections = Section.objects.filter(cohort__in=_visible_cohorts(self.request)).order_by()
        # Each title once from the database: an archive repeats the same few across every cohort.
        titles = sections.values_list("title", flat=True).distinct()
        unique = {title.casefold(): title for title in sorted(set(titles), reverse=True)}  # one per spelling
        wanted = (self.data or {}).get("section", "")
        if wanted and wanted.casefold() in unique:
            unique[wanted.casefold()] = wanted  # ?section=docker (any case) still filters, as it always did
        self.filters["section"].extra["choices"] = sorted((t, t) for t in unique.values())
