"""Error shapes and limits: JSON 404/405/415/413, malformed bodies, throttling,
and odd input that must never become a 500."""

import pytest
from django.test import override_settings

from qa.models import Question
from tests.factories import make_question


def test_unknown_api_path_is_a_json_404(anon):
    response = anon.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such API endpoint."}


def test_missing_trailing_slash_is_a_json_404_that_says_so(anon):
    response = anon.get("/api/cohorts")
    assert response.status_code == 404
    assert response.json()["detail"].endswith("/api/cohorts/")


def test_method_not_allowed_is_json(as_staff):
    response = as_staff.post("/api/cohorts/", {}, format="json")
    assert response.status_code == 405 and "detail" in response.json()


def test_unsupported_media_type_is_415_and_creates_nothing(as_instructor, cohort):
    response = as_instructor.post("/api/questions/", "question=x", content_type="text/plain")
    assert response.status_code == 415 and "detail" in response.json()
    assert Question.objects.count() == 0


def test_malformed_json_is_400_with_detail(as_instructor):
    response = as_instructor.post("/api/questions/", '{"question": ', content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()


@override_settings(API_MAX_BODY_BYTES=2000)
def test_body_over_the_limit_is_413_and_creates_nothing(as_instructor, cohort, section):
    body = {"cohort": cohort.slug, "section": section.pk, "question": "q", "answer": "가" * 1000}
    response = as_instructor.post("/api/questions/", body, format="json")
    assert response.status_code == 413 and "detail" in response.json()
    assert Question.objects.count() == 0
    body["answer"] = "가" * 100
    assert as_instructor.post("/api/questions/", body, format="json").status_code == 201


def test_anonymous_write_is_401_with_a_token_challenge(anon, section):
    question = make_question(section, "질문")
    response = anon.patch(f"/api/questions/{question.pk}/", {"answer": "a"}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Token'


def test_bad_token_is_401(anon, section):
    anon.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert anon.get("/api/questions/").status_code == 401


@override_settings(API_ANON_THROTTLE_RATE="3/min")
def test_anonymous_clients_are_throttled_with_retry_after(anon, as_student, cohort):
    statuses = [anon.get("/api/chapters/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    throttled = anon.get("/api/questions/")
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) > 0
    assert "detail" in throttled.json()
    assert all(as_student.get("/api/chapters/").status_code == 200 for _ in range(5))


@override_settings(API_ANON_THROTTLE_RATE="off")
def test_throttling_can_be_switched_off(anon):
    assert all(anon.get("/api/chapters/").status_code == 200 for _ in range(10))


@pytest.mark.parametrize(
    "url",
    [
        "/api/questions/?search=%00",
        "/api/questions/?cohort=%00",
        "/api/questions/?section=%00",
        "/api/questions/?section=99999999999999999999999999",
        "/api/questions/?chapter=99999999999999999999",
        "/api/questions/?chapter=NaN",
        "/api/questions/?page=99999999999999999999",
        "/api/questions/?page=-1",
        "/api/questions/?page_size=-5",
        "/api/questions/?page_size=abc",
        "/api/questions/99999999999999999999999/",
        "/api/questions/123456789012345/",
        "/api/cohorts/%00/",
        "/api/cohorts/%F0%9F%90%B3/",
        "/api/cohorts/" + "a" * 300 + "/",
        "/api/cohorts/x/progress/99/",
        "/api/chapters/999/",
    ],
)
def test_odd_reads_are_client_errors_never_500(anon, section, url):
    make_question(section, "질문")
    response = anon.get(url)
    assert response.status_code in (200, 400, 404)
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "body",
    [
        {"cohort": "\x00", "section": "Docker", "question": "q"},
        {"cohort": "{slug}", "section": "Doc\x00ker", "question": "q"},
        {"cohort": "{slug}", "section": 10**30, "question": "q"},
        {"cohort": "{slug}", "section": -1, "question": "q"},
        {"cohort": "{slug}", "section": True, "question": "q"},
        {"cohort": "{slug}", "section": None, "question": "q"},
        {"cohort": "{slug}", "section": "Docker", "question": "q", "chapter": 10**30},
        {"cohort": "{slug}", "section": "Docker", "question": "q", "position": 10**30},
        {"cohort": "{slug}", "section": "Docker", "question": "q", "answer": None},
        {"cohort": ["{slug}"], "section": "Docker", "question": "q"},
        {"cohort": "{slug}", "section": "x" * 201, "question": "q"},
    ],
)
def test_odd_writes_are_400_never_500_and_create_nothing(as_instructor, cohort, body):
    body = {k: (v.replace("{slug}", cohort.slug) if isinstance(v, str) else v) for k, v in body.items()}
    response = as_instructor.post("/api/questions/", body, format="json")
    assert response.status_code == 400
    assert Question.objects.count() == 0


def test_huge_question_id_in_a_write_path_is_404(as_instructor):
    assert as_instructor.patch("/api/questions/99999999999999999999/", {}, format="json").status_code == 404
