from django.urls import path

from courses import views

urlpatterns = [
    path("", views.home, name="home"),
    path("cohorts/<str:slug>/", views.cohort_detail, name="cohort"),
    path("cohorts/<str:slug>/live/", views.cohort_live, name="cohort-live"),
]
