"""The REST API under /api/: the router's resources, nested cohort routes,
the OpenAPI schema and its Swagger UI (served from drf-spectacular-sidecar)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from asking.api import (
    AcceptView,
    CohortStudentQuestionsView,
    DismissView,
    MergeView,
    StudentQuestionView,
    ThatAnswersItView,
    UndoView,
    VoteView,
)
from courses.api import COHORT_SLUG_PATTERN, CohortViewSet
from curriculum.api import CHAPTER_NUMBER_PATTERN, ChapterViewSet, ProgressViewSet
from mspt3.api_support import api_not_found
from notes.api import CohortNotesView
from qa.api.views import QuestionViewSet
from search.api import SimilarQuestionsView

router = SimpleRouter()
router.register("cohorts", CohortViewSet, basename="api-cohort")
router.register("chapters", ChapterViewSet, basename="api-chapter")
router.register("questions", QuestionViewSet, basename="api-question")

cohort = rf"cohorts/(?P<slug>{COHORT_SLUG_PATTERN})"
STUDENT_QUESTION = r"(?P<pk>[0-9]{1,15})"

urlpatterns = [
    re_path(rf"^{cohort}/progress/$", ProgressViewSet.as_view({"get": "list"}), name="api-progress-list"),
    re_path(
        rf"^{cohort}/progress/(?P<number>{CHAPTER_NUMBER_PATTERN})/$",
        ProgressViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-progress-detail",
    ),
    re_path(rf"^{cohort}/notes\.md$", CohortNotesView.as_view(), name="api-cohort-notes"),
    re_path(
        rf"^{cohort}/student-questions/$", CohortStudentQuestionsView.as_view(), name="api-cohort-student-questions"
    ),
    re_path(rf"^{cohort}/that-answers-it/$", ThatAnswersItView.as_view(), name="api-cohort-that-answers-it"),
    re_path(rf"^student-questions/{STUDENT_QUESTION}/$", StudentQuestionView.as_view(), name="api-student-question"),
    re_path(rf"^student-questions/{STUDENT_QUESTION}/vote/$", VoteView.as_view(), name="api-student-question-vote"),
    re_path(
        rf"^student-questions/{STUDENT_QUESTION}/accept/$", AcceptView.as_view(), name="api-student-question-accept"
    ),
    re_path(rf"^student-questions/{STUDENT_QUESTION}/merge/$", MergeView.as_view(), name="api-student-question-merge"),
    re_path(
        rf"^student-questions/{STUDENT_QUESTION}/dismiss/$", DismissView.as_view(), name="api-student-question-dismiss"
    ),
    re_path(rf"^student-questions/{STUDENT_QUESTION}/undo/$", UndoView.as_view(), name="api-student-question-undo"),
    path("questions/similar/", SimilarQuestionsView.as_view(), name="api-question-similar"),
    *router.urls,
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^(?P<path>[\s\S]*)\Z", api_not_found),
]
