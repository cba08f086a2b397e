from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
class ScheduleDayAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cohort", "day", "first_chapter", "last_chapter"]
    list_filter = ["cohort"]


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
class ProgressAdmin(admin.ModelAdmin):
    list_display = ["cohort", "chapter", "theory_done_at", "lab_done_at"]
    actions = [mark_completed]
    list_filter = ["cohort__program", "cohort"]
    search_fields = ["cohort__title"]
    autocomplete_fields = ["cohort", "theory_done_by", "lab_done_by"]
