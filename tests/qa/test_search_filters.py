"""The search filters on a phone: behind one control, empty choices labelled, the sections that exist."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from qa.api.filters import QuestionFilter
from qa.filters import QuestionSearchFilter
from qa.models import Question
from tests.factories import make_cohort, make_question, make_section

pytestmark = pytest.mark.django_db


def test_empty_choices_are_labelled_and_sections_are_the_ones_that_exist(client):
    cohort = make_cohort("공개 반")
    make_section(cohort, "Docker")
    make_section(make_cohort("다른 반"), "docker")  # one choice per spelling
    make_section(cohort, "Kubernetes")
    make_section(make_cohort("비공개 반", public=False), "Secret section")
    html = client.get(reverse("search"), {"q": "x"}).content.decode()
    assert "---------" not in html
    for label in ("모든 과정", "모든 코호트", "모든 섹션", "모든 챕터"):
        assert label in html
    assert '<select name="section"' in html
    assert '<option value="Kubernetes">Kubernetes</option>' in html
    assert html.count(">Docker</option>") + html.count(">docker</option>") == 1
    assert "Secret section" not in html


def test_a_section_filter_still_matches_any_case(client):
    cohort = make_cohort("공개 반")
    docker = make_section(cohort, "Docker")
    question = make_question(docker, "볼륨 질문?", "- 답")
    html = client.get(reverse("search"), {"q": "볼륨", "section": "docker"}).content.decode()
    assert f"#q-{question.pk}" in html or question.get_absolute_url() in html


def test_filters_fold_behind_one_control_and_open_when_one_is_used(client):
    make_section(make_cohort("공개 반"), "Docker")
    closed = client.get(reverse("search"), {"q": "x"}).content.decode()
    assert '<details class="search-filters-box" data-open-when-wide>' in closed
    used = client.get(reverse("search"), {"q": "x", "section": "Docker"}).content.decode()
    assert '<details class="search-filters-box" data-open-when-wide open>' in used


@pytest.mark.parametrize(
    "params",
    [
        {"chapter": "6"},
        {"pending": "true"},
        {"pending": "false"},
        {"section": "Docker"},
        {"cohort": "{slug}", "chapter": "6", "pending": "false"},
        {"cohort": "{slug}", "section": "Kubernetes", "pending": "true"},
    ],
)
def test_the_search_page_and_the_api_select_the_same_questions(params, rf):
    """One meaning per filter (qa.filters.QuestionFilterSet), whichever face asks."""
    cohort, other = make_cohort("공개 반"), make_cohort("다른 반")
    for where in (cohort, other):
        docker, kubernetes = make_section(where, "Docker"), make_section(where, "Kubernetes")
        make_question(docker, "볼륨?", "- 답", chapter=6)
        make_question(docker, "레이어?", "", chapter=6)
        make_question(kubernetes, "파드?", "", chapter=9)
        make_question(kubernetes, "서비스?", "- 답")
    data = {name: value.format(slug=cohort.slug) for name, value in params.items()}
    request = rf.get("/search/", data)
    request.user = AnonymousUser()
    everything = Question.objects.all()
    page = QuestionSearchFilter(data, queryset=everything, request=request)
    api = QuestionFilter(data, queryset=everything, request=request)
    assert page.is_valid() and api.is_valid()
    selected = set(page.qs.values_list("pk", flat=True))
    assert selected == set(api.qs.values_list("pk", flat=True))
    assert selected and selected != set(everything.values_list("pk", flat=True))
