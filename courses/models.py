import secrets

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from courses import freshness
from courses.access import reached, read_reach, write_reach
from courses.changes import announce, cohort_ids
from mspt3.fields import SingleLineCharField


def new_invite_token() -> str:
    return secrets.token_urlsafe(16)


class CohortQuerySet(models.QuerySet):
    # Writes that send no save or delete signal tell courses.freshness themselves.
    def update(self, **kwargs):
        freshness.changed()
        return super().update(**kwargs)

    def bulk_create(self, *args, **kwargs):
        freshness.changed()
        return super().bulk_create(*args, **kwargs)

    def bulk_update(self, *args, **kwargs):
        freshness.changed()
        return super().bulk_update(*args, **kwargs)

    def visible_to(self, user):
        """Cohorts ``user`` may read (courses.access.read_reach)."""
        return reached(self, read_reach(user), user)

    def taught_by(self, user):
        """Cohorts in which ``user`` may write Q&A and progress (courses.access.write_reach)."""
        return reached(self, write_reach(user), user)

    def running(self, on=None):
        """Cohorts whose dates include ``on`` (today by default)."""
        day = on or timezone.localdate()
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def upcoming(self, on=None):
        day = on or timezone.localdate()
        return self.filter(starts_on__gt=day)


class Cohort(models.Model):
    """One run of the course, e.g. ``MSP T3 - 23-3차``."""

    title = SingleLineCharField(_("title"), max_length=200, help_text=_("As written in the notes."))
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    program = SingleLineCharField(_("program"), max_length=50, blank=True, help_text="MSP T2, MSP T3…")
    run_code = SingleLineCharField(_("run code"), max_length=50, blank=True, help_text="23-3차, 24-1차…")
    track = SingleLineCharField(_("track"), max_length=50, blank=True, help_text="AWS, SCP…")
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    open_asking = models.BooleanField(
        _("open asking"),
        default=False,
        help_text=_("On a public cohort, visitors who are not members may ask and vote too (courses.access)."),
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("Free notes for the instructors."))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), through="Membership", related_name="cohorts", blank=True
    )
    invite_token = models.CharField(
        _("invite token"), max_length=64, default=new_invite_token, unique=True, editable=False
    )
    # The notes file's layout: which blocks are modelled (sections, curriculum,
    # schedule) and the verbatim text of everything the site does not model.
    notes_layout = models.JSONField(_("notes layout"), default=list, blank=True, editable=False)
    # Bumped on every change a reader can see; the ETag of pages and polls.
    version = models.PositiveBigIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="cohort_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title, allow_unicode=True)[:100] or "cohort"
        if self._state.adding:
            return super().save(*args, **kwargs)
        # Title, dates, visibility, invite link: every page showing them changes. The save
        # leaves the stored version as it is (another write may have moved it since this
        # instance was loaded); announce() moves it.
        self.version = F("version")
        super().save(*args, **kwargs)
        announce(self)
        self.refresh_from_db(fields=["version"])

    def get_absolute_url(self):
        return reverse("cohort", kwargs={"slug": self.slug})

    def is_running(self, on=None):
        day = on or timezone.localdate()
        return bool(self.starts_on and self.ends_on and self.starts_on <= day <= self.ends_on)

    def course_day(self, on=None):
        """Which day of the course ``on`` (today) is — 1, 2, 3 — or None when not running."""
        day = on or timezone.localdate()
        return (day - self.starts_on).days + 1 if self.is_running(day) else None

    def rotate_invite(self):
        self.invite_token = new_invite_token()
        self.save(update_fields=["invite_token", "updated_at"])


class CohortContentQuerySet(models.QuerySet):
    """Bulk changes announce themselves like single saves: an update() or delete() of
    rows (an admin action, a script) announces every cohort whose page shows them, so no
    path can leave a deleted question on a cached page, a 304 or a poll."""

    def page_cohorts(self):
        """The cohorts whose pages show any of these rows: their ids, or all cohorts."""
        lookup = self.model.cohort_lookup
        if lookup is None:
            return Cohort.objects.all()
        ids = set(self.order_by().values_list(lookup, flat=True).distinct())
        if None in ids and self.model.unset_cohort_shows_everywhere:
            return Cohort.objects.all()
        return ids - {None}

    def update(self, **kwargs):
        before = cohort_ids(self.page_cohorts())
        rows = list(self.values_list("pk", flat=True))
        with transaction.atomic(using=self.db):
            updated = super().update(**kwargs)
            # Rows moved to another cohort's section change that page too.
            announce(before | cohort_ids(self.model.objects.filter(pk__in=rows).page_cohorts()), using=self.db)
        return updated

    def delete(self):
        cohorts = cohort_ids(self.page_cohorts())
        with transaction.atomic(using=self.db):
            result = super().delete()
            announce(cohorts, using=self.db)
        return result


class CohortContent(models.Model):
    """Something shown on cohort pages: saving or deleting it, one row or many, announces
    a change of those pages (courses.changes)."""

    # The path from a row to the cohort whose page shows it; None: every cohort's page.
    cohort_lookup = "cohort"
    # A row without a cohort (the default schedule) is shown on every cohort's page.
    unset_cohort_shows_everywhere = False

    objects = CohortContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def page_cohort(self):
        """The cohort whose page shows this (None: no single cohort's page does)."""
        raise NotImplementedError

    def page_cohorts(self):
        """The cohorts whose pages show this: one Cohort, or a queryset of them."""
        if self.cohort_lookup is None:
            return Cohort.objects.all()
        if cohort := self.page_cohort():
            return cohort
        return Cohort.objects.all() if self.unset_cohort_shows_everywhere else Cohort.objects.none()

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        announce(self.page_cohorts())

    def delete(self, *args, **kwargs):
        cohorts = cohort_ids(self.page_cohorts())
        result = super().delete(*args, **kwargs)
        announce(cohorts)
        return result


class Membership(models.Model):
    class Role(models.TextChoices):
        INSTRUCTOR = "instructor", _("instructor")
        STUDENT = "student", _("student")

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STUDENT)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        ordering = ["cohort", "role", "user__username"]
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="one_membership_per_user")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} @ {self.cohort}"


class AttemptCounter(models.Model):
    """How many attempts one key (a digest) made within its window: sign-ins per
    username+address (courses.login_limit), asks and votes per participant or address
    (asking.limits, keys of their own prefix). In the database so that every worker
    counts the same. (Named LoginAttempts until it counted more than sign-ins.)"""

    key = models.CharField(_("key"), max_length=64, unique=True)
    count = models.PositiveIntegerField(_("count"), default=0)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("attempt counter")
        verbose_name_plural = _("attempt counters")

    def __str__(self):
        return f"{self.count} attempts until {self.expires_at:%Y-%m-%d %H:%M}"
