"""The search filters on a phone: behind one control, empty choices labelled, the sections that exist."""

import pytest
from django.urls import reverse

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
