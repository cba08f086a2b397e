"""asking.actions: ask, vote, unvote and the triage paths, on the real database."""

import pytest
from django.core.exceptions import PermissionDenied

from asking import actions
from asking.models import StudentQuestion, Vote
from asking.participants import Participant, user_key
from qa.models import Question
from tests.factories import cohort_version, make_cohort, make_question, make_section, make_user

pytestmark = pytest.mark.django_db


def as_participant(user):
    return Participant(user_key(user), user, "127.0.0.1")


@pytest.fixture
def room():
    teacher, student, other = make_user(), make_user(), make_user()
    cohort = make_cohort(instructors=[teacher], students=[student, other])
    make_section(cohort, "Docker")
    return cohort, teacher, student, other


def test_ask_renders_and_announces(room):
    cohort, _teacher, student, _other = room
    before = cohort_version(cohort)
    asked = actions.ask(cohort, as_participant(student), "  What is **a layer**?  ", nickname="kim")
    asked.refresh_from_db()
    assert asked.text == "What is **a layer**?"
    assert "<strong>a layer</strong>" in asked.html
    assert asked.participant == user_key(student) and asked.author == student
    assert cohort_version(cohort) == before + 1


def test_bad_input_writes_nothing(room):
    cohort, _teacher, student, _other = room
    for text in ("", "   ", "x" * 2001, ">" * 100):
        with pytest.raises(actions.InvalidInput):
            actions.ask(cohort, as_participant(student), text)
    with pytest.raises(actions.InvalidInput):
        actions.ask(cohort, as_participant(student), "ok?", nickname="n" * 41)
    assert not StudentQuestion.objects.exists()


def test_vote_once_and_unvote(room):
    cohort, _teacher, student, other = room
    asked = actions.ask(cohort, as_participant(student), "Why?")
    assert actions.vote(asked, as_participant(other)) is True
    assert actions.vote(asked, as_participant(other)) is False
    assert actions.votes_of(asked) == 1
    before = cohort_version(cohort)
    assert actions.unvote(asked, as_participant(other)) is True
    assert actions.unvote(asked, as_participant(other)) is False
    assert actions.votes_of(asked) == 0
    assert cohort_version(cohort) == before + 1


def test_accept_with_answer_makes_an_answered_notes_question(room):
    cohort, teacher, student, other = room
    asked = actions.ask(cohort, as_participant(student), "How do I stop a container?")
    actions.vote(asked, as_participant(other))
    question, triage = actions.accept(asked, teacher, section="Docker", answer="`docker stop`")
    asked.refresh_from_db()
    assert asked.status == "accepted" and asked.question == question
    assert question.section.title == "Docker" and not question.pending and question.author == teacher
    assert asked.answered_at is not None
    assert set(asked.notifications.values_list("recipient", flat=True)) == {user_key(student), user_key(other)}
    with pytest.raises(actions.Conflict):
        actions.accept(asked, teacher, section="Docker")
    reopened = actions.undo(triage, teacher)
    assert reopened.status == "open" and reopened.question is None and reopened.answered_at is None
    assert not Question.objects.filter(pk=question.pk).exists()
    assert not reopened.notifications.exists()


def test_student_may_not_triage(room):
    cohort, _teacher, student, other = room
    asked = actions.ask(cohort, as_participant(student), "Why?")
    with pytest.raises(PermissionDenied):
        actions.dismiss(asked, other, reason="no")
    asked.refresh_from_db()
    assert asked.status == "open"


def test_pending_accept_hears_back_when_answered_later(room, django_capture_on_commit_callbacks):
    cohort, teacher, student, _other = room
    asked = actions.ask(cohort, as_participant(student), "What is a pod?")
    question, _triage = actions.accept(asked, teacher, section="Docker")
    assert question.pending and not asked.notifications.exists()
    question.answer = "The smallest unit."
    # Heard after the commit (courses.changes.cohorts_changed), as in production.
    with django_capture_on_commit_callbacks(execute=True):
        question.save_checked(question.revision)
    asked.refresh_from_db()
    assert asked.answered_at is not None
    assert asked.notifications.get().recipient == user_key(student)


def test_merge_into_student_question_carries_votes(room):
    cohort, teacher, student, other = room
    third = make_user()
    cohort.memberships.create(user=third, role="student")
    first = actions.ask(cohort, as_participant(student), "Is a layer cached?")
    duplicate = actions.ask(cohort, as_participant(other), "Are layers cached?")
    actions.vote(duplicate, as_participant(third))
    actions.vote(first, as_participant(third))
    triage = actions.merge(duplicate, teacher, into=first)
    assert set(Vote.objects.filter(student_question=first).values_list("voter", flat=True)) == {
        user_key(third), user_key(other)
    }
    actions.undo(triage, teacher)
    assert list(Vote.objects.filter(student_question=first).values_list("voter", flat=True)) == [user_key(third)]


def test_merge_into_answered_question_hears_back(room):
    cohort, teacher, student, _other = room
    earlier = make_question(make_section(make_cohort(), "Docker"), "Layers?", "Yes, cached.")
    asked = actions.ask(cohort, as_participant(student), "Layers cached?")
    actions.merge(asked, teacher, into=earlier)
    asked.refresh_from_db()
    assert asked.status == "merged" and asked.question == earlier and asked.answered_at is not None


def test_accept_into_a_new_section_title_infers_the_chapter(room):
    cohort, teacher, student, _other = room
    asked = actions.ask(cohort, as_participant(student), "쿠버네티스 파드가 재시작되는 이유는?")
    question, _ = actions.accept(asked, teacher, section="새 섹션")
    assert question.section.title == "새 섹션" and question.section.cohort == cohort


def test_that_answers_it_is_counted_and_sends_nothing(room):
    cohort, _teacher, student, _other = room
    earlier = make_question(make_section(make_cohort(), "Docker"), "레이어 캐시?", "네")
    hidden = make_question(make_section(make_cohort(public=False), "Docker"), "숨은 질문", "답")
    assert actions.that_answers_it(cohort, as_participant(student), earlier) == 1
    # Said twice by the same participant: counted once (the unique constraint), by another: twice.
    assert actions.that_answers_it(cohort, as_participant(student), earlier) == 1
    assert actions.that_answers_it(cohort, as_participant(_other), earlier) == 2
    deflection = cohort.deflections.get(participant=user_key(student))
    assert deflection.question == earlier
    with pytest.raises(actions.InvalidInput):
        actions.that_answers_it(cohort, as_participant(student), hidden)
    with pytest.raises(PermissionDenied):
        actions.that_answers_it(cohort, as_participant(make_user()), earlier)
    assert cohort.deflections.count() == 2 and not StudentQuestion.objects.exists()
