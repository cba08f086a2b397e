"""The cohort page rendered once and shared by anonymous visitors: never stale, never
someone else's, the same bytes for everyone (no token, no cookie)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.changes import announce, fingerprint
from courses.models import Cohort
from curriculum.models import Chapter
from tests.factories import make_cohort, make_question, make_section

pytestmark = pytest.mark.django_db

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def page(client, cohort, **extra):
    return client.get(reverse("cohort", kwargs={"slug": cohort.slug}), **extra)


def test_a_second_anonymous_visitor_gets_the_same_bytes_without_a_query(cohort, section):
    make_question(section, "공유되는 질문?")
    first = page(Client(), cohort)
    with CaptureQueriesContext(connection) as queries:
        second = page(Client(), cohort)
    assert len(queries) == 0  # the cohort's head kept while its table is unchanged (courses.freshness)
    assert first.content == second.content
    assert "공유되는 질문?" in second.content.decode()


def test_the_shared_page_carries_no_token_and_gives_no_cookie_so_it_is_public_from_the_first_visit(cohort):
    first = page(Client(), cohort)
    assert not _TOKEN.search(first.content.decode()) and "csrfmiddlewaretoken" not in first.content.decode()
    assert not first.cookies
    assert {d.strip() for d in first["Cache-Control"].split(",")} == {"public", "no-cache"}


def switch(visitor, **headers):
    return visitor.post(reverse("set_language"), {"language": "en", "next": "/"}, **headers)


def test_the_language_switch_takes_a_same_origin_post_without_a_token(cohort):
    for headers in ({"HTTP_SEC_FETCH_SITE": "same-origin"}, {"HTTP_ORIGIN": "http://testserver"}):
        visitor = Client(enforce_csrf_checks=True)
        switched = switch(visitor, **headers)
        assert switched.status_code == 302, headers
        assert switched.cookies["django_language"].value == "en"
        assert 'lang="en"' in page(visitor, cohort).content.decode()


def test_the_language_switch_refuses_a_cross_site_or_unsourced_post_without_a_token_and_changes_nothing():
    for headers in (
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"},  # the browser's word wins
        {},
    ):
        refused = switch(Client(enforce_csrf_checks=True), **headers)
        assert refused.status_code == 403, headers
        assert "django_language" not in refused.cookies


def test_the_language_switch_still_takes_a_valid_token_from_a_client_that_says_nothing_of_its_origin():
    visitor = Client(enforce_csrf_checks=True)
    token = _TOKEN.search(visitor.get(reverse("login")).content.decode()).group(1)
    switched = visitor.post(reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
    assert switched.cookies["django_language"].value == "en"


def test_a_new_question_is_on_the_next_anonymous_page(client, cohort, section):
    page(client, cohort)
    question = make_question(section, "방금 올라온 질문?")
    assert f'id="q-{question.pk}"' in page(client, cohort).content.decode()


def test_a_cohort_title_edited_without_touch_changes_the_etag_and_the_shared_page(client, cohort):
    before = page(client, cohort)
    cohort.title = "MSP T3 - 제목 고침"
    cohort.save()
    after = page(client, cohort, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "MSP T3 - 제목 고침" in after.content.decode()


def test_a_signed_in_reader_never_gets_the_anonymous_visitors_page(client, cohort, student):
    page(Client(), cohort)
    client.force_login(student)
    signed_in = page(client, cohort).content.decode()
    assert 'class="username">student<' in signed_in
    assert 'class="username"' not in page(Client(), cohort).content.decode()


def test_the_shared_page_links_back_to_the_canonical_page_whatever_the_query(client, cohort):
    """One shared copy per page: a query parameter the page does not read is dropped
    (it would otherwise be one cached copy per value, and echoed to every visitor)."""
    path = reverse("cohort", kwargs={"slug": cohort.slug})
    with_query = client.get(path + "?from=mail").content.decode()
    assert f'name="next" value="{path}"' in with_query and "from=mail" not in with_query
    assert "from=mail" not in client.get(path).content.decode()


# --- the chapter page, built from every cohort ----------------------------------------


def chapter_page(client, number=6):
    return client.get(reverse("chapter", kwargs={"number": number}))


def test_a_second_anonymous_visitor_of_a_chapter_page_costs_no_query_while_nothing_changed(section):
    make_question(section, "CH06 질문?", chapter=6)
    chapter_page(Client())
    with CaptureQueriesContext(connection) as queries:
        again = chapter_page(Client())
    assert len(queries) == 0  # chapters and the cohorts' fingerprint kept (courses.freshness)
    assert "CH06 질문?" in again.content.decode()


def test_a_question_linked_in_any_cohort_is_on_the_next_anonymous_chapter_page(client):
    chapter_page(client)
    question = make_question(make_section(make_cohort()), "새 CH06 질문?", chapter=6)
    assert f'id="q-{question.pk}"' in chapter_page(client).content.decode()


def test_a_cohort_made_private_leaves_the_anonymous_chapter_page_at_once(client):
    cohort = make_cohort()
    question = make_question(make_section(cohort), "곧 비공개?", chapter=6)
    assert f'id="q-{question.pk}"' in chapter_page(client).content.decode()
    cohort.is_public = False
    cohort.save()
    assert f'id="q-{question.pk}"' not in chapter_page(client).content.decode()


def test_a_chapter_renamed_in_the_admin_shows_on_its_neighbours_shared_page(client):
    chapter_page(client, 6)
    Chapter.objects.filter(number=7).update(title="쿠버네티스 개요 (개정)")
    assert "쿠버네티스 개요 (개정)" in chapter_page(client, 6).content.decode()


def test_the_fingerprint_changes_with_every_announcement_save_addition_and_deletion():
    first, second = make_cohort(), make_cohort()
    stamps = [fingerprint(Cohort.objects.all())]
    announce(first)
    stamps.append(fingerprint(Cohort.objects.all()))
    second.title = "고친 제목"
    second.save()
    stamps.append(fingerprint(Cohort.objects.all()))
    third = make_cohort()
    stamps.append(fingerprint(Cohort.objects.all()))
    third.delete()
    stamps.append(fingerprint(Cohort.objects.all()))
    assert all(before != after for before, after in zip(stamps, stamps[1:], strict=False))
    # Back to the same cohorts in the same state: the same stamp, and the page cached for it is right again.
    assert stamps[-1] == stamps[-3]
    assert fingerprint(Cohort.objects.filter(is_public=False)) == (0, None, None, None, None)


def test_archive_order_puts_the_newest_cohort_first_undated_last_then_the_notes_order():
    from datetime import date

    from qa.models import Question

    undated = make_cohort(starts_on=None, ends_on=None)
    older = make_cohort(starts_on=date(2023, 1, 2), ends_on=date(2023, 1, 4))
    newer = make_cohort(starts_on=date(2024, 1, 2), ends_on=date(2024, 1, 4))
    second_section = make_section(newer, "Kubernetes", position=2)
    first_section = make_section(newer, "Docker", position=1)
    expected = [
        make_question(first_section, "첫 질문?"),
        make_question(first_section, "둘째 질문?"),
        make_question(second_section, "쿠버네티스 질문?"),
        make_question(make_section(older), "지난 기수 질문?"),
        make_question(make_section(undated), "날짜 없는 질문?"),
    ]
    assert list(Question.objects.archive_order()) == expected


# --- search ----------------------------------------------------------------------------


def search_page(client, q="컨테이너"):
    return client.get(reverse("search"), {"q": q})


def test_a_search_asked_again_by_another_anonymous_visitor_costs_no_query_while_nothing_changed(section):
    make_question(section, "컨테이너 질문?")
    search_page(Client())
    with CaptureQueriesContext(connection) as queries:
        again = search_page(Client())
    assert len(queries) == 0  # the page's key kept (courses.freshness), the page from the cache
    assert "<mark>컨테이너</mark> 질문?" in again.content.decode()


def test_a_new_matching_question_is_in_the_next_anonymous_search(client, section):
    search_page(client)
    question = make_question(section, "새 컨테이너 질문?")
    assert f"#q-{question.pk}" in search_page(client).content.decode()


def test_a_signed_in_student_searches_their_private_cohort_never_the_shared_page(client, private_cohort, student):
    secret = make_question(make_section(private_cohort), "비공개 컨테이너 질문?")
    assert f"#q-{secret.pk}" not in search_page(client).content.decode()
    client.force_login(student)
    assert f"#q-{secret.pk}" in search_page(client).content.decode()
    client.logout()
    assert f"#q-{secret.pk}" not in search_page(client).content.decode()
