"""What a student question reads as in the API, by who is looking, and what its writes may say."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from asking.models import ASK_MAX_CHARS, DISMISS_REASON_MAX_CHARS, NICKNAME_MAX_CHARS, StudentQuestion
from mspt3.limits import ANSWER_MAX_CHARS
from mspt3.validators import MarkdownLimitValidator
from qa.api.serializers import MAX_ID, SectionReferenceField

ANONYMOUS_VISITOR = "anonymous visitor"


def asker_name(student_question) -> str:
    """Who asked, as those who triage see it: the user's full or login name, else the nickname."""
    author = student_question.author
    if author is not None:
        return author.get_full_name() or author.get_username()
    return student_question.nickname or ANONYMOUS_VISITOR


class StudentQuestionSerializer(serializers.ModelSerializer):
    """Context: ``request``, ``keys`` (the caller's voter keys) and ``sees_asker`` (courses.policy.can_see_asker)."""

    cohort = serializers.CharField(source="cohort.slug", help_text="The cohort's slug.")
    votes = serializers.IntegerField(help_text="How many participants voted for it.")
    voted = serializers.BooleanField(help_text="Whether you voted for it.")
    mine = serializers.SerializerMethodField(help_text="Whether you asked it (signed in, or from this browser).")
    nickname = serializers.SerializerMethodField(
        help_text="The asker's nickname; null when they asked anonymously to classmates (unless you triage)."
    )
    asker = serializers.SerializerMethodField(
        help_text="Who asked: only for the cohort's instructors and staff, null for everyone else."
    )
    dismiss_reason = serializers.SerializerMethodField(
        help_text="Why it was dismissed: only for the asker and those who triage, else null."
    )
    answered = serializers.SerializerMethodField(help_text="The notes question it became or joined has an answer.")
    question = serializers.IntegerField(
        source="question_id", allow_null=True, help_text="The notes question it became or was merged into."
    )
    merged_into = serializers.IntegerField(
        source="merged_into_id", allow_null=True, help_text="The student question it was merged into."
    )

    class Meta:
        model = StudentQuestion
        fields = [
            "id", "cohort", "text", "html", "nickname", "anonymous_to_classmates", "asker", "mine", "votes", "voted",
            "status", "question", "merged_into", "answered", "dismiss_reason", "created_at", "updated_at",
        ]
        read_only_fields = fields

    def _mine(self, student_question) -> bool:
        return student_question.participant in self.context.get("keys", ())

    def get_mine(self, student_question) -> bool:
        return self._mine(student_question)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_nickname(self, student_question):
        if student_question.anonymous_to_classmates and not (self.context.get("sees_asker") or self._mine(
            student_question
        )):
            return None
        return student_question.nickname or None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_asker(self, student_question):
        return asker_name(student_question) if self.context.get("sees_asker") else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_dismiss_reason(self, student_question):
        if student_question.status != StudentQuestion.Status.DISMISSED:
            return None
        if self.context.get("sees_asker") or self._mine(student_question):
            return student_question.dismiss_reason
        return None

    def get_answered(self, student_question) -> bool:
        return student_question.answered_at is not None


class AskSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=ASK_MAX_CHARS, validators=[MarkdownLimitValidator(None)], help_text="The question, markdown."
    )
    nickname = serializers.CharField(
        max_length=NICKNAME_MAX_CHARS, required=False, allow_blank=True, default="",
        help_text="A name to show classmates (visitors who are not signed in, mostly).",
    )
    anonymous_to_classmates = serializers.BooleanField(
        required=False, default=False, help_text="Hide who asked from classmates (instructors still see it)."
    )


class AcceptSerializer(serializers.Serializer):
    section = SectionReferenceField(
        required=False,
        help_text="Section id or title (a new title creates it). Default: the section of the chapter the "
        "question names or is about, else what is taught today (qa.placement).",
    )
    chapter = serializers.IntegerField(
        min_value=1, max_value=99, required=False, allow_null=True, help_text="Chapter number. Default: inferred."
    )
    answer = serializers.CharField(
        max_length=ANSWER_MAX_CHARS, validators=[MarkdownLimitValidator(None)], required=False, allow_blank=True,
        default="", help_text="Markdown. Empty: the question waits in the pending queue.",
    )


class MergeSerializer(serializers.Serializer):
    question = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="A notes question (any cohort you may read)."
    )
    student_question = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="An open student question of the same cohort."
    )

    def validate(self, attrs):
        if ("question" in attrs) == ("student_question" in attrs):
            raise serializers.ValidationError("Give exactly one of `question` and `student_question`.")
        return attrs


class DismissSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=DISMISS_REASON_MAX_CHARS, required=False, allow_blank=True, default="",
        help_text="Shown to the asker only.",
    )


class ThatAnswersItSerializer(serializers.Serializer):
    question = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The earlier notes question that answers it (any cohort you may read)."
    )


class ThatAnsweredSerializer(serializers.Serializer):
    question = serializers.IntegerField(help_text="The earlier notes question.")
    count = serializers.IntegerField(help_text="How many participants said it answered their question.")
