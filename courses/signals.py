"""Changes to people that pages and API lists show: a user's name, or the user gone
(their questions and strikes keep no name). They touch every cohort that names them,
like any other change a reader sees (courses.changes.announce)."""

from django.conf import settings
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from courses import freshness
from courses.changes import announce
from courses.models import Cohort

# Cohorts written one by one (the admin, forms, the factory): kept heads are stale now.
post_save.connect(freshness.changed, sender=Cohort, dispatch_uid="freshness-save")
post_delete.connect(freshness.changed, sender=Cohort, dispatch_uid="freshness-delete")

# Saves that change nothing a page shows: signing in records last_login only.
_UNSEEN_FIELDS = frozenset({"last_login", "password"})


def cohorts_naming(user):
    """Cohorts where ``user`` is a member, a question's author or who struck a chapter through."""
    named = (
        Q(memberships__user=user) | Q(sections__questions__author=user)
        | Q(progress__theory_done_by=user) | Q(progress__lab_done_by=user)
    )
    return Cohort.objects.filter(pk__in=Cohort.objects.filter(named).values("pk"))


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def user_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and set(update_fields) <= _UNSEEN_FIELDS):
        return
    announce(cohorts_naming(instance))


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def user_deleted(sender, instance, **kwargs):
    announce(cohorts_naming(instance))
