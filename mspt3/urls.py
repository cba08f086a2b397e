from django.contrib import admin
from django.urls import include, path

from courses.login_limit import rate_limited_login
from mspt3 import views
from mspt3.language import switch_language

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers and the admin (which links no icon of its own) ask for /favicon.ico.
    path("favicon.ico", views.favicon, name="favicon"),
    path("readyz", views.readyz, name="readyz"),
    # The admin's password form is rate-limited like the site's own login page.
    path("admin/login/", rate_limited_login(admin.site.login)),
    path("admin/", admin.site.urls),
    # Django's own set_language view, at its own URL and name, guarded without a token.
    path("i18n/setlang/", switch_language, name="set_language"),
    path("api/", include("mspt3.api_urls")),
    path("", include("courses.urls")),
    path("", include("curriculum.urls")),
    path("", include("qa.urls")),
    path("", include("notes.urls")),
    path("", include("room.urls")),
]

handler500 = "mspt3.middleware.server_error"
