"""API for the curriculum: chapters (read-only) and each cohort's progress."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from courses.changes import stamp
from courses.people import PersonField
from courses.policy import get_cohort_for_user
from curriculum.models import Chapter, Lab, Progress, ScheduleDay
from mspt3.api_support import (
    COHORT_SLUG,
    ETAG_HEADER,
    IF_MATCH,
    IF_NONE_MATCH,
    READ_ERRORS,
    WRITE_ERRORS,
    ApiViewMixin,
    PreconditionFailed,
    conditional,
    precondition_failed_response,
)
from mspt3.conditional import if_match_failed, tag_for

CHAPTER_NUMBER_PATTERN = r"[0-9]{1,2}"


class LabSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="As the notes write it: `[Hands-on] 05_Dockerfile`.")

    class Meta:
        model = Lab
        fields = ["code", "slug", "title", "label", "has_self_study", "track"]


class ChapterSerializer(serializers.ModelSerializer):
    theory_label = serializers.CharField(read_only=True, help_text="As the notes write it: `[Book] 06_…`.")
    lab = serializers.SerializerMethodField(help_text="The chapter's hands-on lab; null for chapters without one.")

    class Meta:
        model = Chapter
        fields = ["number", "slug", "title", "part", "theory_label", "lab"]

    def get_lab(self, chapter) -> LabSerializer(allow_null=True):
        lab = chapter.lab_or_none
        return LabSerializer(lab).data if lab else None


class ScheduleDaySerializer(serializers.ModelSerializer):
    first_chapter = serializers.IntegerField(source="first_chapter.number")
    last_chapter = serializers.IntegerField(source="last_chapter.number")

    class Meta:
        model = ScheduleDay
        fields = ["day", "theory", "lab", "first_chapter", "last_chapter"]


class ProgressSerializer(serializers.ModelSerializer):
    chapter = serializers.IntegerField(source="chapter.number")
    title = serializers.CharField(source="chapter.title")
    theory_label = serializers.CharField(source="chapter.theory_label")
    lab_label = serializers.SerializerMethodField()
    has_lab = serializers.SerializerMethodField()
    theory_done = serializers.BooleanField()
    theory_done_by = PersonField(cohort_source="cohort_id")
    lab_done = serializers.BooleanField()
    lab_done_by = PersonField(cohort_source="cohort_id")

    class Meta:
        model = Progress
        fields = [
            "chapter",
            "title",
            "theory_label",
            "lab_label",
            "has_lab",
            "theory_done",
            "theory_done_at",
            "theory_done_by",
            "lab_done",
            "lab_done_at",
            "lab_done_by",
        ]

    def get_lab_label(self, progress) -> str | None:
        lab = progress.chapter.lab_or_none
        return lab.label if lab else None

    def get_has_lab(self, progress) -> bool:
        return progress.chapter.lab_or_none is not None


class ProgressUpdateSerializer(serializers.Serializer):
    theory_done = serializers.BooleanField(required=False, help_text="Theory part completed.")
    lab_done = serializers.BooleanField(required=False, help_text="Hands-on lab completed (chapters with a lab only).")

    def validate_lab_done(self, value):
        if value and self.context["chapter"].lab_or_none is None:
            raise serializers.ValidationError(f"Chapter {self.context['chapter'].number} has no lab.")
        return value


def cohort_progress(cohort) -> list[Progress]:
    """One Progress per chapter, in order; unsaved (nothing done) where no row exists yet."""
    rows = {
        p.chapter_id: p for p in Progress.objects.filter(cohort=cohort).select_related("theory_done_by", "lab_done_by")
    }
    return [
        rows.get(chapter.pk) or Progress(cohort=cohort, chapter=chapter)
        for chapter in Chapter.objects.select_related("lab")
    ]


def progress_etag(progress: Progress) -> str:
    return tag_for(
        "progress", progress.cohort_id, progress.chapter.number, progress.theory_done_at, progress.lab_done_at
    )


def progress_list_etag(cohort) -> str:
    # Every progress write announces the cohort, so its stamp covers every row.
    return tag_for("progress-list", stamp(cohort))


def chapter_of(number) -> Chapter:
    return get_object_or_404(Chapter.objects.select_related("lab"), number=int(number))


@extend_schema_view(
    list=extend_schema(
        summary="The chapters",
        description="The 15 chapters: theory part (`[Book] …`) and hands-on lab, if any. Not paginated.",
        parameters=[IF_NONE_MATCH, ETAG_HEADER],
        responses={200: ChapterSerializer(many=True), 304: READ_ERRORS[304], 429: READ_ERRORS[429]},
    ),
    retrieve=extend_schema(
        summary="One chapter",
        parameters=[
            OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH, description="Chapter number, 1–15."),
            IF_NONE_MATCH,
            ETAG_HEADER,
        ],
        responses={200: ChapterSerializer, **READ_ERRORS},
    ),
)
class ChapterViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Chapter.objects.select_related("lab")
    serializer_class = ChapterSerializer
    lookup_field = "number"
    lookup_value_regex = CHAPTER_NUMBER_PATTERN
    pagination_class = None
    filter_backends = []

    def list(self, request, *args, **kwargs):
        data = self.get_serializer(self.get_queryset(), many=True).data
        return conditional(request, tag_for("chapters", data), lambda: Response(data))

    def retrieve(self, request, *args, **kwargs):
        data = self.get_serializer(chapter_of(kwargs["number"])).data
        return conditional(request, tag_for("chapter", data), lambda: Response(data))


CHAPTER_NUMBER = OpenApiParameter(
    "number", OpenApiTypes.INT, OpenApiParameter.PATH, description="Chapter number, 1–15."
)


@extend_schema_view(
    list=extend_schema(
        summary="A cohort's progress",
        description="Per chapter, whether theory and lab are completed, by whom and when. Readable by "
        "whoever may see the cohort.",
        parameters=[COHORT_SLUG, IF_NONE_MATCH, ETAG_HEADER],
        responses={200: ProgressSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="A cohort's progress on one chapter",
        parameters=[COHORT_SLUG, CHAPTER_NUMBER, IF_NONE_MATCH, ETAG_HEADER],
        responses={200: ProgressSerializer, **READ_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Mark a chapter's theory and/or lab done (or not)",
        description="Instructors of the cohort and staff only. Setting a part done records who and when "
        "(an already-done part keeps its first record); setting it not done clears both.",
        parameters=[COHORT_SLUG, CHAPTER_NUMBER, IF_MATCH, ETAG_HEADER],
        request=ProgressUpdateSerializer,
        examples=[
            OpenApiExample(
                "Theory done, lab not yet", value={"theory_done": True, "lab_done": False}, request_only=True
            )
        ],
        responses={
            200: ProgressSerializer,
            **WRITE_ERRORS,
            412: precondition_failed_response(ProgressSerializer),
            429: READ_ERRORS[429],
        },
    ),
)
class ProgressViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ProgressSerializer
    pagination_class = None
    filter_backends = []
    queryset = Progress.objects.none()  # rows come from cohort_progress(); this only names the model

    def list(self, request, slug):
        cohort = get_cohort_for_user(request.user, slug)
        return conditional(
            request,
            progress_list_etag(cohort),
            lambda: Response(ProgressSerializer(cohort_progress(cohort), many=True, context={"request": request}).data),
        )

    def retrieve(self, request, slug, number):
        cohort = get_cohort_for_user(request.user, slug)
        chapter = chapter_of(number)
        progress = Progress.objects.filter(cohort=cohort, chapter=chapter).first() or Progress(
            cohort=cohort, chapter=chapter
        )
        return conditional(
            request, progress_etag(progress),
            lambda: Response(ProgressSerializer(progress, context={"request": request}).data),
        )

    def partial_update(self, request, slug, number):
        cohort = get_cohort_for_user(request.user, slug, write=True)
        chapter = chapter_of(number)
        update = ProgressUpdateSerializer(data=request.data, context={"chapter": chapter})
        with transaction.atomic():
            # An empty row means "nothing done", like no row; creating it this
            # way (no save(), so no cohort touch) lets us lock it race-free.
            Progress.objects.bulk_create([Progress(cohort=cohort, chapter=chapter)], ignore_conflicts=True)
            progress = (
                Progress.objects.select_for_update(of=("self",))
                .select_related("chapter__lab", "theory_done_by", "lab_done_by")
                .get(cohort=cohort, chapter=chapter)
            )
            if if_match_failed(request, progress_etag(progress)):
                raise PreconditionFailed(
                    ProgressSerializer(progress, context={"request": request}).data, progress_etag(progress)
                )
            update.is_valid(raise_exception=True)
            now = timezone.now()
            changed = False
            for part in ("theory", "lab"):
                done = update.validated_data.get(f"{part}_done")
                if done is not None:
                    changed |= progress.mark(part, done, request.user, now)
            if changed:
                progress.save()
        response = Response(ProgressSerializer(progress, context={"request": request}).data)
        response["ETag"] = progress_etag(progress)
        return response
