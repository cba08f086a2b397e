"""GET /api/questions/similar/: ranked "asked before", visibility for every role, limits."""

import pytest
from django.urls import reverse

from tests.api.conftest import client_for
from tests.factories import make_cohort, make_question, make_section

pytestmark = pytest.mark.django_db
URL = reverse("api-question-similar")


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def archive(cohort, private_cohort):
    other = make_section(make_cohort("MSP T2 - 23-2차", slug="t2-23-2"), "Kubernetes")
    return {
        "scale": make_question(other, "saling 시 pod 삭제 순서는?", "- 최근에 만든 Pod부터 지웁니다"),
        "volume": make_question(other, "볼륨은 언제 지워지나요?", "- `docker rm -v`"),
        "private": make_question(make_section(private_cohort, "K8s"), "Pod개수를 줄일 때 삭제 기준은?", "- 비공개 답"),
        "own": make_question(make_section(cohort, "K8s"), "레플리카를 줄이면 어떤 파드가 삭제되나요?", "..."),
    }


def test_a_paraphrase_across_cohorts_ranks_first_with_cohort_and_score(anon, archive):
    response = anon.get(URL, {"q": "Pod개수를 줄일 때 삭제되는 Pod의 기준이 있나요?", "exclude_cohort": "t2-23-2x"})
    found = ids(response)
    assert found[0] in (archive["scale"].pk, archive["own"].pk)
    first = response.json()["results"][0]
    assert {"cohort", "score", "question", "answer", "pending"} <= first.keys()
    assert first["score"] > 0


def test_exclude_cohort_and_cohort_narrow_the_results(anon, archive, cohort):
    text = "레플리카 줄이면 파드 삭제 순서"
    assert archive["own"].pk not in ids(anon.get(URL, {"q": text, "exclude_cohort": cohort.slug}))
    assert ids(anon.get(URL, {"q": text, "cohort": cohort.slug})) == [archive["own"].pk]


def test_answered_questions_come_first_where_scores_tie(anon, section):
    pending = make_question(section, "인그레스 컨트롤러 설치?", "...")
    answered = make_question(make_section(make_cohort()), "인그레스 컨트롤러 설치?", "- 네!")  # no terms: a tie
    assert ids(anon.get(URL, {"q": "인그레스 컨트롤러 설치"}))[:2] == [answered.pk, pending.pk]


@pytest.mark.parametrize("who, sees_private", [(None, False), ("outsider", False), ("student", True),
                                               ("instructor", True), ("staff", True)])
def test_private_cohorts_appear_only_to_those_who_may_see_them(request, archive, who, sees_private):
    client = client_for(request.getfixturevalue(who) if who else None)
    found = ids(client.get(URL, {"q": "Pod개수를 줄일 때 삭제 기준", "limit": 20}))
    assert (archive["private"].pk in found) is sees_private


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "가" * 2001}, {"q": "pod", "limit": 0},
                                    {"q": "pod", "limit": 21}, {"q": "pod", "limit": "x"}])
def test_bad_input_is_a_400_naming_the_parameter(anon, archive, params):
    response = anon.get(URL, params)
    assert response.status_code == 400
    assert set(response.json()) & {"q", "limit"}


def test_a_text_with_no_content_words_finds_nothing(anon, archive):
    assert ids(anon.get(URL, {"q": "은 는 이 가 ?!"})) == []


def test_each_result_names_its_cohort_by_title_for_people_and_by_slug_for_programs(anon, archive):
    response = anon.get(URL, {"q": "볼륨은 언제 지워지나요?", "cohort": "t2-23-2"})
    first = response.json()["results"][0]
    assert (first["cohort"], first["cohort_title"]) == ("t2-23-2", "MSP T2 - 23-2차")
