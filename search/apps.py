from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from courses import freshness
        from search.models import GlossaryTerm

        # A term changes what a query means: searches kept for anonymous visitors are stale.
        post_save.connect(freshness.changed, sender=GlossaryTerm, dispatch_uid="freshness-term-save")
        post_delete.connect(freshness.changed, sender=GlossaryTerm, dispatch_uid="freshness-term-delete")
        m2m_changed.connect(
            freshness.changed, sender=GlossaryTerm.chapters.through, dispatch_uid="freshness-term-chapters"
        )
