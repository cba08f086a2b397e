"""The chapter page as a FAQ across cohorts: near-duplicates grouped, best answer, most asked first,
inferred links marked, pagination over entries, the cache following every change, bounded queries."""

from datetime import date

import pytest

from qa.models import Question
from tests.factories import make_cohort, make_question, make_section

pytestmark = pytest.mark.django_db
LONG = "- 익명 볼륨은 `docker rm -v`로 컨테이너와 함께 지워지고, 이름 있는 볼륨은 `docker volume rm`으로 지웁니다."


def _cohort(title, year, **kwargs):
    return make_cohort(title, starts_on=date(year, 3, 2), ends_on=date(year, 3, 4), **kwargs)


@pytest.fixture
def asked_three_times():
    first, second, third = (_cohort(f"MSP T3 - {y}", y) for y in (2022, 2023, 2024))
    rows = [
        make_question(make_section(first), "CH03 볼륨은 언제 지워지나요?", "- 직접 지울 때까지 남습니다.", chapter=3,
                      chapter_source="explicit"),
        make_question(make_section(second), "볼륨은 언제 지워져요?", LONG, chapter=3, chapter_source="inferred"),
        make_question(make_section(third), "볼륨은 언제 삭제되나요?", "...", chapter=3, chapter_source="inferred"),
    ]
    alone = make_question(make_section(third, "Docker 2"), "바인드 마운트 경로 권한은?", "- 호스트의 권한을 따릅니다.",
                          chapter=3, chapter_source="inferred")
    return rows, alone


def page(client, number=3, **params):
    return client.get(f"/chapters/{number}/", params).content.decode()


def test_one_question_asked_in_three_cohorts_is_one_entry_with_the_best_answer_first(client, asked_three_times):
    rows, alone = asked_three_times
    html = page(client)
    # The entry shows the longest answered one (cohort 2023), not the pending nor the short one.
    assert f'id="q-{rows[1].pk}"' in html and f'id="q-{rows[0].pk}"' not in html and f'id="q-{rows[2].pk}"' not in html
    assert "3개 기수에서 질문" in html and "다른 표현 2개" in html
    assert html.index(f'id="q-{rows[1].pk}"') < html.index(f'id="q-{alone.pk}"')  # most asked first
    assert "1개 기수에서 질문" in html
    assert "모든 코호트의 질문 4개" in html and "2개 항목으로 묶었습니다" in html
    for row in rows:  # each wording still reachable where it was asked
        assert f"#q-{row.pk}" in html


def test_inferred_is_marked_unless_a_question_of_the_entry_names_the_chapter(client, asked_three_times):
    rows, alone = asked_three_times
    html = page(client)
    entry = html[html.index(f'id="q-{rows[1].pk}"'):html.index(f'id="q-{alone.pk}"')]
    assert "badge-inferred" not in entry  # one wording names CH03
    assert "badge-inferred" in html[html.index(f'id="q-{alone.pk}"'):]
    english = client.get("/chapters/3/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Asked in 3 cohorts" in english and ">inferred<" in english


def test_a_private_cohorts_wording_counts_only_for_those_who_may_see_it(client, asked_three_times, student):
    rows, _alone = asked_three_times
    hidden = _cohort("MSP T3 - 비공개", 2025, public=False, students=[student])
    secret = make_question(make_section(hidden), "볼륨은 언제 지워지나요??", "- 비공개 답변", chapter=3)
    html = page(client)
    assert "3개 기수에서 질문" in html and "MSP T3 - 비공개" not in html and f"q-{secret.pk}" not in html
    client.force_login(student)
    html = page(client)
    assert "4개 기수에서 질문" in html and "MSP T3 - 비공개" in html


def test_the_cached_faq_follows_a_new_wording(client, asked_three_times):
    rows, alone = asked_three_times
    assert "3개 기수에서 질문" in page(client)
    make_question(make_section(_cohort("MSP T3 - 2025", 2025)), "볼륨은 언제 지워지나요", "...", chapter=3)
    assert "4개 기수에서 질문" in page(client)
    Question.objects.filter(pk=rows[0].pk).delete()
    assert "3개 기수에서 질문" in page(client)


def test_pagination_is_over_entries(client, settings, asked_three_times, monkeypatch):
    from curriculum import views

    monkeypatch.setattr(views, "CHAPTER_PAGE_SIZE", 1)
    rows, alone = asked_three_times
    first, second = page(client), page(client, page=2)
    assert f'id="q-{rows[1].pk}"' in first and f'id="q-{alone.pk}"' not in first
    assert f'id="q-{alone.pk}"' in second and 'rel="prev"' in second


def test_queries_stay_bounded_as_entries_grow(client, student, django_assert_max_num_queries):
    cohorts = [_cohort(f"MSP T3 - c{n}", 2020 + n, students=[student]) for n in range(4)]
    for n, cohort in enumerate(cohorts):
        section = make_section(cohort)
        for k in range(12):
            word = "캐시" if k % 2 else "레이어"
            make_question(section, f"CH06 질문 {k} 멀티스테이지 빌드 {word} {n}", "- 네", chapter=6)
    with django_assert_max_num_queries(5):
        page(client, 6)
    client.force_login(student)
    with django_assert_max_num_queries(9):
        html = page(client, 6)
    assert "모든 코호트의 질문 48개" in html
