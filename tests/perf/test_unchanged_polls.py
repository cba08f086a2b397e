"""An anonymous visitor's unchanged poll (mspt3.polls.UnchangedPollMiddleware) is the same
304 the whole stack gives, answered before the session and messages middleware, and it
still goes through the access policy, the host check and the visitor's language."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_question

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate"}
POLLS = "mspt3.polls.UnchangedPollMiddleware"


def urls(cohort):
    return [reverse("cohort", kwargs={"slug": cohort.slug}), reverse("cohort-live", kwargs={"slug": cohort.slug})]


@pytest.mark.parametrize("which", [0, 1], ids=["page", "live"])
def test_an_unchanged_anonymous_poll_is_answered_without_session_or_messages_and_as_the_whole_stack_would(
    cohort, section, which, settings
):
    make_question(section, "바뀌지 않은 질문?")
    url = urls(cohort)[which]
    etag = Client().get(url, **GZIP)["ETag"]
    short = Client().get(url, HTTP_IF_NONE_MATCH=etag, **GZIP)
    assert POLLS in settings.MIDDLEWARE
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != POLLS]  # the path polls took before
    whole = Client().get(url, HTTP_IF_NONE_MATCH=etag, **GZIP)

    assert short.status_code == whole.status_code == 304
    assert not hasattr(short.wsgi_request, "session") and not hasattr(short.wsgi_request, "_messages")
    assert hasattr(whole.wsgi_request, "session")  # the comparison really took the other path
    for header in ("ETag", "Cache-Control", "Content-Language", "Content-Encoding", "X-Content-Type-Options"):
        assert short.get(header) == whole.get(header), header
    assert {v.strip() for v in short["Vary"].split(",")} == {v.strip() for v in whole["Vary"].split(",")}
    assert not short.cookies


def test_a_poll_of_a_private_cohort_with_its_members_etag_is_a_404_for_an_anonymous_visitor(
    client, student, private_cohort
):
    client.force_login(student)
    page, live = urls(private_cohort)
    tags = [client.get(page)["ETag"], client.get(live)["ETag"]]
    for url, tag in zip((page, live), tags, strict=True):
        response = Client().get(url, HTTP_IF_NONE_MATCH=tag)
        assert response.status_code == 404, url
        assert private_cohort.title not in response.content.decode()


def test_a_poll_with_a_host_the_site_does_not_serve_is_refused_before_any_lookup(cohort, django_assert_num_queries):
    page, live = urls(cohort)
    etag = Client().get(live)["ETag"]
    with django_assert_num_queries(0):
        response = Client(HTTP_HOST="evil.example").get(live, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 400


def test_a_poll_is_answered_in_the_visitors_language(cohort):
    page = urls(cohort)[0]
    korean = Client().get(page, **GZIP)["ETag"]
    english = Client().get(page, HTTP_ACCEPT_LANGUAGE="en", **GZIP)["ETag"]
    answered = Client().get(page, HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=english, **GZIP)
    assert answered.status_code == 304 and answered["Content-Language"] == "en"
    # The Korean copy is not the English one: the English visitor gets the whole page.
    other = Client().get(page, HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=korean, **GZIP)
    assert other.status_code == 200 and other["Content-Language"] == "en" and other["ETag"] == english


def test_a_changed_cohort_falls_through_to_the_view_and_gets_the_new_question(cohort, section):
    live = urls(cohort)[1]
    etag = Client().get(live)["ETag"]
    question = make_question(section, "새 질문이 올라왔나요?")
    response = Client().get(live, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    assert f'id="q-{question.pk}"' in response.json()["flow"]


def test_a_polled_path_is_resolved_once_and_again_when_the_urlconf_changes(cohort, settings):
    from mspt3.polls import _poll_view

    live = urls(cohort)[1]
    etag = Client().get(live)["ETag"]
    _poll_view.cache_clear()
    for _ in range(3):
        assert Client().get(live, HTTP_IF_NONE_MATCH=etag).status_code == 304
    info = _poll_view.cache_info()
    assert (info.misses, info.hits) == (1, 2)
    # Another URLconf (the API's alone): what the old one resolved is forgotten, as Django's own caches are.
    settings.ROOT_URLCONF = "mspt3.api_urls"
    assert _poll_view.cache_info().currsize == 0
