from django.urls import path

from curriculum import views

urlpatterns = [
    path("chapters/<int:number>/", views.chapter_detail, name="chapter"),
    path("cohorts/<str:slug>/progress/<int:number>/<str:part>/", views.progress_toggle, name="progress-toggle"),
]
