"""What one search costs: the same SQL queries and one run of the analyser (the query's)
however many results it shows (a glossary term changed by another process: tests/courses/test_freshness.py)."""


import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import search.analysis
from search.highlight import highlight
from tests.factories import make_cohort, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(section):
    """3 questions with 큐브 in them, 30 with 노드 (a page shows 20 of them)."""
    for i in range(3):
        make_question(section, f"큐브를 {i}번 쓰면 컨테이너는?", f"- 큐브 답 {i}, 볼륨을 보세요")
    for i in range(30):
        make_question(section, f"노드를 {i}개 두면 파드는?", f"- 노드 답 {i}, Volume을 보세요")


def cost(client, path, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200
    return response, len(captured)


def test_the_search_page_costs_the_same_queries_for_3_and_30_results(client, results):
    client.get(reverse("search"), {"q": "볼륨"})  # the filter fields rendered and kept once
    few, few_queries = cost(client, reverse("search"), {"q": "큐브"})
    many, many_queries = cost(client, reverse("search"), {"q": "노드"})
    assert len(few.context["page"]) == 3 and len(many.context["page"]) == 20
    assert few.content.decode().count("<mark>큐브</mark>") == 6
    assert many.content.decode().count("<mark>노드</mark>") == 40
    assert few_queries == many_queries


def test_a_signed_in_search_costs_the_same_queries_for_3_and_30_results(client, results, student):
    client.force_login(student)
    client.get(reverse("search"), {"q": "볼륨"})  # the session and the user loaded once
    _, few_queries = cost(client, reverse("search"), {"q": "큐브"})
    _, many_queries = cost(client, reverse("search"), {"q": "노드"})
    assert few_queries == many_queries


def test_the_api_search_costs_the_same_queries_for_3_and_30_results(client, results):
    few, few_queries = cost(client, "/api/questions/", {"search": "큐브", "page_size": 100})
    many, many_queries = cost(client, "/api/questions/", {"search": "노드", "page_size": 100})
    assert few.json()["count"] == 3 and many.json()["count"] == 30
    assert few_queries == many_queries


def test_the_analyser_reads_the_query_once_and_no_result(client, results, monkeypatch):
    read = []
    original = search.analysis.morphemes

    def counted(text):
        read.append(text)
        return original(text)

    monkeypatch.setattr(search.analysis, "morphemes", counted)
    for query in ("큐브를", "노드를"):
        read.clear()
        assert client.get(reverse("search"), {"q": query}).status_code == 200
        assert read == [query]


def test_marks_keep_korean_particles_outside_for_words_concepts_and_latin_spellings():
    assert highlight("큐브를 지우면 큐브가", {"큐브"}) == "<mark>큐브</mark>를 지우면 <mark>큐브</mark>가"
    assert highlight("Volume을 붙인 볼륨은 vol", {"zqvolume"}) == (
        "<mark>Volume</mark>을 붙인 <mark>볼륨</mark>은 <mark>vol</mark>"
    )
    assert highlight("도커컨테이너를 쓰면", {"zqcontainer"}) == "도커<mark>컨테이너</mark>를 쓰면"
    # A word is matched at the start of a word, not inside an unrelated Latin one.
    assert highlight("kubectl get pods 또는 apod", {"pod"}) == "kubectl get <mark>pods</mark> 또는 apod"


def test_the_kept_filter_fields_follow_new_cohorts_the_chosen_values_and_the_language(client, section):
    make_question(section, "볼륨 질문?")
    assert "새 공개 코호트" not in client.get(reverse("search"), {"q": "볼륨"}).content.decode()
    added = make_cohort("새 공개 코호트", public=True, slug="new-public")
    page = client.get(reverse("search"), {"q": "볼륨"}).content.decode()
    assert '<option value="new-public">새 공개 코호트</option>' in page
    chosen = client.get(reverse("search"), {"q": "볼륨", "cohort": added.slug}).content.decode()
    assert '<option value="new-public" selected>새 공개 코호트</option>' in chosen
    english = client.get(reverse("search"), {"q": "볼륨"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "All cohorts" in english and "All cohorts" not in page
