"""What a question reads as, and what a write may say (a section by id or by title)."""

from django.http import Http404
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError

from courses.people import PersonField
from courses.policy import can_write, get_cohort_for_user
from curriculum.models import Chapter
from mspt3.fields import one_line
from mspt3.limits import ANSWER_MAX_CHARS, QUESTION_MAX_CHARS
from mspt3.validators import MarkdownLimitValidator
from qa.chapter_sources import site_question_chapter
from qa.models import ChapterSource, Question, Section
from qa.placement import place
from qa.rendering import rendered_in_advance

QUESTION_MAX_LENGTH = QUESTION_MAX_CHARS
ANSWER_MAX_LENGTH = ANSWER_MAX_CHARS
SECTION_TITLE_MAX_LENGTH = 200
# Ids beyond this cannot exist (and would overflow SQLite's integers).
MAX_ID = 2**53


def is_id(value) -> bool:
    """Section references: an integer, or a string of digits, is an id; anything else a title."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and value.isdigit() and len(value) <= 15)


class QuestionSerializer(serializers.ModelSerializer):
    cohort = serializers.CharField(source="section.cohort.slug", help_text="The cohort's slug.")
    section = serializers.IntegerField(source="section_id", help_text="The section's id.")
    section_title = serializers.CharField(source="section.title")
    chapter = serializers.IntegerField(source="chapter.number", allow_null=True, default=None)
    chapter_source = serializers.ChoiceField(
        choices=ChapterSource.choices, allow_blank=True, read_only=True,
        help_text="Where the chapter came from: `explicit` (the text names it, e.g. `CH08`), `inferred` (from "
        "the content, its section and neighbours, or what was being taught), `instructor` (set by an instructor; "
        "a re-import keeps it). Empty when there is no chapter.",
    )
    author = PersonField(cohort_source="section.cohort_id")
    url = serializers.CharField(source="get_absolute_url", help_text="The question on the cohort's page.")

    class Meta:
        model = Question
        fields = [
            "id",
            "url",
            "cohort",
            "section",
            "section_title",
            "chapter",
            "chapter_source",
            "question",
            "question_html",
            "answer",
            "answer_html",
            "pending",
            "position",
            "author",
            "origin",
            "revision",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 1, "description": "A section id of the cohort."},
            {
                "type": "string",
                "minLength": 1,
                "maxLength": SECTION_TITLE_MAX_LENGTH,
                "description": "A section title (a new title creates the section).",
            },
        ]
    }
)
class SectionReferenceField(serializers.Field):
    """A section id (int or digits) or title; resolved against the cohort in validate()."""

    default_error_messages = {
        "invalid": "Give a section id (integer) or a section title (string).",
        "blank": "The section title may not be blank.",
        "max_length": f"A section title may be at most {SECTION_TITLE_MAX_LENGTH} characters.",
    }

    def to_internal_value(self, data):
        if is_id(data):
            return int(data)
        if not isinstance(data, str) or isinstance(data, bool):
            self.fail("invalid")
        title = one_line(data).strip()  # a title is one line, as the model stores it
        if not title:
            self.fail("blank")
        if len(title) > SECTION_TITLE_MAX_LENGTH:
            self.fail("max_length")
        if "\x00" in title:
            self.fail("invalid")
        return title

    def to_representation(self, value):
        return value


class QuestionWriteSerializer(serializers.Serializer):
    cohort = serializers.CharField(max_length=100, help_text="The cohort's slug.")
    section = SectionReferenceField(
        required=False,
        help_text="Section id, or title (a new title creates the section). Optional on create: the section "
        "of the chapter the question names (`CH08`, `8장`, `실습 05`…), else what is taught today (qa.placement).",
    )
    question = serializers.CharField(
        max_length=QUESTION_MAX_LENGTH, validators=[MarkdownLimitValidator(None)], help_text="The question, markdown."
    )
    answer = serializers.CharField(
        max_length=ANSWER_MAX_LENGTH,
        validators=[MarkdownLimitValidator(None)],
        allow_blank=True,
        required=False,
        trim_whitespace=False,
        help_text="Markdown as typed (not indented). Empty or `...` leaves the question pending.",
    )
    chapter = serializers.IntegerField(
        min_value=1,
        max_value=99,
        allow_null=True,
        required=False,
        help_text="Chapter number, or null. Given, it is the instructor's (`chapter_source` becomes `instructor`, "
        "kept by re-imports). Left out on create: the chapter the question names, else one inferred from its "
        "content or today's.",
    )
    position = serializers.IntegerField(
        min_value=1, max_value=1_000_000, required=False, help_text="Order within the section (default: last)."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not self.partial:
            self.fields["section"].required = True  # PUT replaces every editable field; only a create places

    def validate_cohort(self, slug):
        request = self.context["request"]
        try:
            cohort = get_cohort_for_user(request.user, slug)
        except Http404:  # unknown and invisible read the same: no hint
            raise ValidationError("No cohort with this slug.") from None
        if self.instance is not None and cohort.pk != self.instance.section.cohort_id:
            raise ValidationError("A question cannot move to another cohort.")
        if not can_write(request.user, cohort):
            raise PermissionDenied("Only this cohort's instructors may change it.")
        return cohort

    def validate_chapter(self, number):
        if number is None:
            return None
        chapter = Chapter.objects.filter(number=number).first()
        if chapter is None:
            raise ValidationError(f"No chapter {number}.")
        return chapter

    def validate(self, attrs):
        if "section" in attrs:
            cohort = attrs.get("cohort") or self.instance.section.cohort
            ref = attrs["section"]
            if isinstance(ref, int):
                section = cohort.sections.filter(pk=ref).first() if ref < MAX_ID else None
                if section is None:
                    raise ValidationError({"section": [f"No section {ref} in this cohort."]})
                attrs["section"] = section
            # A title stays a string until save, so an invalid request creates no section.
        if self.instance is None and "question" in attrs and "cohort" in attrs:
            self.place(attrs)
        return attrs

    @staticmethod
    def place(attrs):
        """A new question without a section or chapter gets them by the site's one rule (qa.placement)."""
        cohort, text = attrs["cohort"], attrs["question"]
        placement = place(cohort, text, section=attrs.get("section"), chapter=attrs.get("chapter"))
        if placement.section is None:
            raise ValidationError(
                {"section": ["Give a section: the question names no chapter and nothing is scheduled for today."]}
            )
        attrs["section"] = placement.section
        if "chapter" not in attrs:  # inferred here, before the write transaction
            attrs["chapter"], attrs["chapter_source"] = site_question_chapter(
                text, attrs.get("answer", ""), placement.section_title, placement.chapter, placement.chapter_reason)

    @staticmethod
    def section_for(cohort, ref):
        if isinstance(ref, Section):
            return ref
        return Section.objects.titled(cohort, ref)

    def rendered_in_advance(self):
        """Render the new texts before the write transaction (qa.rendering)."""
        data, current = self.validated_data, self.instance
        cohort = data.get("cohort") or current.section.cohort
        texts = [data.get(field, getattr(current, field, "")) for field in ("question", "answer")]
        return rendered_in_advance(texts, cohort.pk)

    def apply(self, question: Question):
        """Copy validated fields onto ``question`` (not saved)."""
        data = self.validated_data
        if "section" in data:
            cohort = data.get("cohort") or question.section.cohort
            section = self.section_for(cohort, data["section"])
            if question.section_id != section.pk:
                question.section = section
                if "position" not in data:
                    question.position = Question.next_position(section)
        for field in ("question", "answer", "chapter", "position"):
            if field in data:
                setattr(question, field, data[field])
        if "chapter" in data:
            question.chapter_source = data.get("chapter_source", ChapterSource.INSTRUCTOR)
        return question
