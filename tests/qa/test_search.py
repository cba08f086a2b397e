"""/search/: every word must appear after analysis, visibility, highlights, filters, pages."""

import pytest
from django.urls import reverse

from search.highlight import highlight
from tests.factories import make_cohort, make_question, make_section

pytestmark = pytest.mark.django_db


def search(client, **params):
    return client.get(reverse("search"), params)


def result_ids(response):
    return [q.pk for q in response.context["page"]]


def test_every_word_must_appear_in_the_question_or_its_answer(client, section):
    both = make_question(section, "볼륨은 언제 지워지나요?", "- 컨테이너를 rm -v 로 지울 때")
    one = make_question(section, "볼륨 드라이버는?", "- local")
    assert result_ids(search(client, q="볼륨 컨테이너")) == [both.pk]
    assert set(result_ids(search(client, q="볼륨"))) == {both.pk, one.pk}


def test_particles_and_endings_do_not_make_another_word(client, section):
    question = make_question(section, "컨테이너를 삭제하면 데이터는 어떻게 되나요?", "- 볼륨에 두면 남습니다")
    assert result_ids(search(client, q="컨테이너를 삭제하면 데이터")) == [question.pk]
    assert result_ids(search(client, q="컨테이너 삭제 데이터")) == [question.pk]
    assert result_ids(search(client, q="컨테이너가 삭제되는")) == [question.pk]


def test_the_glossary_links_english_and_korean_spellings(client, section):
    question = make_question(section, "인그레스로 포트포워딩 없이 볼륨 서비스를 여나요?", "- 네")
    for query in ("ingress", "port-forward", "volume", "svc", "인그레스 volume"):
        assert result_ids(search(client, q=query)) == [question.pk], query


def test_a_course_word_is_found_inside_a_korean_compound(client, section):
    question = make_question(section, "도커컨테이너 네트워크드라이버는 무엇이 있나요?", "- bridge, host, overlay")
    assert result_ids(search(client, q="네트워크")) == [question.pk]
    assert result_ids(search(client, q="컨테이너")) == [question.pk]


def test_search_ignores_case_for_latin_words(client, section):
    question = make_question(section, "Dockerfile의 CMD와 ENTRYPOINT?", "- 둘 다 실행 명령")
    assert result_ids(search(client, q="entrypoint cmd")) == [question.pk]


def test_an_empty_query_lists_nothing(client, section):
    make_question(section, "아무 질문?")
    response = search(client, q="   ")
    assert response.status_code == 200
    assert result_ids(response) == []


def test_private_cohorts_never_appear_to_those_who_may_not_see_them(client, private_cohort, outsider):
    make_question(make_section(private_cohort), "비밀 질문 쿠버네티스?", "- 비밀 답")
    assert result_ids(search(client, q="쿠버네티스")) == []
    client.force_login(outsider)
    assert result_ids(search(client, q="쿠버네티스")) == []


def test_a_student_finds_questions_of_their_private_cohort(client, private_cohort, student):
    secret = make_question(make_section(private_cohort), "비밀 질문 쿠버네티스?", "- 비밀 답")
    client.force_login(student)
    assert result_ids(search(client, q="쿠버네티스")) == [secret.pk]


def test_matched_words_are_highlighted_in_question_and_answer_excerpt(client, section):
    make_question(section, "이미지 레이어는 몇 개?", "- 이미지마다 다릅니다.\n\n```bash\ndocker history nginx\n```")
    page = search(client, q="이미지 history").content.decode()
    assert "<mark>이미지</mark> 레이어는 몇 개?" in page
    assert "<mark>이미지</mark>마다 다릅니다." in page and "docker <mark>history</mark> nginx" in page


def test_highlighting_escapes_content_and_never_marks_inside_markup(client, section):
    make_question(section, "<b>굵게</b> 쓰면?", '- <img src=x onerror="alert(1)"> 이미지 태그')
    page = search(client, q="굵게 이미지").content.decode()
    assert "<b>" not in page.split('<ol class="search-results">')[1]
    assert "onerror" not in page
    assert "<mark>굵게</mark>" in page


def test_highlight_wraps_every_spelling_ignoring_case_and_escapes_the_rest():
    assert highlight("Pod <pod> 파드가 POD", {"zqpod"}) == (
        "<mark>Pod</mark> &lt;<mark>pod</mark>&gt; <mark>파드</mark>가 <mark>POD</mark>"
    )


def test_highlight_marks_the_word_without_its_particle():
    assert highlight("컨테이너를 지우면", {"zqcontainer"}) == "<mark>컨테이너</mark>를 지우면"


def test_excerpt_starts_near_the_first_match_of_a_long_text():
    text = "가나다 " * 1500 + " 인그레스 설정 " + "라마바 " * 200
    clipped = highlight(text, {"zqingress"}, excerpt_chars=100)
    assert clipped.startswith("…") and clipped.endswith("…")
    assert "<mark>인그레스</mark>" in clipped and len(clipped.replace("<mark>", "").replace("</mark>", "")) <= 102


@pytest.fixture
def archive(instructor):
    t2 = make_cohort("MSP T2 - 23-2차", program="MSP T2", slug="t2-23-2")
    t3 = make_cohort("MSP T3 - 24-1차", program="MSP T3", slug="t3-24-1")
    return {
        "t2_docker": make_question(make_section(t2, "Docker"), "도커 볼륨 질문?", "- 답", chapter=3),
        "t3_docker": make_question(make_section(t3, "Docker"), "도커 볼륨 다른 질문?", "...", chapter=3),
        "t3_k8s": make_question(make_section(t3, "Kubernetes"), "쿠버 볼륨 질문?", "- 답", chapter=11),
    }


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"program": "MSP T2"}, ["t2_docker"]),
        ({"cohort": "t3-24-1"}, ["t3_docker", "t3_k8s"]),
        ({"section": "kubernetes"}, ["t3_k8s"]),
        ({"chapter": "3"}, ["t2_docker", "t3_docker"]),
        ({"pending": "true"}, ["t3_docker"]),
        ({"pending": "false", "cohort": "t3-24-1"}, ["t3_k8s"]),
    ],
)
def test_filters_narrow_the_results(client, archive, params, expected):
    response = search(client, q="볼륨", **params)
    assert set(result_ids(response)) == {archive[name].pk for name in expected}


def test_a_filter_naming_a_cohort_the_visitor_may_not_see_is_an_error_with_no_results(client, archive, private_cohort):
    make_question(make_section(private_cohort), "비밀 볼륨 질문?")
    response = search(client, q="볼륨", cohort=private_cohort.slug)
    assert response.status_code == 200
    assert result_ids(response) == []
    assert response.context["filters"].errors
    assert 'role="alert"' in response.content.decode()


def test_the_program_filter_offers_only_programs_of_visible_cohorts(client, archive):
    make_cohort("비공개 과정", program="SECRET PROGRAM", public=False)
    page = search(client, q="볼륨").content.decode()
    assert "MSP T2" in page and "SECRET PROGRAM" not in page


def test_results_are_paginated_and_keep_the_query_and_filters(client, section):
    for i in range(45):
        make_question(section, f"페이지 질문 {i}?")
    first = search(client, q="페이지", section="Docker")
    third = search(client, q="페이지", section="Docker", page=3)
    assert len(result_ids(first)) == 20 and len(result_ids(third)) == 5
    assert "?q=%ED%8E%98%EC%9D%B4%EC%A7%80&amp;section=Docker&amp;page=2" in first.content.decode()
    assert set(result_ids(first)).isdisjoint(result_ids(third))


def test_a_page_number_past_the_end_shows_the_last_page(client, section):
    make_question(section, "하나뿐인 질문?")
    assert len(result_ids(search(client, q="하나뿐인", page=99))) == 1


def test_search_page_in_english(client, section):
    make_question(section, "영어 화면 질문?")
    page = client.get(reverse("search"), {"q": "영어"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 result" in page and "Search questions" in page
