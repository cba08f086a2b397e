"""The admin is where admins fix anything: every page loads and saves for staff."""

import pytest
from django.urls import reverse

from qa.models import Question
from tests.factories import make_progress, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


@pytest.mark.parametrize(
    "model", ["courses/cohort", "courses/membership", "curriculum/chapter", "curriculum/lab",
              "curriculum/scheduleday", "curriculum/progress", "qa/section", "qa/question", "qa/notesimage"]
)
def test_changelists_and_add_forms_load(admin_client, cohort, section, model):
    make_question(section, "어드민 질문?", "- ...")
    make_progress(cohort, 1, theory=True)
    assert admin_client.get(f"/admin/{model}/").status_code == 200
    assert admin_client.get(f"/admin/{model}/add/").status_code == 200


def test_question_changelist_filters_pending_and_searches_answers(admin_client, section):
    make_question(section, "대기 질문?", "- ...")
    make_question(section, "답변된 질문?", "- 볼륨을 사용하세요")
    pending = admin_client.get("/admin/qa/question/?pending__exact=1")
    assert "대기 질문?" in pending.text and "답변된 질문?" not in pending.text
    found = admin_client.get("/admin/qa/question/?q=볼륨")
    assert "답변된 질문?" in found.text and "대기 질문?" not in found.text


def test_cohort_change_page_with_inlines_saves(admin_client, cohort):
    url = reverse("admin:courses_cohort_change", args=[cohort.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(title="MSP T3 - 이름 바꿈", is_public="on")
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        management = fs.management_form
        for name in management.fields:
            data[f"{fs.prefix}-{name}"] = management[name].value()
        for i, sub in enumerate(fs.forms):
            for name in sub.fields:
                value = sub[name].value()
                if value is not None and value is not False:
                    data[f"{fs.prefix}-{i}-{name}"] = value
    response = admin_client.post(url, data)
    assert response.status_code == 302, getattr(response, "context", {}) and response.context["errors"]
    cohort.refresh_from_db()
    assert cohort.title == "MSP T3 - 이름 바꿈"


def test_adding_a_question_in_the_admin_renders_it(admin_client, section):
    response = admin_client.post(
        "/admin/qa/question/add/",
        {"section": section.pk, "position": 5, "question": "어드민에서 추가?", "answer": "- **네**"},
    )
    assert response.status_code == 302
    question = Question.objects.get(question="어드민에서 추가?")
    assert "<strong>네</strong>" in question.answer_html and question.pending is False


def test_admin_sends_non_staff_to_the_login_page(client, student):
    client.force_login(student)
    response = client.get("/admin/courses/cohort/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
