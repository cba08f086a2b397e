from django.urls import path

from curriculum import views

urlpatterns = [
    path("chapters/<int:number>/", views.chapter_detail, name="chapter"),
]
