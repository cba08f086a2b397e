from django.urls import path

from qa import views

urlpatterns = [
    path("media/notes/<int:pk>", views.notes_image, name="notes-image"),
]
