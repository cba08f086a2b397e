"""Student questions are not notes until accepted; the whole-site archive carries them and their votes."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Q

from asking import actions
from asking.models import Deflection, Notification, StudentQuestion, Vote
from asking.participants import Participant
from courses.models import Cohort
from notes.exporter import export_cohort
from tests.asking.conftest import as_participant
from tests.factories import make_section

pytestmark = pytest.mark.django_db


def test_only_accepted_questions_reach_the_notes(cohort, instructor, student):
    make_section(cohort, "Docker")
    waiting = actions.ask(cohort, as_participant(student), "아직 열린 학생 질문?")
    taken = actions.ask(cohort, as_participant(student), "받아들여진 학생 질문?")
    actions.accept(taken, instructor, section="Docker", answer="네, 답입니다.")
    exported = export_cohort(cohort)
    assert "받아들여진 학생 질문?" in exported and "네, 답입니다." in exported
    assert waiting.text not in exported


def snapshot():
    return {
        "questions": sorted(StudentQuestion.objects.annotate(answered=Q(answered_at__isnull=False)).values_list(
            "cohort__slug", "text", "html", "participant", "author__username", "nickname", "anonymous_to_classmates",
            "status", "question__question", "dismiss_reason", "answered",
        )),
        "votes": sorted(Vote.objects.values_list("student_question__text", "voter", "user__username")),
        "notifications": sorted(Notification.objects.values_list("recipient", "student_question__text", "kind")),
        "that_answers_it": sorted(Deflection.objects.values_list("cohort__slug", "question__question", "participant")),
    }


def test_export_all_and_restore_carry_student_questions_and_votes(tmp_path, cohort, instructor, student, staff):
    make_section(cohort, "Docker")
    visitor = Participant("p:visitor-token", None, "10.0.0.1")
    cohort.open_asking = True
    cohort.save()
    open_one = actions.ask(cohort, visitor, "방문자 질문", nickname="뒷줄", anonymous_to_classmates=True)
    answered = actions.ask(cohort, as_participant(student), "레이어는 **어디에**?")
    for voter in (as_participant(staff), visitor):
        actions.vote(open_one, voter)
        actions.vote(answered, voter)
    actions.accept(answered, instructor, section="Docker", answer="`/var/lib/docker`")
    actions.dismiss(actions.ask(cohort, as_participant(student), "지울 질문"), instructor, reason="중복")
    actions.that_answers_it(cohort, visitor, answered.question)
    before = snapshot()
    assert len(before["votes"]) == 4 and len(before["notifications"]) == 4
    assert len(before["that_answers_it"]) == 1

    call_command("export_notes", "--all", str(tmp_path / "archive"), stdout=io.StringIO())
    Cohort.objects.all().delete()
    assert not StudentQuestion.objects.exists() and not Vote.objects.exists()
    call_command("import_notes", archive=str(tmp_path / "archive"), stdout=io.StringIO())
    assert snapshot() == before
    assert Cohort.objects.get(slug=cohort.slug).open_asking is True
