from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.admin_site import CohortScopedAdmin
from curriculum.models import Chapter, Lab, Progress, ScheduleDay


class LabInline(admin.StackedInline):
    model = Lab
    extra = 0


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["number", "slug", "title", "part"]
    list_filter = ["part"]
    search_fields = ["slug", "title"]
    inlines = [LabInline]


@admin.register(Lab)
class LabAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "chapter", "track", "has_self_study"]
    list_filter = ["kind", "track", "has_self_study"]
    search_fields = ["slug", "title"]


@admin.register(ScheduleDay)
class ScheduleDayAdmin(CohortScopedAdmin):
    """Instructors: their cohorts' own plans (the default plan has no cohort: staff only)."""

    list_display = ["__str__", "cohort", "day", "first_chapter", "last_chapter"]
    list_filter = ["cohort"]
    instructor_list_filter = (("cohort", admin.RelatedOnlyFieldListFilter),)


@admin.action(description=_("Mark the selected chapters completed (theory and lab)"))
def mark_completed(modeladmin, request, queryset):
    """Strike theory and lab through where not done yet; who and when are recorded as on the site."""
    now = timezone.now()
    for progress in queryset.select_related("chapter__lab", "cohort"):
        changed = progress.mark("theory", True, request.user, now)
        if progress.chapter.lab_or_none is not None:
            changed |= progress.mark("lab", True, request.user, now)
        if changed:
            progress.save()


@admin.register(Progress)
class ProgressAdmin(CohortScopedAdmin):
    list_display = ["cohort", "chapter", "theory_done_at", "lab_done_at"]
    actions = [mark_completed]
    list_filter = ["cohort__program", "cohort"]
    instructor_list_filter = (("cohort", admin.RelatedOnlyFieldListFilter),)
    instructor_readonly_fields = ("theory_done_by", "lab_done_by")
    search_fields = ["cohort__title"]
    autocomplete_fields = ["cohort", "theory_done_by", "lab_done_by"]

    def save_model(self, request, obj, form, change):
        # Instructors do not pick who struck a chapter through: it is them, as on the cohort page.
        for part in ("theory", "lab"):
            if f"{part}_done_at" in form.changed_data and f"{part}_done_by" not in form.cleaned_data:
                setattr(obj, f"{part}_done_by", request.user if getattr(obj, f"{part}_done_at") else None)
        super().save_model(request, obj, form, change)
