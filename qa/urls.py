from django.urls import path

from qa import views, views_search

urlpatterns = [
    path("media/notes/<int:pk>", views.notes_image, name="notes-image"),
    path("search/", views_search.search, name="search"),
]
