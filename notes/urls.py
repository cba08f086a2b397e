from django.urls import path

from notes import views

urlpatterns = [
    path("cohorts/<str:slug>/notes.md", views.cohort_notes, name="cohort-notes"),
]
