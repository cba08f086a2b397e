"""The student-question API's conventions: ETag/304 that moves with every vote and triage,
If-Match on triage, Idempotency-Key on create, clear errors that change nothing."""

import pytest

from asking import actions
from asking.models import StudentQuestion
from qa.models import Question
from tests.api.conftest import client_for
from tests.asking.conftest import as_participant
from tests.factories import make_cohort, make_question, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(cohort, student):
    make_section(cohort, "Docker")
    return actions.ask(cohort, as_participant(student), "볼륨은 어디에?")


def test_list_etag_moves_with_votes_and_triage(cohort, asked, instructor, student):
    url = f"/api/cohorts/{cohort.slug}/student-questions/"
    client = client_for(student)
    first = client.get(url)
    assert first.json()["results"][0]["votes"] == 0
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    actions.vote(asked, as_participant(instructor))
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second.json()["results"][0]["votes"] == 1
    actions.dismiss(asked, instructor)
    third = client.get(url, HTTP_IF_NONE_MATCH=second["ETag"])
    assert third.status_code == 200 and third.json()["results"][0]["status"] == "dismissed"


def test_list_orders_open_by_votes_then_time_and_filters_status(cohort, asked, student, instructor, staff):
    later = actions.ask(cohort, as_participant(student), "나중 질문")
    closed = actions.ask(cohort, as_participant(student), "닫힌 질문")
    actions.vote(later, as_participant(instructor))
    actions.dismiss(closed, instructor)
    url = f"/api/cohorts/{cohort.slug}/student-questions/"
    rows = client_for(student).get(url).json()["results"]
    assert [row["id"] for row in rows] == [later.pk, asked.pk, closed.pk]
    assert [row["id"] for row in client_for(student).get(url + "?status=open").json()["results"]] == [
        later.pk, asked.pk
    ]
    bad = client_for(student).get(url + "?status=nope")
    assert bad.status_code == 400 and "status" in bad.json()


def test_create_with_an_idempotency_key_asks_once(cohort, student):
    url = f"/api/cohorts/{cohort.slug}/student-questions/"
    client = client_for(student)
    first = client.post(url, {"text": "한 번만"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(url, {"text": "한 번만"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    other = client.post(url, {"text": "다른 질문"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422
    assert StudentQuestion.objects.count() == 1


@pytest.mark.parametrize("body, field", [
    ({"text": ""}, "text"),
    ({"text": "x" * 2001}, "text"),
    ({"text": ">" * 200}, "text"),
    ({"text": "ok", "nickname": "n" * 41}, "nickname"),
    ({}, "text"),
])
def test_bad_questions_are_refused_and_store_nothing(cohort, student, body, field):
    response = client_for(student).post(f"/api/cohorts/{cohort.slug}/student-questions/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not StudentQuestion.objects.exists()


def test_accept_through_the_api_returns_the_new_question(asked, instructor):
    response = client_for(instructor).post(
        f"/api/student-questions/{asked.pk}/accept/", {"section": "Docker", "chapter": 4, "answer": "`docker volume`"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["question"] == "볼륨은 어디에?" and body["chapter"] == 4 and body["pending"] is False
    asked.refresh_from_db()
    assert asked.status == "accepted" and asked.question_id == body["id"]
    again = client_for(instructor).post(f"/api/student-questions/{asked.pk}/accept/", {}, format="json")
    assert again.status_code == 409 and Question.objects.count() == 1


def test_accept_with_a_bad_chapter_or_section_changes_nothing(asked, instructor, private_cohort):
    foreign = make_section(private_cohort, "남의 섹션")
    for body in ({"chapter": 99}, {"section": foreign.pk}, {"answer": ">" * 200}):
        response = client_for(instructor).post(f"/api/student-questions/{asked.pk}/accept/", body, format="json")
        assert response.status_code == 400, (body, response.content)
    asked.refresh_from_db()
    assert asked.status == "open" and not Question.objects.filter(question=asked.text).exists()


def test_a_stale_if_match_is_412_and_changes_nothing(asked, instructor, student):
    client = client_for(instructor)
    tag = client.get(f"/api/student-questions/{asked.pk}/")["ETag"]
    actions.vote(asked, as_participant(student))
    response = client.post(f"/api/student-questions/{asked.pk}/dismiss/", {}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 412 and response.json()["current"]["votes"] == 1
    asked.refresh_from_db()
    assert asked.status == "open"
    fresh = response["ETag"]
    assert client.post(f"/api/student-questions/{asked.pk}/dismiss/", {}, format="json",
                       HTTP_IF_MATCH=fresh).status_code == 200


def test_merge_through_the_api(asked, cohort, instructor, student, private_cohort):
    client = client_for(instructor)
    target = make_question(make_section(cohort, "Kubernetes"), "볼륨?", "답")
    unseen = make_question(make_section(private_cohort.__class__.objects.create(title="숨은", slug="hidden",
                                                                                is_public=False)), "숨은 질문")
    for body in ({}, {"question": target.pk, "student_question": asked.pk}, {"question": unseen.pk}):
        assert client.post(f"/api/student-questions/{asked.pk}/merge/", body, format="json").status_code == 400
    response = client.post(f"/api/student-questions/{asked.pk}/merge/", {"question": target.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "merged" and response.json()["question"] == target.pk
    assert response.json()["answered"] is True


def test_an_anonymous_visitor_keeps_their_identity_through_the_cookie(cohort, student):
    cohort.open_asking = True
    cohort.save()
    visitor = client_for(None)
    asked = visitor.post(f"/api/cohorts/{cohort.slug}/student-questions/", {"text": "방문자"}, format="json")
    assert asked.status_code == 201
    mine = visitor.get(f"/api/cohorts/{cohort.slug}/student-questions/").json()["results"][0]
    assert mine["mine"] is True
    assert client_for(student).get(f"/api/cohorts/{cohort.slug}/student-questions/").json()["results"][0][
        "mine"] is False
    assert visitor.post(f"/api/student-questions/{mine['id']}/vote/").json()["voted"] is True
    forged = client_for(None)
    forged.cookies["mspt3_participant"] = "p:forged"
    assert forged.get(f"/api/cohorts/{cohort.slug}/student-questions/").json()["results"][0]["mine"] is False


def test_undo_reverses_the_sessions_last_triage_only(asked, cohort, instructor, student):
    from rest_framework.test import APIClient

    session = APIClient()
    session.force_login(instructor)
    other = actions.ask(cohort, as_participant(student), "다른 질문")
    accepted = session.post(f"/api/student-questions/{asked.pk}/accept/", {"section": "Docker", "answer": "답"},
                            format="json")
    assert accepted.status_code == 201
    assert session.post(f"/api/student-questions/{other.pk}/undo/").status_code == 409
    assert client_for(instructor).post(f"/api/student-questions/{asked.pk}/undo/").status_code == 409  # no session
    undone = session.post(f"/api/student-questions/{asked.pk}/undo/")
    assert undone.status_code == 200 and undone.json()["status"] == "open"
    assert not Question.objects.filter(pk=accepted.json()["id"]).exists()
    assert session.post(f"/api/student-questions/{asked.pk}/undo/").status_code == 409  # once
    assert client_for(student).post(f"/api/student-questions/{asked.pk}/undo/").status_code == 403


def test_that_answers_it_through_the_api_counts_once_per_participant(cohort, student, instructor):
    earlier = make_question(make_section(cohort, "Docker"), "레이어?", "네")
    unseen = make_question(make_section(make_cohort("숨은", public=False), "Docker"), "숨은 질문", "답")
    url = f"/api/cohorts/{cohort.slug}/that-answers-it/"
    client = client_for(student)
    assert client.post(url, {"question": earlier.pk}, format="json").json() == {"question": earlier.pk, "count": 1}
    assert client.post(url, {"question": earlier.pk}, format="json").json()["count"] == 1
    assert client_for(instructor).post(url, {"question": earlier.pk}, format="json").json()["count"] == 2
    for body in ({}, {"question": "x"}, {"question": unseen.pk}):
        assert client.post(url, body, format="json").status_code == 400
    assert client_for(None).post(url, {"question": earlier.pk}, format="json").status_code == 401
    assert cohort.deflections.count() == 2 and not StudentQuestion.objects.exists()
