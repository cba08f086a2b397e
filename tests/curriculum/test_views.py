"""The chapter page: the chapter, and its questions from every cohort the visitor may see."""

import re
from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_cohort, make_question, make_section

pytestmark = pytest.mark.django_db


def chapter_page(client, number, **headers):
    return client.get(reverse("chapter", kwargs={"number": number}), **headers)


def test_chapter_page_shows_theory_and_the_lab_it_pairs_with(client):
    page = chapter_page(client, 6).content.decode()
    assert "[Book] 06_Dockerfile_BestPractice" in page
    assert "[Hands-on] 05_Dockerfile" in page


def test_chapter_without_a_lab_says_so(client):
    page = chapter_page(client, 1).content.decode()
    assert re.search(r"<dt>실습</dt><dd>-</dd>", page)


def test_chapter_page_flags_self_study_labs(client):
    from curriculum.models import Lab

    lab = Lab.objects.filter(chapter__isnull=False).first()
    Lab.objects.filter(pk=lab.pk).update(has_self_study=True)
    assert "자율 학습" in chapter_page(client, lab.chapter.number).content.decode()


def test_unknown_chapter_is_404(client):
    assert chapter_page(client, 99).status_code == 404


def test_chapter_page_lists_its_questions_from_every_visible_cohort_newest_cohort_first(client):
    older = make_cohort("MSP T3 - 23-3차", starts_on=date(2023, 9, 4), ends_on=date(2023, 9, 6))
    newer = make_cohort("MSP T3 - 24-2차", starts_on=date(2024, 5, 7), ends_on=date(2024, 5, 9))
    old_q = make_question(make_section(older), "CH06 빌드 컨텍스트?", "- 디렉토리", chapter=6)
    new_q = make_question(make_section(newer), "ch06 멀티스테이지?", "- 네", chapter=6)
    other = make_question(make_section(newer, "Kubernetes"), "파드?", "- 네", chapter=7)

    page = chapter_page(client, 6).content.decode()

    assert page.index(f'id="q-{new_q.pk}"') < page.index(f'id="q-{old_q.pk}"')
    assert f'id="q-{other.pk}"' not in page
    assert page.index("MSP T3 - 24-2차") < page.index("MSP T3 - 23-3차")
    assert f'data-copy-url="{new_q.get_absolute_url()}"' in page


def test_chapter_page_hides_questions_of_private_cohorts_from_outsiders(client, private_cohort, outsider):
    secret = make_question(make_section(private_cohort), "비공개 질문?", chapter=6)
    assert f'id="q-{secret.pk}"' not in chapter_page(client, 6).content.decode()
    client.force_login(outsider)
    assert f'id="q-{secret.pk}"' not in chapter_page(client, 6).content.decode()


def test_chapter_page_shows_private_questions_to_the_cohorts_student(client, private_cohort, student):
    secret = make_question(make_section(private_cohort), "비공개 질문?", chapter=6)
    client.force_login(student)
    assert f'id="q-{secret.pk}"' in chapter_page(client, 6).content.decode()


def test_chapter_page_in_english(client):
    page = chapter_page(client, 6, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Chapter 6" in page and "No questions linked to this chapter yet." in page


def test_chapter_page_queries_do_not_grow_with_its_questions(client, django_assert_max_num_queries):
    section = make_section(make_cohort())
    for _ in range(30):
        make_question(section, chapter=6)
    with django_assert_max_num_queries(5):
        chapter_page(client, 6)


def test_the_chapter_page_shows_fifty_questions_a_page_with_links_between_pages(client, section):
    from curriculum.views import CHAPTER_PAGE_SIZE
    from tests.factories import make_question

    asked = [make_question(section, f"CH06 질문 {n:02d}?", chapter=6) for n in range(CHAPTER_PAGE_SIZE + 7)]
    first = client.get("/chapters/6/").content.decode()
    second = client.get("/chapters/6/?page=2&from=mail").content.decode()
    shown = [[q.pk for q in asked if f'id="q-{q.pk}"' in page] for page in (first, second)]
    assert len(shown[0]) == CHAPTER_PAGE_SIZE and len(shown[1]) == 7
    assert set(shown[0]).isdisjoint(shown[1]) and len(shown[0]) + len(shown[1]) == len(asked)
    assert f"모든 코호트의 질문 {len(asked)}개" in first  # the whole count, not the page's
    assert 'href="?page=2" rel="next"' in first and 'href="?page=1" rel="prev"' in second
    assert "from=mail" not in second
    # Past the end or not a number: the nearest real page, never an error.
    assert client.get("/chapters/6/?page=99").status_code == 200
    assert 'rel="next"' in client.get("/chapters/6/?page=abc").content.decode()
