from django.urls import path

from qa import views, views_classroom, views_instructor, views_search

urlpatterns = [
    path("media/notes/<int:pk>", views.notes_image, name="notes-image"),
    path("media/markdownx/<path:path>", views.uploaded_image, name="uploaded-image"),
    path("search/", views_search.search, name="search"),
    path("cohorts/<str:slug>/questions/", views_instructor.question_create, name="question-create"),
    path(
        "cohorts/<str:slug>/questions/placement/", views_classroom.question_placement, name="question-placement"
    ),
    path("cohorts/<str:slug>/images/", views_classroom.image_upload, name="cohort-image-upload"),
    path("questions/<int:pk>/", views.question_detail, name="question"),
    path("questions/<int:pk>/edit/", views_instructor.question_edit, name="question-edit"),
    path("questions/<int:pk>/answer/", views_instructor.question_answer, name="question-answer"),
    path("questions/<int:pk>/move/", views_instructor.question_move, name="question-move"),
    path("questions/<int:pk>/chapter/", views_instructor.question_chapter, name="question-chapter"),
    path("pending/", views_instructor.pending_queue, name="pending"),
    path("offline-worker.js", views_instructor.offline_worker, name="offline-worker"),
    # markdownx's endpoints, behind the instructors-only policy (names kept for its widget).
    path("markdownx/markdownify/", views_instructor.markdown_preview, name="markdownx_markdownify"),
    path("markdownx/upload/", views_instructor.markdown_upload, name="markdownx_upload"),
]
