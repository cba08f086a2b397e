from django.contrib import admin

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


@admin.register(Progress)
class ProgressAdmin(admin.ModelAdmin):
    list_display = ["cohort", "chapter", "theory_done_at", "lab_done_at"]
    list_filter = ["cohort__program", "cohort"]
    search_fields = ["cohort__title"]
    autocomplete_fields = ["cohort", "theory_done_by", "lab_done_by"]
