from django.contrib import admin

from asking.models import AskerSettings, Notification, StudentQuestion, Vote


@admin.register(StudentQuestion)
class StudentQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "cohort", "status", "author", "nickname", "created_at"]
    list_filter = ["status", "cohort"]
    search_fields = ["text", "nickname"]
    raw_id_fields = ["question", "merged_into", "author", "triaged_by"]
    readonly_fields = ["participant", "answered_at"]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["student_question", "voter", "created_at"]
    raw_id_fields = ["student_question", "user"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "student_question", "created_at", "seen_at", "emailed_at"]
    list_filter = ["kind"]
    raw_id_fields = ["student_question", "user"]


admin.site.register(AskerSettings)
