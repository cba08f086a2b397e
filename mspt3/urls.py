from django.contrib import admin
from django.urls import include, path

from courses.login_limit import rate_limited_login
from mspt3 import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # The admin's password form is rate-limited like the site's own login page.
    path("admin/login/", rate_limited_login(admin.site.login)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("mspt3.api_urls")),
    path("", include("courses.urls")),
    path("", include("curriculum.urls")),
    path("", include("qa.urls")),
    path("", include("notes.urls")),
]

handler500 = "mspt3.middleware.server_error"
