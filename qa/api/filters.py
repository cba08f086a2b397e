"""The filters of /api/questions/."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework.exceptions import ValidationError

from mspt3.limits import SEARCH_MAX_CHARS, SEARCH_MAX_WORDS, check_search
from qa.api.serializers import MAX_ID, SECTION_TITLE_MAX_LENGTH, is_id
from qa.filters import QuestionFilterSet
from qa.models import Question


@extend_schema_field({"type": "string", "enum": ["true", "false"]})
class PendingFilter(filters.ChoiceFilter):
    def __init__(self, **kwargs):
        super().__init__(choices=[("true", "true"), ("false", "false")], method="filter_pending", **kwargs)


ORDERINGS = {
    "position": list(Question._meta.ordering),
    "created_at": ["created_at", "id"],
    "updated_at": ["updated_at", "id"],
    "id": ["id"],
    # Newest cohort first, then the newest question (search results are ranked unless asked for this).
    "newest": ["-section__cohort__starts_on", "-created_at", "-id"],
}


class QuestionFilter(QuestionFilterSet, filters.FilterSet):
    """The filters of /api/questions/; what the shared ones select is qa.filters.QuestionFilterSet's."""

    cohort = filters.CharFilter(method="filter_cohort", max_length=100, help_text="Only this cohort (slug).")
    section = filters.CharFilter(
        method="filter_section",
        max_length=SECTION_TITLE_MAX_LENGTH,
        help_text="A section id (digits) or an exact section title (e.g. `Docker`; across cohorts unless "
        "`cohort` is given).",
    )
    chapter = filters.NumberFilter(
        method="filter_chapter", min_value=1, max_value=99, decimal_places=0, help_text="Chapter number."
    )
    pending = PendingFilter(help_text="`true`: questions still waiting for an answer; `false`: answered ones.")
    search = filters.CharFilter(
        method="filter_search",
        max_length=SEARCH_MAX_CHARS,
        help_text="Words that must all appear in the question or its answer after analysis (Korean particles "
        "and endings do not matter; the course glossary links English and Korean spellings: `volume` finds "
        f"`볼륨`); ranked best match first unless `ordering` is given; at most {SEARCH_MAX_WORDS} words.",
    )
    ordering = filters.ChoiceFilter(
        method="filter_ordering",
        choices=[(name, name) for key in ORDERINGS for name in (key, f"-{key}")],
        help_text="`position` (default; with `search`: best match) is the notes' order: cohort, section, "
        "position. `newest`: newest cohort and question first. Prefix `-` to reverse.",
    )

    class Meta:
        model = Question
        fields = ["cohort", "section", "chapter", "pending", "search", "ordering"]

    def filter_section(self, qs, name, value):
        """A section id (digits), else a title."""
        if is_id(value):
            return qs.filter(section_id=int(value)) if int(value) < MAX_ID else qs.none()
        return super().filter_section(qs, name, value)

    def filter_search(self, qs, name, value):
        if too_long := check_search(value):
            raise ValidationError(
                {"search": [f"At most {SEARCH_MAX_WORDS} words and {SEARCH_MAX_CHARS} characters; "
                            f"this has {too_long[1]} words and {too_long[0]} characters."]}
            )
        return qs.search(value)

    def filter_ordering(self, qs, name, value):
        fields = ORDERINGS[value.removeprefix("-")]
        if value.startswith("-"):
            fields = [f[1:] if f.startswith("-") else f"-{f}" for f in fields]
        return qs.order_by(*fields)
