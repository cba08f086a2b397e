from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin with ``admin.site`` being the site staff and instructors share
    (courses.admin_site: instructors reach the cohorts they teach, nothing else)."""

    default_site = "courses.admin_site.InstructorAdminSite"
