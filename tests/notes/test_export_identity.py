"""Export → import is the identity for what the site itself writes (issue 11.3)."""

import pytest

from courses.models import Cohort
from curriculum.models import ScheduleDay
from notes.exporter import export_cohort
from notes.importer import import_notes_text
from qa.models import Question, Section
from tests.api.conftest import client_for
from tests.factories import make_cohort, make_question, make_section
from tests.notes.notes_support import media_root  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

MULTI_LINE = [
    ("두 문단으로 쓴 질문입니다.\n\n둘째 문단도 질문입니다.", "- 답입니다."),
    ("목록이 들어간 질문:\n- 첫째 경우\n- 둘째 경우", "두 경우 모두 됩니다."),
    ("# 제목처럼 시작하는 질문", ""),
    ("인용이 이어지는 질문\n> 인용", "..."),
    ("표가 이어지는 질문\n| a | b |\n| - | - |", "- 표는 질문의 일부입니다."),
]


def questions_of(cohort):
    return list(Question.objects.filter(section__cohort=cohort).order_by("section__position", "position")
                .values_list("section__title", "question", "answer", "pending"))


@pytest.mark.parametrize(("question", "answer"), MULTI_LINE)
def test_a_multi_line_site_question_exports_and_reimports_as_the_same_question_without_duplicates(question, answer):
    cohort = make_cohort("MSP T3 - 91-1차")
    site = make_question(make_section(cohort, "Docker"), question, answer)
    before = questions_of(cohort)
    exported = export_cohort(cohort)
    report = import_notes_text(exported, slug=cohort.slug)
    assert (report.added, report.removed, report.conflicts) == (0, 0, [])
    assert questions_of(cohort) == before
    assert Question.objects.get(pk=site.pk).question == site.question

    fresh = import_notes_text(exported, slug="fresh-copy").cohort
    assert questions_of(fresh) == [(s, q, a if not p else "- ...", p) for s, q, a, p in before]
    assert export_cohort(fresh) == exported


def test_a_site_question_is_stored_as_one_paragraph_and_shows_the_same_words():
    question = make_question(make_section(make_cohort()), "첫 줄\n\n- 목록처럼 보이는 둘째 줄", "")
    assert question.question == "첫 줄\n\\- 목록처럼 보이는 둘째 줄"
    assert "- 목록처럼 보이는 둘째 줄" in question.question_html and "<li>" not in question.question_html


INJECTION = "Docker extra\n\n- injected question?\n## Kubernetes"


def test_a_section_title_with_line_breaks_from_the_api_is_one_line_and_exports_no_questions(instructor, cohort):
    as_instructor = client_for(instructor)
    response = as_instructor.post("/api/questions/", {
        "cohort": cohort.slug, "section": INJECTION, "question": "진짜 질문?", "answer": "- 답"}, format="json")
    assert response.status_code == 201, response.content
    section = Section.objects.get(pk=Question.objects.get(pk=response.json()["id"]).section_id)
    assert section.title == "Docker extra - injected question? ## Kubernetes"
    again = as_instructor.post("/api/questions/", {
        "cohort": cohort.slug, "section": INJECTION, "question": "둘째 질문?", "answer": ""}, format="json")
    assert again.status_code == 201 and Question.objects.get(pk=again.json()["id"]).section_id == section.pk

    exported = export_cohort(cohort)
    fresh = import_notes_text(exported, slug="injected-copy").cohort
    texts = [q for _, q, _, _ in questions_of(fresh)]
    assert "injected question?" not in texts and {"진짜 질문?", "둘째 질문?"} <= set(texts)
    assert "## Kubernetes" not in [s.title for s in fresh.sections.all()]


@pytest.mark.parametrize("field", ["title", "program", "run_code", "track"])
def test_every_single_line_cohort_field_is_one_line_on_every_save(field):
    cohort = make_cohort("MSP T3 - 91-2차")
    setattr(cohort, field, "MSP\n\n- 질문?\r\n## Docker")
    cohort.save()
    assert getattr(Cohort.objects.get(pk=cohort.pk), field) == "MSP - 질문? ## Docker"
    Cohort.objects.bulk_create([Cohort(slug="bulk", **{"title": "x", field: "a\nb"})])
    assert getattr(Cohort.objects.get(slug="bulk"), field) == "a b"


def test_schedule_day_ranges_and_section_titles_are_one_line_and_the_export_has_no_extra_question():
    cohort = make_cohort("MSP T3 - 91-3차")
    make_question(make_section(cohort, "Docker\n- 가짜 질문?"), "진짜 질문?", "- 답")
    default = ScheduleDay.objects.default().first()
    ScheduleDay.objects.create(cohort=cohort, day=1, theory="Docker\n- 가짜 질문 둘?", lab="실습\n\n## Helm",
                               first_chapter=default.first_chapter, last_chapter=default.last_chapter)
    exported = export_cohort(cohort)
    assert "\n- 가짜 질문" not in exported and "\n## Helm" not in exported
    fresh = import_notes_text(exported, slug="schedule-copy").cohort
    assert [q for _, q, _, _ in questions_of(fresh)] == ["진짜 질문?"]


def test_the_admin_form_folds_a_title_with_line_breaks_into_one_line(client):
    from tests.factories import make_user

    cohort = make_cohort("MSP T3 - 91-4차")
    section = make_section(cohort, "Docker")
    client.force_login(make_user("boss", staff=True))
    response = client.post(f"/admin/qa/section/{section.pk}/change/", {
        "title": "Docker\r\n- 가짜?", "cohort": cohort.pk, "heading": "## Docker", "position": 1,
        "questions-TOTAL_FORMS": 0, "questions-INITIAL_FORMS": 0, "extras-TOTAL_FORMS": 0,
        "extras-INITIAL_FORMS": 0,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Section.objects.get(pk=section.pk).title == "Docker - 가짜?"
