from django.urls import path

from room import present, views

urlpatterns = [
    path("cohorts/<str:slug>/present/", present.cohort_present, name="cohort-present"),
    path("cohorts/<str:slug>/present/now/", present.mark_now_answering, name="cohort-now-answering"),
    path("cohorts/<str:slug>/ask/", views.ask, name="cohort-ask"),
    path("cohorts/<str:slug>/open-asking/", views.open_asking, name="cohort-open-asking"),
    path("cohorts/<str:slug>/answered-before/", views.answered_before, name="cohort-answered-before"),
    path("cohorts/<str:slug>/my-questions/seen/", views.seen, name="cohort-questions-seen"),
    path("student-questions/<int:pk>/vote/", views.vote, name="student-question-vote"),
    path("student-questions/undo/", views.undo, name="student-question-undo"),
    *[
        path(
            f"student-questions/<int:pk>/{action}/", views.triage, {"action": action}, name=f"student-question-{action}"
        )
        for action in ("accept", "answer", "merge", "dismiss")
    ],
]
