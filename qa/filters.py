"""Search filters: only ever offer, and only ever match, what the visitor may see."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Cohort
from curriculum.models import Chapter
from qa.models import Question, Section


def _visible_cohorts(request):
    return Cohort.objects.visible_to(request.user if request else None)


class QuestionSearchFilter(django_filters.FilterSet):
    program = django_filters.ChoiceFilter(
        field_name="section__cohort__program", label=_("Program"), empty_label=_("All programs")
    )
    cohort = django_filters.ModelChoiceFilter(
        field_name="section__cohort",
        queryset=_visible_cohorts,
        to_field_name="slug",
        label=_("Cohort"),
        empty_label=_("All cohorts"),
    )
    # The sections that exist (in cohorts the visitor may see), not a free-text box.
    section = django_filters.ChoiceFilter(
        field_name="section__title", lookup_expr="iexact", label=_("Section"), empty_label=_("All sections")
    )
    chapter = django_filters.ModelChoiceFilter(
        queryset=Chapter.objects.all(), to_field_name="number", label=_("Chapter"), empty_label=_("All chapters")
    )
    pending = django_filters.BooleanFilter(
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
        titles = Section.objects.filter(cohort__in=_visible_cohorts(self.request)).values_list("title", flat=True)
        unique = {title.casefold(): title for title in sorted(set(titles), reverse=True)}  # one per spelling
        wanted = (self.data or {}).get("section", "")
        if wanted and wanted.casefold() in unique:
            unique[wanted.casefold()] = wanted  # ?section=docker (any case) still filters, as it always did
        self.filters["section"].extra["choices"] = sorted((t, t) for t in unique.values())
