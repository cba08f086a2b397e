"""Replaying an Idempotency-Key on the quick-entry form: the first answer again, but only to someone
who may still see it now, and only for the same request (a different body is 422, not a silent replay)."""

import pytest
from django.urls import reverse

from courses.models import Membership
from qa.models import Question
from tests.factories import make_cohort, make_section

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def log(client, cohort, key, text="비공개 반의 질문", **fields):
    section = cohort.sections.first() or make_section(cohort, "Docker")
    data = {"question": text, "section": section.pk, **fields}
    return client.post(reverse("question-create", args=[cohort.slug]), data, HTTP_IDEMPOTENCY_KEY=key, **FETCH)


@pytest.fixture
def moved_on(client, instructor, private_cohort):
    """The instructor logged a question in a private cohort, then left it for another cohort they teach."""
    client.force_login(instructor)
    assert log(client, private_cohort, "old-key").status_code == 201
    question = Question.objects.get()
    question.answer = "비공개 반만 보는 답"
    question.save()
    other = make_cohort("다른 반", public=False, instructors=[instructor])
    return {"client": client, "private": private_cohort, "other": other, "question": question}


def test_a_removed_instructor_replaying_an_old_key_gets_404_and_not_the_private_answer(moved_on, instructor):
    moved_on["private"].memberships.filter(user=instructor).delete()
    response = log(moved_on["client"], moved_on["other"], "old-key")
    assert response.status_code == 404
    assert "비공개 반만 보는 답" not in response.content.decode()
    assert Question.objects.count() == 1  # nothing created either


def test_an_instructor_who_became_a_student_replaying_an_old_key_gets_403(moved_on, instructor):
    moved_on["private"].memberships.filter(user=instructor).update(role=Membership.Role.STUDENT)
    response = log(moved_on["client"], moved_on["private"], "old-key")
    assert response.status_code == 403
    assert Question.objects.count() == 1


def test_a_key_replayed_by_someone_who_still_teaches_the_cohort_returns_the_question(moved_on):
    response = log(moved_on["client"], moved_on["private"], "old-key")
    assert response.status_code == 200
    assert response["X-Question-Id"] == str(moved_on["question"].pk)
    assert Question.objects.count() == 1


def test_the_same_key_with_another_question_is_422_and_creates_nothing(moved_on):
    response = log(moved_on["client"], moved_on["private"], "old-key", text="전혀 다른 질문")
    assert response.status_code == 422
    assert "Idempotency-Key" in response.content.decode()
    assert list(Question.objects.values_list("question", flat=True)) == ["비공개 반의 질문"]


def test_the_same_key_in_another_cohort_is_422_and_creates_nothing(moved_on):
    response = log(moved_on["client"], moved_on["other"], "old-key")
    assert response.status_code == 422
    assert Question.objects.count() == 1
    assert not Question.objects.filter(section__cohort=moved_on["other"]).exists()
