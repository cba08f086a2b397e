"""The OpenAPI description of the student-question endpoints (asking.api), kept apart from the code."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view

from asking.serializers import (
    AcceptSerializer,
    AskSerializer,
    DismissSerializer,
    MergeSerializer,
    StudentQuestionSerializer,
    ThatAnsweredSerializer,
    ThatAnswersItSerializer,
)
from mspt3.api_support import (
    BODILESS_WRITE_ERRORS,
    COHORT_SLUG,
    ETAG_HEADER,
    IF_MATCH,
    IF_NONE_MATCH,
    KEY_REUSED,
    READ_ERRORS,
    WRITE_ERRORS,
    error_response,
    precondition_failed_response,
)
from qa.api.examples import IDEMPOTENCY_KEY, RESPONSE_EXAMPLE
from qa.api.serializers import QuestionSerializer

STUDENT_QUESTION_EXAMPLE = {
    "id": 41,
    "cohort": "msp-t3-24-1",
    "text": "이미지 레이어는 어디에 저장되나요?",
    "html": "<p>이미지 레이어는 어디에 저장되나요?</p>",
    "nickname": "뒷줄",
    "anonymous_to_classmates": False,
    "asker": None,
    "mine": False,
    "votes": 7,
    "voted": True,
    "status": "open",
    "question": None,
    "merged_into": None,
    "answered": False,
    "dismiss_reason": None,
    "created_at": "2024-03-04T10:15:00+09:00",
    "updated_at": "2024-03-04T10:15:00+09:00",
}
SHOWN = OpenApiExample(
    "A student question", value=STUDENT_QUESTION_EXAMPLE, response_only=True, status_codes=["200", "201"]
)
STUDENT_QUESTION_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The student question's id."
)
STATUS = OpenApiParameter(
    "status", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["open", "accepted", "merged", "dismissed"],
    description="Only questions with this status.",
)
CONFLICT = error_response(
    "The student question is no longer open: someone triaged it first. Nothing was changed.",
    "Someone triaged this question already.",
    409,
)
PARTICIPANT_LIMIT = error_response(
    "Too many questions or votes from you (or, for visitors, from your address) in a short while; "
    "retry after `Retry-After` seconds. Nothing was changed.",
    "Too many votes: try again in 10 minutes.",
    429,
)
STALE = precondition_failed_response(StudentQuestionSerializer)
PARTICIPANT_COOKIE = (
    " Visitors who are not signed in are known by a signed cookie (`mspt3_participant`), set on their first "
    "question or vote. That cookie identifies them as a session does, so their later writes need the CSRF "
    "token (the `csrftoken` cookie sent back in `X-CSRFToken`), or get 403."
)
TRIAGE_ERRORS = {**WRITE_ERRORS, 409: CONFLICT, 412: STALE, 429: READ_ERRORS[429]}

list_schema = extend_schema_view(
    get=extend_schema(
        summary="The class's questions",
        description="Open ones first, by votes then time. `voted` and `mine` are the caller's; `asker` only for "
        "the cohort's instructors and staff. The ETag moves with every question, vote and triage of the cohort.",
        parameters=[COHORT_SLUG, STATUS, IF_NONE_MATCH, ETAG_HEADER],
        responses={200: StudentQuestionSerializer(many=True), 400: WRITE_ERRORS[400], **READ_ERRORS},
    ),
    post=extend_schema(
        summary="Ask the class a question",
        description="Members of the cohort and staff; on a public cohort with open asking, anyone."
        + PARTICIPANT_COOKIE
        + " Send an Idempotency-Key so a retry after a lost response asks nothing twice.",
        parameters=[COHORT_SLUG, IDEMPOTENCY_KEY, ETAG_HEADER],
        request=AskSerializer,
        responses={201: StudentQuestionSerializer, **WRITE_ERRORS, 422: KEY_REUSED, 429: PARTICIPANT_LIMIT},
        examples=[
            OpenApiExample(
                "Ask anonymously to classmates",
                value={"text": "볼륨은 컨테이너를 지워도 남나요?", "anonymous_to_classmates": True},
                request_only=True,
            ),
            OpenApiExample(
                "A visitor with a nickname",
                value={"text": "CH08 실습이 안 돼요", "nickname": "뒷줄"},
                request_only=True,
            ),
            SHOWN,
        ],
    ),
)

retrieve_schema = extend_schema_view(
    get=extend_schema(
        summary="One student question",
        parameters=[STUDENT_QUESTION_ID, IF_NONE_MATCH, ETAG_HEADER],
        responses={200: StudentQuestionSerializer, **READ_ERRORS},
        examples=[SHOWN],
    )
)

vote_schema = extend_schema_view(
    post=extend_schema(
        summary="Vote for a student question",
        description="One vote per participant, whatever the number of requests: 201 when it counted now, 200 "
        "when you had voted already. Open questions only (409 otherwise)." + PARTICIPANT_COOKIE,
        parameters=[STUDENT_QUESTION_ID, ETAG_HEADER],
        request=None,
        responses={200: StudentQuestionSerializer, 201: StudentQuestionSerializer, **BODILESS_WRITE_ERRORS,
                   409: CONFLICT, 429: PARTICIPANT_LIMIT},
        examples=[SHOWN],
    ),
    delete=extend_schema(
        summary="Take your vote back",
        description="Open questions only (409 otherwise): once triaged, the count is final.",
        parameters=[STUDENT_QUESTION_ID, ETAG_HEADER],
        responses={200: StudentQuestionSerializer, **BODILESS_WRITE_ERRORS, 409: CONFLICT, 429: PARTICIPANT_LIMIT},
        examples=[SHOWN],
    ),
)

accept_schema = extend_schema_view(
    post=extend_schema(
        summary="Accept into the notes",
        description="The cohort's instructors and staff. Makes a notes question (→ 201, the new question) in "
        "the section and chapter given or placed; with an answer the asker and voters hear back at once, "
        "without one it waits in the pending queue and they hear back when it is answered.",
        parameters=[STUDENT_QUESTION_ID, IF_MATCH],
        request=AcceptSerializer,
        responses={201: QuestionSerializer, **TRIAGE_ERRORS},
        examples=[
            OpenApiExample("Placed automatically, pending", value={}, request_only=True),
            OpenApiExample(
                "Answered in a section", value={"section": "Docker", "chapter": 3, "answer": "`/var/lib/docker`"},
                request_only=True,
            ),
            RESPONSE_EXAMPLE,
        ],
    )
)

merge_schema = extend_schema_view(
    post=extend_schema(
        summary="Merge into a question",
        description="Into a notes question (`question`, any cohort you may read: the asker is pointed to its "
        "answer) or into an open student question of the cohort (`student_question`: its votes gain this "
        "one's voters and asker).",
        parameters=[STUDENT_QUESTION_ID, IF_MATCH],
        request=MergeSerializer,
        responses={200: StudentQuestionSerializer, **TRIAGE_ERRORS},
        examples=[
            OpenApiExample("Into an answered notes question", value={"question": 12}, request_only=True),
            OpenApiExample("Into a duplicate", value={"student_question": 40}, request_only=True),
            SHOWN,
        ],
    )
)

dismiss_schema = extend_schema_view(
    post=extend_schema(
        summary="Dismiss",
        description="Closed without an answer; the reason is shown to the asker only.",
        parameters=[STUDENT_QUESTION_ID, IF_MATCH],
        request=DismissSerializer,
        responses={200: StudentQuestionSerializer, **TRIAGE_ERRORS},
        examples=[
            OpenApiExample("With a reason", value={"reason": "내일 CH09에서 다룹니다"}, request_only=True),
            SHOWN,
        ],
    )
)

undo_schema = extend_schema_view(
    post=extend_schema(
        summary="Undo the last triage",
        description="Reverses this session's last triage if it was of this question: open again, the notes "
        "question accept made deleted (409 if it was edited since), votes a merge carried taken back, what it "
        "told the asker withdrawn. Needs a session (the site's pages); without one there is nothing to undo (409).",
        parameters=[STUDENT_QUESTION_ID],
        request=None,
        responses={200: StudentQuestionSerializer, **BODILESS_WRITE_ERRORS, 409: CONFLICT, 429: READ_ERRORS[429]},
        examples=[SHOWN],
    )
)

that_answers_it_schema = extend_schema_view(
    post=extend_schema(
        summary="That answers it",
        description="While typing, an earlier answer (the similar-questions suggestions) answered the caller's "
        "question, which is not sent: counted once per participant and question, under the asking limit. "
        "Whoever may ask in the cohort." + PARTICIPANT_COOKIE,
        parameters=[COHORT_SLUG],
        request=ThatAnswersItSerializer,
        responses={200: ThatAnsweredSerializer, **WRITE_ERRORS, 429: PARTICIPANT_LIMIT},
        examples=[
            OpenApiExample("An earlier answer", value={"question": 12}, request_only=True),
            OpenApiExample("Counted", value={"question": 12, "count": 3}, response_only=True, status_codes=["200"]),
        ],
    )
)
