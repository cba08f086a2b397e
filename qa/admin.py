from django.contrib import admin
from markdownx.admin import MarkdownxModelAdmin

from qa.models import NotesImage, Question, Section, SectionExtra


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = ["position", "question", "answer", "chapter"]
    ordering = ["position"]


class SectionExtraInline(admin.StackedInline):
    model = SectionExtra
    extra = 0


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "position"]
    list_filter = ["cohort__program", "cohort"]
    search_fields = ["title", "cohort__title"]
    inlines = [QuestionInline, SectionExtraInline]


@admin.register(Question)
class QuestionAdmin(MarkdownxModelAdmin):
    list_display = ["question", "section", "chapter", "pending", "updated_at"]
    list_filter = ["pending", "section__cohort__program", "section__cohort__track", "section__cohort__is_public",
                   "chapter"]
    search_fields = ["question", "answer"]
    list_select_related = ["section__cohort", "chapter"]
    autocomplete_fields = ["section"]
    readonly_fields = ["pending", "created_at", "updated_at", "revision"]
    ordering = ["-updated_at"]


@admin.register(NotesImage)
class NotesImageAdmin(admin.ModelAdmin):
    list_display = ["original_path", "cohort", "content_type", "uploaded_at"]
    list_filter = ["cohort"]
