"""The site's own error pages (templates/404.html, 403.html, 400.html, 403_csrf.html, 500.html),
with DEBUG off as in production: the only setting in which Django renders them."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_cohort

_CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
LANGUAGES = ["ko", "en"]
HEADINGS = {
    404: {"ko": "페이지를 찾을 수 없습니다", "en": "Page not found"},
    403: {"ko": "권한이 없습니다", "en": "Not allowed"},
    400: {"ko": "잘못된 요청", "en": "Bad request"},
}


@pytest.fixture(autouse=True)
def production_errors(settings):
    settings.DEBUG = False


@pytest.fixture
def visitor(request, student):
    """The test client as an anonymous visitor or signed in as ``student``."""
    client = Client(raise_request_exception=False)
    if request.param == "signed-in":
        client.force_login(student)
    return client


def _site_page(response, status, language):
    """The body, once it is checked to be the site's page for ``status`` in ``language``."""
    body = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert f'<html lang="{language}">' in body and 'class="site-header"' in body
    assert f"<h1>{HEADINGS[status][language]}</h1>" in body
    assert f'<a href="{reverse("home")}">' in body and f'href="{reverse("search")}"' in body
    return body


def _login_offered(body):
    return f'<li><a href="{reverse("login")}?next=' in body


both_visitors = pytest.mark.parametrize("visitor", ["anonymous", "signed-in"], indirect=True)


@both_visitors
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_missing_page_is_the_sites_404_in_the_visitors_language(visitor, language, student):
    body = _site_page(visitor.get("/cohorts/no-such-cohort/", HTTP_ACCEPT_LANGUAGE=language), 404, language)
    signed_in = "_auth_user_id" in visitor.session
    assert _login_offered(body) is not signed_in
    assert (student.username in body) is signed_in


@both_visitors
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_private_cohorts_404_is_byte_for_byte_the_page_of_one_that_does_not_exist(visitor, language):
    private = make_cohort("MSP T3 - 남의 비공개 반", public=False)
    url = private.get_absolute_url()
    hidden = visitor.get(url, HTTP_ACCEPT_LANGUAGE=language)
    private.delete()
    missing = visitor.get(url, HTTP_ACCEPT_LANGUAGE=language)
    never = visitor.get(url.replace(private.slug, "zz-never-was"), HTTP_ACCEPT_LANGUAGE=language)

    page = _site_page(hidden, 404, language)
    assert private.title not in page

    def same(body):
        return _CSRF_TOKEN.sub("", body.replace(private.slug, "SLUG").replace("zz-never-was", "SLUG"))

    assert same(page) == same(missing.content.decode()) == same(never.content.decode())
    assert page.count(private.slug) == never.content.decode().count("zz-never-was")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_student_on_the_pending_queue_gets_the_403_saying_it_is_for_instructors(client, student, language):
    client.force_login(student)
    body = _site_page(client.get(reverse("pending"), HTTP_ACCEPT_LANGUAGE=language), 403, language)
    assert {"ko": "강사만 쓸 수 있습니다.", "en": "Only instructors may use this."}[language] in body
    assert not _login_offered(body)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_visitor_asking_where_asking_is_closed_gets_the_403_with_a_way_to_log_in(cohort, language):
    client = Client(raise_request_exception=False)
    response = client.post(reverse("cohort-ask", args=[cohort.slug]), {"text": "질문"}, HTTP_ACCEPT_LANGUAGE=language)
    body = _site_page(response, 403, language)
    assert {"ko": "구성원만 질문할 수", "en": "open to its members only"}[language] in body
    assert _login_offered(body)
    assert not cohort.student_questions.exists()


def test_a_403_without_a_message_says_the_account_may_not_open_the_page(teaching, student):
    """The instructors' admin refuses a user's page with a bare PermissionDenied."""
    body = _site_page(teaching.get("/admin/auth/user/", HTTP_ACCEPT_LANGUAGE="en"), 403, "en")
    assert "Your account may not open this page." in body


@both_visitors
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_request_for_another_host_is_the_sites_400(visitor, language):
    _site_page(visitor.get("/", HTTP_HOST="evil.example", HTTP_ACCEPT_LANGUAGE=language), 400, language)


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_with_a_stale_token_gets_the_sites_page_and_saves_nothing(language, signed_in, student, cohort):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if signed_in:
        client.force_login(student)
    client.get(cohort.get_absolute_url())  # the CSRF cookie; the form's token is left out
    response = client.post(reverse("cohort-ask", args=[cohort.slug]), {"text": "질문"}, HTTP_ACCEPT_LANGUAGE=language)
    body = response.content.decode()
    assert response.status_code == 403 and 'class="site-header"' in body and f'<html lang="{language}">' in body
    assert {"ko": "양식이 오래되었습니다", "en": "The form was out of date"}[language] in body
    assert (student.username in body) is signed_in
    assert not cohort.student_questions.exists()


def test_the_api_still_answers_its_errors_as_json(client, student, private_cohort, cohort):
    missing = client.get("/api/cohorts/no-such-cohort/")
    hidden = client.get(f"/api/cohorts/{private_cohort.slug}/")
    assert missing.status_code == hidden.status_code == 404 and missing.json() == hidden.json()
    client.force_login(student)
    refused = client.patch(f"/api/cohorts/{cohort.slug}/", {"notes": "x"}, content_type="application/json")
    assert refused.status_code == 403 and refused["Content-Type"] == "application/json"
    assert "detail" in refused.json()


SERVER_ERROR_WORDS = ["일시적인 오류가 났습니다", "Something went wrong"]


@both_visitors
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bug_is_the_standalone_500_in_both_languages(visitor, language, settings, student):
    settings.ROOT_URLCONF = "tests.mspt3.failing_urls"
    response = visitor.get("/broken/", HTTP_ACCEPT_LANGUAGE=language)
    body = response.content.decode()
    assert response.status_code == 500 and response["Content-Type"].startswith("text/html")
    assert all(words in body for words in SERVER_ERROR_WORDS) and '<section lang="en">' in body
    # Nothing of the visitor: Django renders it with no request, and it reads no session.
    assert 'class="site-header"' not in body and student.username not in body


def test_a_bug_in_the_api_is_a_json_500(settings):
    settings.ROOT_URLCONF = "tests.mspt3.failing_urls"
    response = Client(raise_request_exception=False).get("/api/broken/")
    assert response.status_code == 500 and response.json() == {"detail": "A server error occurred."}
