from django.contrib import admin

from courses.models import Cohort, Membership
from curriculum.models import Progress, ScheduleDay
from qa.models import Section


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class ProgressInline(admin.TabularInline):
    model = Progress
    extra = 0
    fields = ["chapter", "theory_done_at", "theory_done_by", "lab_done_at", "lab_done_by"]
    autocomplete_fields = ["theory_done_by", "lab_done_by"]
    ordering = ["chapter__number"]


class ScheduleDayInline(admin.TabularInline):
    model = ScheduleDay
    extra = 0
    fields = ["day", "theory", "lab", "first_chapter", "last_chapter"]


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["title", "heading", "position"]
    show_change_link = True


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "run_code", "track", "starts_on", "ends_on", "is_public"]
    list_filter = ["program", "track", "is_public"]
    search_fields = ["title", "slug", "program", "run_code", "track"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_on"
    inlines = [MembershipInline, ProgressInline, ScheduleDayInline, SectionInline]
    readonly_fields = ["version", "created_at", "updated_at"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["cohort", "user", "role", "joined_at"]
    list_filter = ["role", "cohort__program"]
    search_fields = ["user__username", "cohort__title"]
    autocomplete_fields = ["user", "cohort"]
