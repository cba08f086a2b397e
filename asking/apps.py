from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AskingConfig(AppConfig):
    """Students ask and vote, instructors triage, askers hear back (issue 16)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "asking"
    verbose_name = _("Questions from the class")

    def ready(self):
        from asking import hearing  # noqa: F401  (connects to courses.changes.cohorts_changed)
