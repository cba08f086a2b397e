"""Votes: one per participant whatever is sent, exact under concurrency, stuffing stopped by the limits."""

import pytest
from django.test import override_settings

from asking import actions
from asking.limits import RateLimited
from asking.models import Vote
from asking.participants import Participant
from tests.api.conftest import client_for
from tests.asking.conftest import as_participant

UNLIMITED = {"ask": (10**6, 10**6, 60), "vote": (10**6, 10**6, 60)}


@pytest.mark.django_db
@override_settings(ASKING_LIMITS=UNLIMITED)
def test_a_thousand_votes_from_one_participant_count_once(cohort, student, instructor):
    asked = actions.ask(cohort, as_participant(student), "한 표만?")
    voter = as_participant(instructor)
    counted = [actions.vote(asked, voter) for _ in range(1000)]
    assert counted.count(True) == 1
    assert Vote.objects.filter(student_question=asked).count() == 1
    assert actions.votes_of(asked) == 1


@pytest.mark.django_db
def test_vote_stuffing_through_the_api_is_refused_and_counts_once(cohort, student, instructor):
    asked = actions.ask(cohort, as_participant(student), "한 표만?")
    client = client_for(instructor)
    statuses = [client.post(f"/api/student-questions/{asked.pk}/vote/").status_code for _ in range(200)]
    assert statuses[0] == 201 and set(statuses[1:120]) == {200}
    assert set(statuses[120:]) == {429}  # the default limit: 120 votes per participant in 10 minutes
    assert Vote.objects.filter(student_question=asked).count() == 1


@pytest.mark.django_db
def test_a_visitor_shedding_cookies_is_limited_per_address(cohort, student):
    cohort.open_asking = True
    cohort.save()
    asked = actions.ask(cohort, as_participant(student), "쿠키를 버리면?")
    with override_settings(ASKING_LIMITS={"vote": (120, 5, 600)}):
        for n in range(5):
            assert actions.vote(asked, Participant(f"p:fresh-{n}", None, "10.1.1.1")) is True
        with pytest.raises(RateLimited):
            actions.vote(asked, Participant("p:fresh-6", None, "10.1.1.1"))
        assert actions.vote(asked, Participant("p:elsewhere", None, "10.2.2.2")) is True
    assert Vote.objects.filter(student_question=asked).count() == 6


@pytest.mark.django_db
def test_unvote_then_vote_again(cohort, student, instructor):
    asked = actions.ask(cohort, as_participant(student), "다시?")
    client = client_for(instructor)
    assert client.post(f"/api/student-questions/{asked.pk}/vote/").json()["votes"] == 1
    assert client.delete(f"/api/student-questions/{asked.pk}/vote/").json() | {} == client.get(
        f"/api/student-questions/{asked.pk}/").json()
    assert Vote.objects.filter(student_question=asked).count() == 0
    assert client.post(f"/api/student-questions/{asked.pk}/vote/").status_code == 201


@pytest.mark.django_db
def test_closed_questions_take_no_votes(cohort, student, instructor):
    asked = actions.ask(cohort, as_participant(student), "닫힌 질문")
    actions.dismiss(asked, instructor)
    response = client_for(student).post(f"/api/student-questions/{asked.pk}/vote/")
    assert response.status_code == 409
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_a_triaged_questions_votes_are_final(cohort, student, instructor):
    asked = actions.ask(cohort, as_participant(student), "답한 질문")
    actions.vote(asked, as_participant(instructor))
    actions.dismiss(asked, instructor)
    assert client_for(instructor).delete(f"/api/student-questions/{asked.pk}/vote/").status_code == 409
    assert Vote.objects.filter(student_question=asked).count() == 1


@pytest.mark.django_db
def test_a_vote_loaded_before_a_triage_is_refused_after_it(cohort, student, instructor):
    asked = actions.ask(cohort, as_participant(student), "늦은 표")
    stale = type(asked).objects.get(pk=asked.pk)  # as a request that loaded it just before the triage
    actions.dismiss(asked, instructor)
    with pytest.raises(actions.Conflict):
        actions.vote(stale, as_participant(instructor))
    assert not Vote.objects.exists()
