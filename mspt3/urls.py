from django.contrib import admin
from django.urls import include, path

from mspt3 import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("markdownx/", include("markdownx.urls")),
    path("", include("courses.urls")),
    path("", include("curriculum.urls")),
    path("", include("qa.urls")),
]
