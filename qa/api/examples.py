"""The OpenAPI parameters, examples and per-action schema of /api/questions/."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)

from mspt3.api_support import (
    BODILESS_WRITE_ERRORS,
    ETAG_HEADER,
    IF_MATCH,
    IF_NONE_MATCH,
    KEY_REUSED,
    READ_ERRORS,
    WRITE_ERRORS,
    precondition_failed_response,
)
from mspt3.conditional import (
    IDEMPOTENCY_HEADER,
)
from qa.api.serializers import QuestionSerializer, QuestionWriteSerializer

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


# The OpenAPI description of QuestionViewSet, kept apart from the code it describes.
question_schema = extend_schema_view(
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
        responses={204: None, **BODILESS_WRITE_ERRORS, 412: STALE, 429: READ_ERRORS[429]},
    ),
)
