"""The analyser runs before a write transaction opens, never inside it: on SQLite the write
lock is global, so analysing inside it would stall every cohort's writers (the same rule as
markdown rendering, tests/security/test_abuse.py)."""

import pytest
from django.db import connection
from django.urls import reverse

import search.index
from notes.importer import import_notes_text
from qa.models import Question
from tests.factories import make_question

pytestmark = pytest.mark.django_db

FETCH = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def analyses(monkeypatch):
    """Every text the real analyser reads for the index, with whether a transaction of the
    site's own was open (pytest-django's wrapping one does not count)."""
    calls = []
    real = search.index.index_terms

    def observed(text, *args, **kwargs):
        calls.append((text, any(not getattr(b, "_from_testcase", False) for b in connection.atomic_blocks)))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(search.index, "index_terms", observed)
    return calls


def analysed_outside(calls, *texts):
    assert set(texts) <= {text for text, _ in calls}, "the texts were not analysed at all"
    return [text for text, inside in calls if inside] == []


def test_a_question_saved_on_the_site_is_analysed_before_its_transaction(teaching, cohort, section, analyses):
    asked = {"question": "볼륨은 어디에 저장되나요?", "answer": "", "section": str(section.pk)}
    created = teaching.post(reverse("question-create", args=[cohort.slug]), asked, **FETCH)
    assert created.status_code == 201
    assert analysed_outside(analyses, "볼륨은 어디에 저장되나요?")


def test_an_answer_saved_with_its_revision_is_analysed_before_its_transaction(teaching, section, analyses):
    question = make_question(section, "파드가 재시작돼요?", "...")
    analyses.clear()
    answer = {"answer": "- `kubectl describe pod`로 이유를 봅니다", "revision": question.revision}
    answered = teaching.post(reverse("question-answer", args=[question.pk]), answer, **FETCH)
    assert answered.status_code in (200, 302)
    assert analysed_outside(analyses, "- `kubectl describe pod`로 이유를 봅니다")


def test_a_bulk_edit_of_texts_is_analysed_before_its_transaction(section, analyses):
    make_question(section, "인그레스 질문?")
    analyses.clear()
    Question.objects.filter(section=section).update(answer="- 인그레스 컨트롤러가 필요합니다")
    assert analysed_outside(analyses, "- 인그레스 컨트롤러가 필요합니다")
    assert Question.objects.search("컨트롤러").count() == 1


def test_an_import_is_analysed_outside_its_transaction(analyses, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    import_notes_text("# MSP T3 - 분석 반\n\n## Docker\n\n- 포트포워딩은 어떻게 하나요?\n  - ...\n", slug="analysed")
    assert analysed_outside(analyses, "포트포워딩은 어떻게 하나요?")
