"""API for Q&A: questions (read, create, edit, delete) with filters, ETags,
If-Match and Idempotency-Key.

Sections are addressed by id or by title: a value that is an integer (or a
string of digits) is a section id, anything else a title. Creating or moving
a question to a title the cohort does not have yet creates that section at
the end of the cohort (it is exported as ``## <title>``).
"""

from urllib.parse import quote

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.http import HttpResponse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.models import Cohort
from courses.people import PersonField
from courses.policy import can_write, get_cohort_for_user, get_question_for_user
from curriculum.models import Chapter
from mspt3.api_support import (
    COHORT_SLUG,
    ETAG_HEADER,
    IF_MATCH,
    IF_NONE_MATCH,
    KEY_REUSED,
    READ_ERRORS,
    WRITE_ERRORS,
    ApiViewMixin,
    PreconditionFailed,
    RequestTooLarge,
    body_fingerprint,
    conditional,
    precondition_failed_response,
)
from mspt3.conditional import (
    IDEMPOTENCY_HEADER,
    InvalidIdempotencyKey,
    check_same_request,
    has_if_match,
    idempotency_key,
    if_match_failed,
    tag_for,
)
from mspt3.fields import one_line
from mspt3.limits import ANSWER_MAX_CHARS, QUESTION_MAX_CHARS, SEARCH_MAX_CHARS, SEARCH_MAX_WORDS, check_search
from mspt3.validators import MarkdownLimitValidator
from qa.exporter import export_cohort
from qa.importer import import_notes_text
from qa.models import Question, Section, StaleEdit
from qa.notes import NotesError, decode_notes
from qa.rendering import rendered_in_advance
from qa.views_notes import wants_zip, zip_response

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
    section = SectionReferenceField(help_text="Section id, or title (a new title creates the section).")
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
        min_value=1, max_value=99, allow_null=True, required=False, help_text="Chapter number, or null."
    )
    position = serializers.IntegerField(
        min_value=1, max_value=1_000_000, required=False, help_text="Order within the section (default: last)."
    )

    def validate_cohort(self, slug):
        request = self.context["request"]
        cohort = Cohort.objects.visible_to(request.user).filter(slug=slug).first()
        if cohort is None:  # unknown and invisible read the same: no hint
            raise ValidationError("No cohort with this slug.")
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
        return attrs

    @staticmethod
    def section_for(cohort, ref):
        if isinstance(ref, Section):
            return ref
        section = cohort.sections.filter(title=ref).first()
        if section is None:
            last = cohort.sections.aggregate(m=Max("position"))["m"] or 0
            section, _ = Section.objects.get_or_create(
                cohort=cohort, title=ref, defaults={"heading": f"## {ref}", "position": last + 1}
            )
        return section

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
        return question


@extend_schema_field({"type": "string", "enum": ["true", "false"]})
class PendingFilter(filters.ChoiceFilter):
    def __init__(self, **kwargs):
        super().__init__(choices=[("true", "true"), ("false", "false")], **kwargs)

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        return qs.pending() if value == "true" else qs.answered()


ORDERINGS = {
    "position": list(Question._meta.ordering),
    "created_at": ["created_at", "id"],
    "updated_at": ["updated_at", "id"],
    "id": ["id"],
}


class QuestionFilter(filters.FilterSet):
    cohort = filters.CharFilter(
        field_name="section__cohort__slug", max_length=100, help_text="Only this cohort (slug)."
    )
    section = filters.CharFilter(
        method="filter_section",
        max_length=SECTION_TITLE_MAX_LENGTH,
        help_text="A section id (digits) or an exact section title (e.g. `Docker`; across cohorts unless "
        "`cohort` is given).",
    )
    chapter = filters.NumberFilter(
        field_name="chapter__number", min_value=1, max_value=99, decimal_places=0, help_text="Chapter number."
    )
    pending = PendingFilter(help_text="`true`: questions still waiting for an answer; `false`: answered ones.")
    search = filters.CharFilter(
        method="filter_search",
        max_length=SEARCH_MAX_CHARS,
        help_text="Words that must all appear in the question or its answer (substring match, so Korean "
        f"words match inside longer words); at most {SEARCH_MAX_WORDS} words.",
    )
    ordering = filters.ChoiceFilter(
        method="filter_ordering",
        choices=[(name, name) for key in ORDERINGS for name in (key, f"-{key}")],
        help_text="`position` (default) is the notes' order: cohort, section, position. Prefix `-` to reverse.",
    )

    class Meta:
        model = Question
        fields = ["cohort", "section", "chapter", "pending", "search", "ordering"]

    def filter_section(self, qs, name, value):
        if is_id(value):
            return qs.filter(section_id=int(value)) if int(value) < MAX_ID else qs.none()
        return qs.filter(section__title=value)

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


QUESTION_EXAMPLE = {
    "id": 12,
    "url": "/cohorts/msp-t3-24-1/#q-12",
    "cohort": "msp-t3-24-1",
    "section": 3,
    "section_title": "Docker",
    "chapter": 6,
    "question": "멀티 스테이지 빌드에서 이전 스테이지의 파일만 복사하려면?",
    "question_html": "<p>멀티 스테이지 빌드에서 이전 스테이지의 파일만 복사하려면?</p>",
    "answer": "`COPY --from=build /app/bin /app/bin`",
    "answer_html": "<p><code>COPY --from=build /app/bin /app/bin</code></p>",
    "pending": False,
    "position": 4,
    "author": "김강사",
    "origin": "site",
    "revision": 3,
    "created_at": "2024-03-04T10:15:00+09:00",
    "updated_at": "2024-03-04T11:02:00+09:00",
}

IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Any 1–80 printable ASCII characters naming this request (e.g. a UUID). A retry with the same "
    "key and the same body by the same user creates nothing and answers 201 with the question the first "
    "request created (as it is now), plus `Idempotent-Replayed: true`; the same key with another body "
    "(or cohort) is 422.",
    examples=[OpenApiExample("A UUID", value="6f1c2a9e-4b7d-4c11-9d3e-2f8a5b0c7e41")],
)
QUESTION_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The question's id.")
WRITE_EXAMPLES = [
    OpenApiExample(
        "Log a question during class (pending)",
        value={
            "cohort": "msp-t3-24-1", "section": "Docker", "question": "볼륨과 바인드 마운트의 차이는?", "answer": "...",
        },
        request_only=True,
    ),
    OpenApiExample(
        "With an answer and a chapter",
        value={
            "cohort": "msp-t3-24-1",
            "section": 3,
            "question": "CMD와 ENTRYPOINT는 어떻게 다른가요?",
            "answer": "- `ENTRYPOINT`는 실행 파일, `CMD`는 기본 인자\n- 둘 다 있으면 CMD가 ENTRYPOINT의 인자가 됨",
            "chapter": 6,
        },
        request_only=True,
    ),
]
RESPONSE_EXAMPLE = OpenApiExample("A question", value=QUESTION_EXAMPLE, response_only=True, status_codes=["200", "201"])
STALE = precondition_failed_response(QuestionSerializer)


@extend_schema_view(
    list=extend_schema(
        summary="Questions you may see",
        description="Paginated (`page`, `page_size` ≤ 1000). The list's ETag changes whenever any listed "
        "question, its section or its cohort changes; send it in If-None-Match to get 304 while nothing did.",
        parameters=[IF_NONE_MATCH, ETAG_HEADER],
        responses={200: QuestionSerializer(many=True), 400: WRITE_ERRORS[400], **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One question",
        parameters=[QUESTION_ID, IF_NONE_MATCH, ETAG_HEADER],
        responses={200: QuestionSerializer, **READ_ERRORS},
        examples=[RESPONSE_EXAMPLE],
    ),
    create=extend_schema(
        summary="Log a question",
        description="Instructors of the cohort and staff. The author is you. A section title the cohort does "
        "not have yet creates that section (at the end). Send an Idempotency-Key so a retry after a lost "
        "response creates nothing twice.",
        parameters=[IDEMPOTENCY_KEY, ETAG_HEADER],
        request=QuestionWriteSerializer,
        responses={201: QuestionSerializer, **WRITE_ERRORS, 422: KEY_REUSED, 429: READ_ERRORS[429]},
        examples=[*WRITE_EXAMPLES, RESPONSE_EXAMPLE],
    ),
    update=extend_schema(
        summary="Replace a question",
        description="All of `cohort` (must stay the same), `section`, `question`; `answer`, `chapter`, "
        "`position` as given. With If-Match, a stale tag is 412 and nothing changes.",
        parameters=[QUESTION_ID, IF_MATCH, ETAG_HEADER],
        request=QuestionWriteSerializer,
        responses={200: QuestionSerializer, **WRITE_ERRORS, 412: STALE, 429: READ_ERRORS[429]},
        examples=[RESPONSE_EXAMPLE],
    ),
    partial_update=extend_schema(
        summary="Answer or edit a question",
        description="Only the fields given change (e.g. just `answer`). With If-Match, a stale tag is 412 "
        "and nothing changes.",
        parameters=[QUESTION_ID, IF_MATCH, ETAG_HEADER],
        request=QuestionWriteSerializer(partial=True),
        responses={200: QuestionSerializer, **WRITE_ERRORS, 412: STALE, 429: READ_ERRORS[429]},
        examples=[
            OpenApiExample(
                "Fill in the answer", value={"answer": "`docker system df`로 확인합니다."}, request_only=True
            ),
            RESPONSE_EXAMPLE,
        ],
    ),
    destroy=extend_schema(
        summary="Delete a question",
        parameters=[QUESTION_ID, IF_MATCH],
        responses={204: None, 401: WRITE_ERRORS[401], 403: WRITE_ERRORS[403], 404: WRITE_ERRORS[404], 412: STALE,
                   429: READ_ERRORS[429]},
    ),
)
class QuestionViewSet(ApiViewMixin, viewsets.ModelViewSet):
    serializer_class = QuestionSerializer
    filterset_class = QuestionFilter
    lookup_value_regex = r"[0-9]{1,15}"
    queryset = Question.objects.none()  # names the model for the schema; get_queryset() applies the policy

    def get_queryset(self):
        return Question.objects.visible_to(self.request.user).select_related(
            "section__cohort", "chapter", "author"
        )

    def paginate_queryset(self, queryset):
        """Page over the keys, then load only that page's rows: the database sorts
        thousands of small keys instead of thousands of rendered answers."""
        keys = super().paginate_queryset(queryset.values_list("pk", flat=True))
        if keys is None:
            return None
        rows = queryset.order_by().in_bulk(keys)
        return [rows[key] for key in keys]

    def list(self, request, *args, **kwargs):
        questions = self.filter_queryset(self.get_queryset())
        return conditional(request, self.list_etag(request, questions), lambda: super(QuestionViewSet, self).list(
            request, *args, **kwargs
        ))

    def list_etag(self, request, questions) -> str:
        """Changes whenever a listed question changes or leaves the list: every
        question write touches its cohort (version + updated_at), admin edits of a
        cohort move its updated_at, and count/max(updated_at) cover the filter."""
        cohorts = Cohort.objects.visible_to(request.user)
        if request.query_params.get("cohort"):
            cohorts = cohorts.filter(slug=request.query_params["cohort"])
        stamp = questions.order_by().aggregate(n=Count("pk"), last=Max("updated_at"))
        return tag_for(
            "questions",
            sorted(request.query_params.lists()),
            list(cohorts.order_by("pk").values_list("pk", "version", "updated_at")),
            stamp["n"],
            stamp["last"],
        )

    def retrieve(self, request, *args, **kwargs):
        question = get_question_for_user(request.user, int(kwargs["pk"]))
        return conditional(
            request, question.etag, lambda: Response(QuestionSerializer(question, context={"request": request}).data)
        )

    def create(self, request, *args, **kwargs):
        try:
            key = idempotency_key(request, request.user)
        except InvalidIdempotencyKey as error:
            raise ValidationError({IDEMPOTENCY_HEADER: [str(error)]}) from None
        fingerprint = body_fingerprint(request) if key else ""
        if key and (replay := self.replay(key, fingerprint)):
            return replay
        writer = QuestionWriteSerializer(data=request.data, context={"request": request})
        writer.is_valid(raise_exception=True)
        try:
            with writer.rendered_in_advance(), transaction.atomic():
                question = writer.apply(Question(author=request.user, origin=Question.Origin.SITE))
                question.idempotency_key = key
                question.idempotency_fingerprint = fingerprint
                question.save()
        except IntegrityError:
            # Only the idempotency key is unique here: a concurrent twin with the
            # same key won the race (answer with its result), or the key belongs
            # to a question this user can no longer see.
            if replay := self.replay(key, fingerprint):
                return replay
            raise ValidationError({IDEMPOTENCY_HEADER: ["This key was already used."]}) from None
        return self.saved(request, question, status.HTTP_201_CREATED)

    def replay(self, key, fingerprint):
        first = self.get_queryset().filter(idempotency_key=key).first()
        if first is None:
            return None
        check_same_request(first.idempotency_fingerprint, fingerprint)
        response = self.saved(self.request, first, status.HTTP_201_CREATED)
        response["Idempotent-Replayed"] = "true"
        return response

    @staticmethod
    def saved(request, question, status_code=status.HTTP_200_OK):
        data = QuestionSerializer(question, context={"request": request}).data
        return Response(data, status=status_code, headers={"ETag": question.etag})

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        question = get_question_for_user(request.user, int(kwargs["pk"]), write=True)
        self.check_if_match(request, question)
        writer = QuestionWriteSerializer(question, data=request.data, partial=partial, context={"request": request})
        writer.is_valid(raise_exception=True)
        loaded_revision = question.revision
        try:
            # A section created by title goes too if the save is refused.
            with writer.rendered_in_advance(), transaction.atomic():
                writer.apply(question)
                if has_if_match(request):
                    question.save_checked(loaded_revision)
                else:
                    question.save()
        except StaleEdit as stale:
            current = QuestionSerializer(stale.current, context={"request": request}).data
            raise PreconditionFailed(current, stale.current.etag) from None
        return self.saved(request, question)

    def destroy(self, request, *args, **kwargs):
        question = get_question_for_user(request.user, int(kwargs["pk"]), write=True)
        self.check_if_match(request, question)
        if not has_if_match(request):
            question.delete()
            return Response(status=status.HTTP_204_NO_CONTENT)
        with transaction.atomic():
            # Conditional on the revision the client named, so an edit made
            # since is never deleted unseen.
            deleted, _ = Question.objects.filter(pk=question.pk, revision=question.revision).delete()
            if not deleted:
                current = get_question_for_user(request.user, question.pk)
                raise PreconditionFailed(QuestionSerializer(current, context={"request": request}).data, current.etag)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @staticmethod
    def check_if_match(request, question):
        if if_match_failed(request, question.etag):
            raise PreconditionFailed(QuestionSerializer(question, context={"request": request}).data, question.etag)


class AlwaysJSONNegotiation(DefaultContentNegotiation):
    """Errors of the notes endpoint are JSON whatever the client accepts; the
    export itself is returned as a plain text/markdown response."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return JSONRenderer(), JSONRenderer.media_type


class NotesUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The notes file (UTF-8 markdown).")
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Only report what would change; write nothing."
    )
    prefer_file = serializers.BooleanField(
        required=False, default=False,
        help_text="Where the site and the file both changed something since the last import, take the file's "
        "version (default: keep the site's). Each conflict is listed in `conflicts` either way.",
    )


class ImportConflictSerializer(serializers.Serializer):
    cohort = serializers.CharField()
    what = serializers.CharField(help_text="What both changed, e.g. `question 12 answer`, `day 1 schedule`.")
    question = serializers.IntegerField(allow_null=True)
    site = serializers.CharField(help_text="The site's version.")
    file = serializers.CharField(help_text="The file's version.")
    kept = serializers.ChoiceField(choices=["site", "file"])


class ImportReportSerializer(serializers.Serializer):
    slug = serializers.CharField()
    dry_run = serializers.BooleanField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Questions added, updated, …")
    images_missing = serializers.ListField(child=serializers.CharField())
    images_rejected = serializers.ListField(child=serializers.CharField())
    conflicts = ImportConflictSerializer(many=True, help_text="Changed on the site and in the file since the last "
                                         "import; listed in `summary` too.")
    summary = serializers.CharField(help_text="The same summary `manage.py import_notes` prints.")


NOTES_FORMAT = OpenApiParameter(
    "format", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["zip"], required=False,
    description="`zip`: the notes file with its images, as a zip (the same as `Accept: application/zip`).",
)
NOTES_EXAMPLE = "# MSP T3 - 24-1차\n\n## Docker\n\n- 볼륨과 바인드 마운트의 차이는?\n    - 볼륨은 도커가 관리합니다.\n"


@extend_schema_view(
    get=extend_schema(
        summary="Export a cohort's notes",
        description="The cohort as a notes markdown file, rendering on GitHub like the original. Whoever may "
        "see the cohort may export it.",
        parameters=[COHORT_SLUG, IF_NONE_MATCH, ETAG_HEADER, NOTES_FORMAT],
        responses={
            (200, "text/markdown"): OpenApiResponse(
                OpenApiTypes.STR,
                description="The notes file.",
                examples=[OpenApiExample("Notes", value=NOTES_EXAMPLE, response_only=True)],
            ),
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="With `?format=zip` or `Accept: application/zip`: `<slug>.md` and the images it shows "
                "beside it (imported images under their original paths, images uploaded on the site under "
                "`img/<name>`), so the notes render with their images on GitHub.",
            ),
            **READ_ERRORS,
        },
    ),
    post=extend_schema(
        summary="Import a notes file into the cohort",
        description="Instructors of the cohort and staff. Syncs the cohort in place (question ids survive, "
        "edited answers update, nothing is duplicated) and keeps its visibility. A file that cannot be read "
        "as notes is a 400 and nothing changes. Images referenced by the file are not uploaded this way "
        "(`images_missing` lists them).",
        parameters=[COHORT_SLUG],
        request={"multipart/form-data": NotesUploadSerializer},
        responses={200: ImportReportSerializer, **WRITE_ERRORS, 429: READ_ERRORS[429]},
    ),
)
class CohortNotesView(ApiViewMixin, APIView):
    parser_classes = [MultiPartParser, FormParser]
    content_negotiation_class = AlwaysJSONNegotiation
    # multipart framing on top of the notes themselves
    upload_overhead_bytes = 64 * 1024

    def max_body_bytes(self) -> int:
        return settings.NOTES_MAX_BYTES + self.upload_overhead_bytes

    def get(self, request, slug):
        cohort = get_cohort_for_user(request.user, slug)
        if wants_zip(request):
            return conditional(request, tag_for("notes-zip", cohort.pk, cohort.version, cohort.updated_at),
                               lambda: zip_response(cohort))
        return conditional(request, tag_for("notes", cohort.pk, cohort.version, cohort.updated_at),
                           lambda: self.markdown_response(cohort))

    @staticmethod
    def markdown_response(cohort):
        response = HttpResponse(export_cohort(cohort), content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(cohort.slug)}.md"
        return response

    def post(self, request, slug):
        cohort = get_cohort_for_user(request.user, slug, write=True)
        upload = NotesUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        notes_file = upload.validated_data["file"]
        if notes_file.size > settings.NOTES_MAX_BYTES:
            raise RequestTooLarge(f"A notes file may be at most {settings.NOTES_MAX_BYTES} bytes.")
        try:
            text = decode_notes(notes_file.read(), max_bytes=settings.NOTES_MAX_BYTES)
            report = import_notes_text(
                text, slug=cohort.slug, user=request.user, dry_run=upload.validated_data["dry_run"],
                prefer_file=upload.validated_data["prefer_file"],
            )
        except NotesError as error:
            raise ValidationError({"file": [str(error)]}) from None
        return Response(
            {
                "slug": report.slug,
                "dry_run": report.dry_run,
                "counts": report.counts,
                "images_missing": report.images_missing,
                "images_rejected": report.images_rejected,
                "conflicts": [conflict.as_dict() for conflict in report.conflicts],
                "summary": report.summary(),
            }
        )
