"""One rule for where a question goes (qa.placement): the chapter named in the text, its part's
section, today's schedule as the fallback; the instructor's own choice wins."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from curriculum.models import Chapter
from qa.forms import QuickEntryForm
from qa.models import Question, Section
from qa.placement import Reason, chapter_named_in, place
from tests.factories import make_question, make_section

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
DAY_1 = date(2024, 1, 1)  # the cohort fixture's first day: Docker, chapter 1
OFF = date(2025, 6, 1)  # no class that day


@pytest.mark.parametrize(
    "text,number",
    [
        ("StatefulSet과 Deployment의 차이는 무엇인가요? (CH08)", 8),
        ("8장에서 나온 ReplicaSet은?", 8),
        ("Chapter 8 workload question", 8),
        ("실습 05에서 빌드가 실패해요", 6),  # lab 05 belongs to chapter 6
        ("hands-on 05 build fails", 6),
        ("helm chart 값은 어디서? CH15", 15),
        ("그냥 질문", None),
        ("CH99 does not exist", None),
    ],
)
def test_the_chapter_named_in_the_text_as_the_importer_reads_it(text, number):
    chapter = chapter_named_in(text)
    assert (chapter.number if chapter else None) == number


def test_helm_is_its_own_part():
    assert Chapter.objects.get(number=15).part == Chapter.Part.HELM
    assert set(Chapter.objects.filter(number__lte=6).values_list("part", flat=True)) == {"docker"}
    assert set(Chapter.objects.filter(number__range=(7, 14)).values_list("part", flat=True)) == {"kubernetes"}


@pytest.mark.parametrize(
    "text,section,chapter",
    [
        ("StatefulSet과 Deployment의 차이는 무엇인가요? (CH08)", "Kubernetes", 8),
        ("helm rollback 은 어떻게? (CH15)", "Helm", 15),
        ("실습 05 Dockerfile", "Docker", 6),
    ],
)
def test_on_a_docker_day_a_named_chapter_still_picks_its_own_section(cohort, text, section, chapter):
    make_section(cohort, "Docker")
    placement = place(cohort, text, on=DAY_1)
    assert (placement.section_title, placement.chapter.number) == (section, chapter)
    assert (placement.section_reason, placement.chapter_reason) == (Reason.PART, Reason.TEXT)


def test_the_cohorts_own_section_of_the_part_is_used(cohort):
    k8s = make_section(cohort, "K8s")
    helm = make_section(cohort, "Helm 질문")
    assert place(cohort, "CH08 질문", on=OFF).section == k8s
    assert place(cohort, "CH15 질문", on=OFF).section == helm


def test_without_a_named_chapter_todays_schedule_is_the_fallback(cohort):
    docker = make_section(cohort, "Docker")
    placement = place(cohort, "컨테이너 로그는?", on=DAY_1)
    assert (placement.section, placement.chapter.number) == (docker, 1)
    assert (placement.section_reason, placement.chapter_reason) == (Reason.SCHEDULE, Reason.SCHEDULE)


def test_nothing_named_and_no_class_today_places_nothing_in_a_cohort_without_sections(cohort):
    placement = place(cohort, "컨테이너 로그는?", on=OFF)
    assert (placement.section, placement.chapter) == (None, None)


def test_nothing_named_and_no_class_today_goes_where_the_latest_question_went(cohort):
    first, second = make_section(cohort, "Docker"), make_section(cohort, "Kubernetes")
    assert place(cohort, "컨테이너 로그는?", on=OFF).section == first  # no question yet: the first section
    make_question(second, "최근 질문")
    placement = place(cohort, "컨테이너 로그는?", on=OFF)
    assert (placement.section, placement.section_reason, placement.chapter) == (second, Reason.LATEST, None)


def test_the_instructors_choice_wins(cohort):
    docker = make_section(cohort, "Docker")
    chapter_3 = Chapter.objects.get(number=3)
    placement = place(cohort, "CH08 질문", section=docker, chapter=chapter_3, on=DAY_1)
    assert (placement.section, placement.chapter) == (docker, chapter_3)
    assert (placement.section_reason, placement.chapter_reason) == (Reason.CHOSEN, Reason.CHOSEN)
    # A chosen chapter alone picks its part's section.
    assert place(cohort, "질문", chapter=Chapter.objects.get(number=9), on=DAY_1).section_title == "Kubernetes"


# --- The quick entry --------------------------------------------------------------------------------


@pytest.fixture
def teaching(client, instructor):
    client.force_login(instructor)
    return client


def at(day):
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Asia/Seoul")), tick=False)


def test_the_issues_question_goes_to_kubernetes_chapter_8_on_a_docker_day(teaching, cohort):
    make_section(cohort, "Docker")
    with at(DAY_1):
        response = teaching.post(
            reverse("question-create", args=[cohort.slug]),
            {"question": "StatefulSet과 Deployment의 차이는 무엇인가요? (CH08)", "section": "", "chapter": ""},
            **FETCH,
        )
    assert response.status_code == 201
    question = Question.objects.get()
    assert (question.section.title, question.chapter.number) == ("Kubernetes", 8)
    assert Section.objects.filter(cohort=cohort, title="Kubernetes").count() == 1


def test_automatic_with_nothing_to_go_by_is_refused_and_nothing_is_saved(teaching, cohort):
    with at(OFF):
        response = teaching.post(
            reverse("question-create", args=[cohort.slug]), {"question": "그냥 질문", "section": ""}, **FETCH
        )
    assert response.status_code == 400
    assert "Choose a section" in response.content.decode() or "섹션" in response.content.decode()
    assert not Question.objects.exists() and not Section.objects.exists()


def test_the_form_starts_on_automatic(cohort):
    form = QuickEntryForm(cohort=cohort)
    assert form.fields["section"].choices[0][0] == ""
    assert "section" not in form.initial and "chapter" not in form.initial


def test_placement_preview_says_what_enter_would_do(teaching, cohort):
    make_section(cohort, "Docker")
    url = reverse("question-placement", args=[cohort.slug])
    with at(DAY_1):
        named = teaching.get(url, {"question": "StatefulSet (CH08)", "section": "", "chapter": ""}).json()
        plain = teaching.get(url, {"question": "로그는?", "section": "", "chapter": ""}).json()
    assert (named["section"], named["chapter"], named["chapter_reason"]) == ("Kubernetes", 8, "text")
    assert (plain["section"], plain["chapter"], plain["section_reason"]) == ("Docker", 1, "schedule")
    assert "CH08" in named["summary"]


def test_placement_preview_is_for_the_cohorts_instructors_only(client, student, cohort):
    url = reverse("question-placement", args=[cohort.slug])
    assert client.get(url, {"question": "x"}).status_code in (302, 403, 404)
    client.force_login(student)
    assert client.get(url, {"question": "x"}).status_code in (403, 404)


def test_placement_preview_refuses_an_unknown_section(teaching, cohort):
    url = reverse("question-placement", args=[cohort.slug])
    response = teaching.get(url, {"question": "x", "section": "999999"})
    assert response.status_code == 400
