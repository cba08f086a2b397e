"""A visitor known by the participant cookie is cookie-authenticated: their writes need the
CSRF token, on the API as on the pages (DRF checks CSRF for session users only, so the API
did not). Clients here enforce CSRF like a browser (Django's enforce_csrf_checks)."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from asking import actions
from asking.models import StudentQuestion, Vote
from asking.participants import COOKIE
from tests.asking.conftest import as_participant

pytestmark = pytest.mark.django_db

TOKEN = "a" * 32  # a CSRF secret as the csrftoken cookie holds it; the header may repeat it


@pytest.fixture
def open_cohort(cohort):
    cohort.open_asking = True
    cohort.save()
    return cohort


def visitor_with_cookie(client_class, cohort):
    """A browser that asked once (no cookie yet: nobody to forge for) and holds its participant cookie."""
    client = client_class(enforce_csrf_checks=True)
    if client_class is APIClient:
        client.post(f"/api/cohorts/{cohort.slug}/student-questions/", {"text": "첫 질문"}, format="json")
    else:  # a page post always needs the token (CsrfViewMiddleware)
        client.cookies.load({"csrftoken": TOKEN})
        client.post(reverse("cohort-ask", args=[cohort.slug]), {"text": "첫 질문"}, HTTP_X_CSRFTOKEN=TOKEN)
        del client.cookies["csrftoken"]
    assert COOKIE in client.cookies
    return client


def test_an_api_write_by_a_cookie_identified_visitor_needs_the_csrf_token(open_cohort, student):
    client = visitor_with_cookie(APIClient, open_cohort)
    url = f"/api/cohorts/{open_cohort.slug}/student-questions/"
    before = StudentQuestion.objects.count()
    refused = client.post(url, {"text": "남의 페이지가 보낸 질문"}, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    theirs = actions.ask(open_cohort, as_participant(student), "투표할 질문")
    assert client.post(f"/api/student-questions/{theirs.pk}/vote/").status_code == 403
    assert client.delete(f"/api/student-questions/{theirs.pk}/vote/").status_code == 403
    assert StudentQuestion.objects.count() == before + 1 and not Vote.objects.exists()
    # The same browser with its token (the page's csrftoken cookie, sent back in the header): allowed.
    client.cookies.load({"csrftoken": TOKEN})
    assert client.post(url, {"text": "내가 보낸 질문"}, format="json", HTTP_X_CSRFTOKEN=TOKEN).status_code == 201
    assert client.post(f"/api/student-questions/{theirs.pk}/vote/", HTTP_X_CSRFTOKEN=TOKEN).status_code == 201
    # Reads need no token.
    assert client.get(url).status_code == 200


def test_a_page_write_by_a_cookie_identified_visitor_needs_the_csrf_token(open_cohort, student):
    client = visitor_with_cookie(Client, open_cohort)
    before = StudentQuestion.objects.count()
    assert client.post(reverse("cohort-ask", args=[open_cohort.slug]), {"text": "몰래"}).status_code == 403
    theirs = actions.ask(open_cohort, as_participant(student), "투표할 질문")
    assert client.post(reverse("student-question-vote", args=[theirs.pk])).status_code == 403
    assert StudentQuestion.objects.count() == before + 1 and not Vote.objects.exists()
