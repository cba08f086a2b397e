"""The REST API under /api/: the router's resources, nested cohort routes,
the OpenAPI schema and its Swagger UI (served from drf-spectacular-sidecar)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from courses.api import COHORT_SLUG_PATTERN, CohortViewSet
from curriculum.api import CHAPTER_NUMBER_PATTERN, ChapterViewSet, ProgressViewSet
from mspt3.api_support import api_not_found
from notes.api import CohortNotesView
from qa.api.views import QuestionViewSet

router = SimpleRouter()
router.register("cohorts", CohortViewSet, basename="api-cohort")
router.register("chapters", ChapterViewSet, basename="api-chapter")
router.register("questions", QuestionViewSet, basename="api-question")

cohort = rf"cohorts/(?P<slug>{COHORT_SLUG_PATTERN})"

urlpatterns = [
    re_path(rf"^{cohort}/progress/$", ProgressViewSet.as_view({"get": "list"}), name="api-progress-list"),
    re_path(
        rf"^{cohort}/progress/(?P<number>{CHAPTER_NUMBER_PATTERN})/$",
        ProgressViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-progress-detail",
    ),
    re_path(rf"^{cohort}/notes\.md$", CohortNotesView.as_view(), name="api-cohort-notes"),
    *router.urls,
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^(?P<path>[\s\S]*)\Z", api_not_found),
]
