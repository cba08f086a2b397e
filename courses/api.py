"""API for cohorts: the list you may see, and one cohort with its Q&A sections,
schedule and progress."""

from django.db.models import Count
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from asking.actions import InvalidInput, set_open_asking
from courses.changes import fingerprint, stamp
from courses.counts import with_counts
from courses.models import Cohort
from courses.policy import get_cohort_for_user
from curriculum.api import ProgressSerializer, ScheduleDaySerializer, cohort_progress
from curriculum.models import ScheduleDay
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
from qa.models import Section

COHORT_SLUG_PATTERN = r"[-\w]{1,100}"


class CohortSerializer(serializers.ModelSerializer):
    # A plain string: the model's unicode slug pattern (\w) means something else in ECMA regexes.
    slug = serializers.CharField(read_only=True, help_text="Letters (Korean too), digits, - and _.")
    question_count = serializers.IntegerField(read_only=True)
    pending_count = serializers.IntegerField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True, help_text="The cohort's page.")
    open_asking = serializers.BooleanField(
        read_only=True, help_text="Visitors who are not members may ask and vote (public cohorts only)."
    )

    class Meta:
        model = Cohort
        fields = [
            "slug",
            "title",
            "url",
            "program",
            "run_code",
            "track",
            "starts_on",
            "ends_on",
            "is_public",
            "open_asking",
            "question_count",
            "pending_count",
            "version",
            "updated_at",
        ]


class CohortSettingsSerializer(serializers.Serializer):
    """What the cohort's instructors may change through the API (PATCH)."""

    open_asking = serializers.BooleanField(
        help_text="Open asking and voting to visitors who are not members (public cohorts only)."
    )


class SectionSummarySerializer(serializers.ModelSerializer):
    question_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Section
        fields = ["id", "title", "position", "question_count"]


class CohortDetailSerializer(CohortSerializer):
    sections = serializers.SerializerMethodField(help_text="Q&A sections, in the notes' order.")
    schedule = serializers.SerializerMethodField(help_text="The cohort's days (its own plan, else the default).")
    progress = serializers.SerializerMethodField(help_text="Per chapter: theory and lab completed, by whom, when.")

    class Meta(CohortSerializer.Meta):
        fields = [*CohortSerializer.Meta.fields, "sections", "schedule", "progress"]

    def get_sections(self, cohort) -> SectionSummarySerializer(many=True):
        sections = cohort.sections.annotate(question_count=Count("questions")).order_by("position", "id")
        return SectionSummarySerializer(sections, many=True).data

    def get_schedule(self, cohort) -> ScheduleDaySerializer(many=True):
        days = ScheduleDay.objects.for_cohort(cohort).select_related("first_chapter", "last_chapter")
        return ScheduleDaySerializer(days, many=True).data

    def get_progress(self, cohort) -> ProgressSerializer(many=True):
        return ProgressSerializer(cohort_progress(cohort), many=True).data


def cohort_etag(cohort) -> str:
    return tag_for("cohort", stamp(cohort))



@extend_schema_view(
    list=extend_schema(
        summary="Cohorts you may see",
        description="Public cohorts, plus the private ones you belong to (all for staff). Paginated "
        "(`page`, `page_size` ≤ 1000). The list's ETag changes whenever any listed cohort changes.",
        parameters=[IF_NONE_MATCH, ETAG_HEADER],
        responses={200: CohortSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One cohort, with sections, schedule and progress",
        parameters=[COHORT_SLUG, IF_NONE_MATCH, ETAG_HEADER],
        responses={200: CohortDetailSerializer, **READ_ERRORS},
        examples=[
            OpenApiExample(
                "A cohort",
                response_only=True,
                value={
                    "slug": "msp-t3-24-1",
                    "title": "MSP T3 - 24-1차",
                    "url": "/cohorts/msp-t3-24-1/",
                    "program": "MSP T3",
                    "run_code": "24-1차",
                    "track": "AWS",
                    "starts_on": "2024-03-04",
                    "ends_on": "2024-03-06",
                    "is_public": True,
                    "open_asking": False,
                    "question_count": 31,
                    "pending_count": 2,
                    "version": 57,
                    "updated_at": "2024-03-06T17:40:00+09:00",
                    "sections": [{"id": 3, "title": "Docker", "position": 1, "question_count": 20}],
                    "schedule": [
                        {"day": 1, "theory": "Docker overview ~ network", "lab": "Docker 설치 ~ network",
                         "first_chapter": 1, "last_chapter": 4}
                    ],
                    "progress": [
                        {"chapter": 6, "title": "Dockerfile Best Practice",
                         "theory_label": "[Book] 06_Dockerfile_BestPractice",
                         "lab_label": "[Hands-on] 05_Dockerfile", "has_lab": True,
                         "theory_done": True, "theory_done_at": "2024-03-05T10:30:00+09:00",
                         "theory_done_by": "김강사", "lab_done": False, "lab_done_at": None,
                         "lab_done_by": None}
                    ],
                },
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Change the cohort's settings",
        description="The cohort's instructors and staff: `open_asking` (true only on a public cohort). Send the "
        "cohort's ETag in If-Match to change only what you loaded (412 with `current` otherwise).",
        parameters=[COHORT_SLUG, IF_MATCH, ETAG_HEADER],
        request=CohortSettingsSerializer,
        responses={
            200: CohortDetailSerializer, **WRITE_ERRORS, 412: precondition_failed_response(CohortDetailSerializer)
        },
        examples=[OpenApiExample("Open asking to visitors", value={"open_asking": True}, request_only=True)],
    ),
)
class CohortViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CohortSerializer
    lookup_field = "slug"
    lookup_value_regex = COHORT_SLUG_PATTERN
    filter_backends = []
    queryset = Cohort.objects.none()  # names the model for the schema; get_queryset() applies the policy

    def get_queryset(self):
        return with_counts(Cohort.objects.visible_to(self.request.user)).order_by("-starts_on", "title", "pk")

    def list(self, request, *args, **kwargs):
        cohorts = fingerprint(Cohort.objects.visible_to(request.user))
        etag = tag_for("cohorts", sorted(request.query_params.lists()), cohorts)
        return conditional(request, etag, lambda: super(CohortViewSet, self).list(request, *args, **kwargs))

    def retrieve(self, request, *args, **kwargs):
        cohort = get_cohort_for_user(request.user, kwargs["slug"])
        etag = cohort_etag(cohort)
        return conditional(request, etag, lambda: Response(self.detail_of(cohort)))

    def partial_update(self, request, *args, **kwargs):
        cohort = get_cohort_for_user(request.user, kwargs["slug"], write=True)
        if if_match_failed(request, cohort_etag(cohort)):
            raise PreconditionFailed(self.detail_of(cohort), cohort_etag(cohort))
        settings = CohortSettingsSerializer(data=request.data)
        settings.is_valid(raise_exception=True)
        try:
            set_open_asking(cohort, request.user, settings.validated_data["open_asking"])
        except InvalidInput as error:
            raise ValidationError(error.errors) from None
        cohort = Cohort.objects.get(pk=cohort.pk)
        return Response(self.detail_of(cohort), headers={"ETag": cohort_etag(cohort)})

    @staticmethod
    def detail_of(cohort) -> dict:
        return CohortDetailSerializer(with_counts(Cohort.objects.all()).get(pk=cohort.pk)).data
