"""GET /api/questions/similar/: "asked before", a ranked similarity over the analysed terms
of earlier questions and their answers, among what the caller may see."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from mspt3.api_support import READ_ERRORS, WRITE_ERRORS, ApiViewMixin
from mspt3.limits import SIMILAR_MAX_CHARS, SIMILAR_MAX_RESULTS
from qa.api.serializers import QuestionSerializer
from qa.models import Question
from search.engine import similar

DEFAULT_RESULTS = 3


class SimilarQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=SIMILAR_MAX_CHARS, help_text="The question as typed so far.")
    cohort = serializers.CharField(required=False, max_length=100, help_text="Only this cohort (slug).")
    exclude_cohort = serializers.CharField(required=False, max_length=100, help_text="Not this cohort (slug).")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=SIMILAR_MAX_RESULTS,
                                     default=DEFAULT_RESULTS)


class SimilarQuestionSerializer(QuestionSerializer):
    score = serializers.FloatField(help_text="Higher is more similar; comparable within one response only.")
    # Suggestions name the cohort to people ("this looks answered — MSP T3 - 23-5차"): its slug reads badly.
    cohort_title = serializers.CharField(source="section.cohort.title", help_text="The cohort's title.")

    class Meta(QuestionSerializer.Meta):
        fields = [*QuestionSerializer.Meta.fields, "cohort_title", "score"]
        read_only_fields = fields


class SimilarResultsSerializer(serializers.Serializer):
    results = SimilarQuestionSerializer(many=True)


def _parameter(name, kind, description):
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, required=name == "q")


@extend_schema(
    summary="Asked before: questions like this text",
    description="Not every word must match: earlier questions and their answers ranked by how many of the "
    "text's analysed terms (Korean morphology, the course glossary) they share and how rare those are. "
    "Answered questions first where scores tie. Only cohorts you may see. "
    f"`q` empty or over {SIMILAR_MAX_CHARS} characters is a 400.",
    parameters=[
        _parameter("q", OpenApiTypes.STR, "The text (a question as typed)."),
        _parameter("cohort", OpenApiTypes.STR, "Only questions of this cohort (slug)."),
        _parameter("exclude_cohort", OpenApiTypes.STR, "Not this cohort's questions (slug): asked in other cohorts."),
        _parameter("limit", OpenApiTypes.INT, f"How many (1–{SIMILAR_MAX_RESULTS}, default {DEFAULT_RESULTS})."),
    ],
    responses={200: SimilarResultsSerializer, 400: WRITE_ERRORS[400], 429: READ_ERRORS[429]},
)
class SimilarQuestionsView(ApiViewMixin, APIView):
    def get(self, request):
        params = SimilarQuerySerializer(data=request.query_params)
        if not params.is_valid():
            raise ValidationError(params.errors)
        data = params.validated_data
        if not data["q"].strip():
            raise ValidationError({"q": ["Give the text to compare."]})
        questions = Question.objects.visible_to(request.user)
        if "cohort" in data:
            questions = questions.filter(section__cohort__slug=data["cohort"])
        if "exclude_cohort" in data:
            questions = questions.exclude(section__cohort__slug=data["exclude_cohort"])
        found = similar(questions.select_related("section__cohort", "chapter", "author"), data["q"])
        results = []
        for question in found[: data["limit"]]:
            question.score = -float(question.search_rank)
            results.append(question)
        serializer = SimilarQuestionSerializer(results, many=True, context={"request": request})
        return Response({"results": serializer.data})
